import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { needsInfrastructure, requireProgram } from './infrastructure.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Chromium';

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  needsInfrastructure('Chromium');
  requireProgram('/usr/bin/chromium', 'Chromium');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** How much of a PNG is drawn: distinct colours, and the share of pixels unlike the most common one. */
export function inkOf(png: Buffer): { colors: number; inked: number } {
  const image = PNG.sync.read(png);
  const counts = new Map<number, number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const key = (image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = image.width * image.height;
  const background = Math.max(...counts.values());
  return { colors: counts.size, inked: (total - background) / total };
}
