/**
 * Heights of a long list and the offsets they add up to, for the virtualised message list:
 * a Fenwick (binary indexed) tree, so changing one height and asking "which item is at pixel
 * y" both cost O(log n) — with 100 000 messages, recomputing offsets on every measurement
 * would not keep up with scrolling.
 */
export class HeightIndex {
  private readonly tree: Float64Array;
  private readonly heights: Float64Array;
  private readonly topStep: number;

  constructor(heights: ArrayLike<number>) {
    const n = heights.length;
    this.heights = Float64Array.from(heights, (h) => (Number.isFinite(h) && h > 0 ? h : 0));
    this.tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i]! += this.heights[i - 1]!;
      const parent = i + (i & -i);
      if (parent <= n) this.tree[parent]! += this.tree[i]!;
    }
    let step = 1;
    while (step * 2 <= n) step *= 2;
    this.topStep = n === 0 ? 0 : step;
  }

  get length(): number {
    return this.heights.length;
  }

  height(index: number): number {
    return this.heights[index] ?? 0;
  }

  /** Sets one item's height; returns how much it changed. */
  set(index: number, height: number): number {
    if (index < 0 || index >= this.heights.length) return 0;
    const value = Number.isFinite(height) && height > 0 ? height : 0;
    const delta = value - this.heights[index]!;
    if (delta === 0) return 0;
    this.heights[index] = value;
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
    return delta;
  }

  /** Where item `index` starts: the sum of the heights before it. */
  offsetOf(index: number): number {
    let sum = 0;
    for (let i = Math.min(Math.max(index, 0), this.heights.length); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  total(): number {
    return this.offsetOf(this.heights.length);
  }

  /** The item covering pixel `offset` (clamped to the list). */
  indexAt(offset: number): number {
    if (this.heights.length === 0) return -1;
    let position = 0;
    let remaining = offset;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = position + step;
      if (next < this.tree.length && this.tree[next]! <= remaining) {
        position = next;
        remaining -= this.tree[next]!;
      }
    }
    return Math.min(position, this.heights.length - 1);
  }
}
