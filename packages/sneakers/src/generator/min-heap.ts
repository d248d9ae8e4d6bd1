/**
 * A binary min-heap ordered by `key`, ties broken by insertion order (stable).
 * Sifts by moving a hole rather than swapping (no temporary arrays), since the
 * generator pushes and pops once per event.
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: T[] = [];
  private seq = 0;

  get size(): number {
    return this.values.length;
  }

  /** The smallest key, or `Infinity` when empty. */
  peekKey(): number {
    return this.values.length === 0 ? Infinity : this.keys[0]!;
  }

  push(key: number, value: T): void {
    const keys = this.keys;
    const seqs = this.seqs;
    const values = this.values;
    const seq = this.seq++;
    let i = values.length;
    keys.push(key);
    seqs.push(seq);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && seqs[parent]! < seq)) break;
      keys[i] = pk;
      seqs[i] = seqs[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    seqs[i] = seq;
    values[i] = value;
  }

  pop(): T | undefined {
    const keys = this.keys;
    const seqs = this.seqs;
    const values = this.values;
    const n = values.length - 1;
    if (n < 0) return undefined;
    const top = values[0];
    // The last entry fills the hole left at the root, sinking to its place.
    const key = keys.pop()!;
    const seq = seqs.pop()!;
    const value = values.pop()!;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && (keys[r]! < keys[l]! || (keys[r] === keys[l] && seqs[r]! < seqs[l]!))) child = r;
      const ck = keys[child]!;
      if (key < ck || (key === ck && seq < seqs[child]!)) break;
      keys[i] = ck;
      seqs[i] = seqs[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    seqs[i] = seq;
    values[i] = value;
    return top;
  }
}
