import { HeightIndex } from './height-index';

/**
 * A scrolling list that only keeps the rows near the viewport in the DOM, so a chat of
 * 100 000 messages scrolls as smoothly as one of 100. Rows have different heights: each starts
 * with an estimate, is measured once drawn (and whenever a ResizeObserver sees it change), and
 * the first visible row stays put on screen while heights above it are corrected.
 */
export interface VirtualListOptions {
  count: number;
  estimate(index: number): number;
  render(index: number): HTMLElement;
  /** Rows drawn beyond each edge of the viewport. */
  overscan?: number;
}

export class VirtualList {
  private readonly spacer: HTMLDivElement;
  private readonly heights: HeightIndex;
  private readonly rows = new Map<number, HTMLElement>();
  private readonly observer: ResizeObserver | undefined;
  private frame = 0;
  private programmaticTop = -1;
  /** A row the list keeps in place until the user scrolls: after a jump, or at the bottom. */
  private target: { index: number; align: 'start' | 'center' | 'end' } | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly options: VirtualListOptions,
  ) {
    const estimates = new Float64Array(options.count);
    for (let i = 0; i < options.count; i++) estimates[i] = options.estimate(i);
    this.heights = new HeightIndex(estimates);
    this.spacer = document.createElement('div');
    this.spacer.className = 'spacer';
    this.spacer.style.height = `${this.heights.total()}px`;
    viewport.replaceChildren(this.spacer);
    this.observer =
      typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.schedule()) : undefined;
    viewport.addEventListener('scroll', this.onScroll, { passive: true });
  }

  get count(): number {
    return this.options.count;
  }

  /** Indexes of the rows currently in the DOM, ascending. */
  renderedIndexes(): number[] {
    return [...this.rows.keys()].sort((a, b) => a - b);
  }

  scrollToIndex(index: number, align: 'start' | 'center' | 'end' = 'center'): void {
    if (this.options.count === 0) return;
    this.target = { index: Math.min(Math.max(index, 0), this.options.count - 1), align };
    this.update();
  }

  scrollToEnd(): void {
    this.scrollToIndex(this.options.count - 1, 'end');
  }

  /** Draws rows again (their content changed, e.g. a search highlight); all drawn rows by default. */
  refresh(indexes?: Iterable<number>): void {
    for (const index of indexes ?? [...this.rows.keys()]) {
      const row = this.rows.get(index);
      if (!row) continue;
      this.observer?.unobserve(row);
      row.remove();
      this.rows.delete(index);
    }
    this.update();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.observer?.disconnect();
    this.viewport.removeEventListener('scroll', this.onScroll);
    this.rows.clear();
  }

  private readonly onScroll = () => {
    // Our own scrollTop assignments fire scroll events too; only the user's end a jump.
    if (Math.abs(this.viewport.scrollTop - this.programmaticTop) > 1) this.target = undefined;
    this.schedule();
  };

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private setScrollTop(top: number): void {
    const max = Math.max(0, this.heights.total() - this.viewport.clientHeight);
    const clamped = Math.min(Math.max(0, top), max);
    this.programmaticTop = clamped;
    this.viewport.scrollTop = clamped;
    this.programmaticTop = this.viewport.scrollTop;
  }

  private targetTop(): number {
    const target = this.target!;
    const start = this.heights.offsetOf(target.index);
    const height = this.heights.height(target.index);
    const view = this.viewport.clientHeight;
    if (target.align === 'start') return start;
    if (target.align === 'end') return start + height - view;
    return start + height / 2 - view / 2;
  }

  /** Draws what is visible, measures it, and keeps the anchor row where the eye is. */
  private update(): void {
    for (let pass = 0; pass < 4; pass++) {
      if (this.target) this.setScrollTop(this.targetTop());
      const top = this.viewport.scrollTop;
      const anchor = Math.max(0, this.heights.indexAt(top));
      const anchorShift = top - this.heights.offsetOf(anchor);
      const changed = this.drawAndMeasure(top);
      if (!changed) break;
      this.spacer.style.height = `${this.heights.total()}px`;
      if (this.target) continue;
      // Keep the row that was at the top of the viewport exactly where it was.
      this.setScrollTop(this.heights.offsetOf(anchor) + anchorShift);
    }
    for (const [index, row] of this.rows) row.style.top = `${this.heights.offsetOf(index)}px`;
    this.spacer.style.height = `${this.heights.total()}px`;
  }

  /** Returns whether any measured height differed from what the index held. */
  private drawAndMeasure(top: number): boolean {
    const count = this.options.count;
    if (count === 0) return false;
    const overscan = this.options.overscan ?? 8;
    const first = Math.max(0, this.heights.indexAt(top) - overscan);
    const last = Math.min(count - 1, this.heights.indexAt(top + this.viewport.clientHeight) + overscan);
    for (const [index, row] of this.rows) {
      if (index < first || index > last) {
        this.observer?.unobserve(row);
        row.remove();
        this.rows.delete(index);
      }
    }
    const added: [number, HTMLElement][] = [];
    for (let index = first; index <= last; index++) {
      if (this.rows.has(index)) continue;
      const row = this.options.render(index);
      row.style.position = 'absolute';
      row.style.left = '0';
      row.style.right = '0';
      row.style.top = `${this.heights.offsetOf(index)}px`;
      this.spacer.append(row);
      this.rows.set(index, row);
      added.push([index, row]);
    }
    let changed = false;
    // Read every height after all writes: one layout for the whole batch.
    for (const [index, row] of this.rows) {
      const measured = row.offsetHeight;
      if (measured > 0 && this.heights.set(index, measured) !== 0) changed = true;
    }
    for (const [, row] of added) this.observer?.observe(row);
    return changed;
  }
}
