import { describe, expect, it } from 'vitest';
import { OwnershipHistory, resumePositions } from './regained-partitions.js';

describe('OwnershipHistory', () => {
  it('names a partition regained only when it was lost at a rebalance before', () => {
    const history = new OwnershipHistory();
    expect(history.assigned([0, 1, 2])).toEqual([]); // first assignment: nothing regained
    expect(history.assigned([0, 1])).toEqual([]); // 2 lost
    expect(history.assigned([0, 1])).toEqual([]); // kept partitions are not regained
    expect(history.assigned([0, 1, 2])).toEqual([2]);
    expect(history.assigned([0, 1, 2])).toEqual([]); // once
  });
});

describe('resumePositions', () => {
  const stored = new Map([
    [0, 100],
    [1, 100],
    [2, 100],
  ]);
  const committed = new Map([
    [0, 250],
    [1, 80],
    [2, 250],
  ]);

  it('keeps the stored positions for partitions that were not regained, even behind the committed offsets', () => {
    expect(resumePositions(stored, committed, [])).toEqual({ offsets: stored, overtaken: [] });
  });

  it('resumes a regained partition from its committed offset when another member loaded past the stored position', () => {
    const { offsets, overtaken } = resumePositions(stored, committed, [1, 2]);
    expect(offsets).toEqual(
      new Map([
        [0, 100],
        [1, 100], // committed behind the stored position: the stored one wins
        [2, 250],
      ]),
    );
    expect(overtaken).toEqual([{ partition: 2, stored: 100, committed: 250 }]);
  });

  it('leaves a regained partition without a stored position to the committed offset, as any other', () => {
    expect(resumePositions(new Map(), committed, [0]).offsets).toEqual(new Map());
  });
});
