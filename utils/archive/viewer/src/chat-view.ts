import type { ViewerChatSummary, ViewerMessage } from '../model';
import { h } from './dom';
import { estimateHeight, type MessageContext, renderMessage } from './message-view';
import { findMatches, normaliseForSearch } from './search';
import { firstIndexOnOrAfterDay, type TimeFormat } from './time';
import { VirtualList } from './virtual-list';

/** One open chat: header with search and "jump to date", and the virtualised messages. */
export class ChatView {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private readonly isGroup: boolean;
  private haystacks: string[] | undefined;
  private query = '';
  private matches: number[] = [];
  private matchSet = new Set<number>();
  private current = -1;
  private readonly counter: HTMLElement;
  /** Day number (into `days`) of every message. */
  private readonly dayOf: Uint32Array;

  constructor(
    readonly summary: ViewerChatSummary,
    private readonly people: readonly string[],
    private readonly days: readonly [number, string][],
    private readonly messages: readonly ViewerMessage[],
    private readonly format: TimeFormat,
    timeZone: string,
  ) {
    this.isGroup = summary.kind === 'group';
    this.dayOf = new Uint32Array(messages.length);
    days.forEach(([start], day) => {
      const end = days[day + 1]?.[0] ?? messages.length;
      this.dayOf.fill(day, start, end);
    });
    const search = h('input', {
      type: 'search',
      placeholder: 'Search this chat',
      'aria-label': 'Search this chat',
      'data-testid': 'search',
    });
    this.counter = h('span', { class: 'count', 'data-testid': 'search-count', 'aria-live': 'polite' });
    const previous = h('button', {
      type: 'button',
      title: 'Earlier match',
      'aria-label': 'Earlier match',
      text: '▲',
    });
    const next = h('button', {
      type: 'button',
      title: 'Later match',
      'aria-label': 'Later match',
      text: '▼',
    });
    search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.search(search.value, event.shiftKey ? 1 : -1);
    });
    search.addEventListener('input', () => {
      if (search.value.trim() === '') this.search('', -1);
    });
    previous.addEventListener('click', () => this.search(search.value, -1));
    next.addEventListener('click', () => this.search(search.value, 1));

    const first = messages[0];
    const last = messages.at(-1);
    const date = h('input', {
      type: 'date',
      'aria-label': 'Jump to a date',
      title: 'Jump to a date',
      'data-testid': 'jump-date',
      min: first ? this.dayKey(0) : undefined,
      max: last ? this.dayKey(messages.length - 1) : undefined,
    });
    date.addEventListener('change', () => {
      if (date.value) this.jumpToDay(date.value);
    });

    const details = [
      `${summary.count.toLocaleString('en-US')} messages`,
      summary.members === undefined ? '' : `${summary.members} members`,
      `times in ${timeZone}`,
    ].filter(Boolean);
    const notes =
      summary.notes.length === 0
        ? null
        : h(
            'details',
            { class: 'notes', 'data-testid': 'chat-notes' },
            h('summary', {
              text: `⚠ ${summary.notes.length === 1 ? 'Something is' : 'Some things are'} missing from this chat`,
            }),
            h('ul', {}, ...summary.notes.map((note) => h('li', { text: note }))),
          );
    const viewport = h('div', { class: 'messages', 'data-testid': 'messages', tabindex: 0 });
    this.element = h(
      'section',
      { class: 'chat', 'data-testid': 'chat', 'data-chat': summary.n },
      h(
        'header',
        { class: 'chat-header' },
        h(
          'div',
          { class: 'chat-heading' },
          h('h2', { text: summary.title, dir: 'auto', 'data-testid': 'chat-title' }),
          h('small', { text: details.join(' · ') }),
        ),
        h(
          'div',
          { class: 'tools' },
          h('div', { class: 'search' }, search, this.counter, previous, next),
          date,
        ),
      ),
      notes,
      viewport,
    );
    this.list = new VirtualList(viewport, {
      count: messages.length,
      estimate: (index) => estimateHeight(messages[index]!, this.layoutOf(index)),
      render: (index) => this.renderAt(index),
    });
  }

  /** Shows the newest messages, as WhatsApp opens a chat. */
  start(): void {
    this.list.scrollToEnd();
  }

  jumpTo(index: number): void {
    this.list.scrollToIndex(index, 'center');
  }

  /** Goes to the first message on or after `YYYY-MM-DD`; returns its index. */
  jumpToDay(day: string): number {
    const index = firstIndexOnOrAfterDay(this.messages.length, (i) => this.dayKey(i), day);
    if (index >= 0) this.list.scrollToIndex(index, 'start');
    return index;
  }

  /**
   * Finds the query and moves to the next match in `direction` (-1 towards older messages,
   * as WhatsApp searches upwards from the newest). Returns the current match's index or -1.
   */
  search(query: string, direction: 1 | -1): number {
    if (query !== this.query) {
      this.query = query;
      this.haystacks ??= this.messages.map((message) => normaliseForSearch(searchText(message)));
      this.matches = findMatches(this.haystacks, query);
      this.matchSet = new Set(this.matches);
      this.current = this.matches.length > 0 ? (direction < 0 ? this.matches.length : -1) : -1;
    }
    if (this.matches.length === 0) {
      this.counter.textContent = query.trim() === '' ? '' : 'No results';
      this.list.refresh();
      return -1;
    }
    this.current = (this.current + direction + this.matches.length) % this.matches.length;
    const index = this.matches[this.current]!;
    this.counter.textContent = `${this.current + 1} of ${this.matches.length}`;
    // Redraw what is on screen (highlights changed), then move to the match.
    this.list.refresh();
    this.list.scrollToIndex(index, 'center');
    return index;
  }

  renderedIndexes(): number[] {
    return this.list.renderedIndexes();
  }

  destroy(): void {
    this.list.destroy();
  }

  private dayKey(index: number): string {
    return this.days[this.dayOf[index]!]?.[1] ?? '';
  }

  private layoutOf(index: number): Pick<MessageContext, 'showDay' | 'showAuthor'> {
    const message = this.messages[index]!;
    const previous = index > 0 ? this.messages[index - 1] : undefined;
    const showDay = !previous || this.dayOf[index - 1] !== this.dayOf[index];
    const showAuthor =
      this.isGroup &&
      !message.me &&
      message.y !== 'system' &&
      (showDay || !previous || previous.a !== message.a || previous.y === 'system');
    return { showDay, showAuthor };
  }

  private renderAt(index: number): HTMLElement {
    const isMatch = this.matchSet.has(index);
    return renderMessage(this.messages[index]!, index, {
      ...this.layoutOf(index),
      day: this.dayKey(index),
      people: this.people,
      isGroup: this.isGroup,
      format: this.format,
      ...(isMatch ? { highlight: this.query } : {}),
      current: isMatch && this.matches[this.current] === index,
      onJump: (target) => this.jumpTo(target),
    });
  }
}

/** What search looks at: the text and the names shown in a message (not the author). */
function searchText(message: ViewerMessage): string {
  const parts = [message.x, message.m?.n, message.l?.n, message.l?.ad, message.p?.q];
  for (const [option] of message.p?.o ?? []) parts.push(option);
  for (const card of message.c ?? []) parts.push(card.n);
  return parts.filter((part) => part !== undefined).join('\n');
}
