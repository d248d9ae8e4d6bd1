import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window.js';

describe('RateWindow', () => {
  it('rate window forgets what is older than the window', () => {
    let t = 0;
    const window = new RateWindow(60, () => t);
    window.add(5);
    t = 30_000;
    window.add(2);
    expect(window.total()).toBe(7);
    t = 61_000;
    expect(window.total()).toBe(2);
    t = 200_000;
    expect(window.total()).toBe(0);
  });
});
