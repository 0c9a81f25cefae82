import type { ViewerChatSummary } from '../model';
import { h } from './dom';
import { normaliseForSearch } from './search';
import type { TimeFormat } from './time';

/** The sidebar: chats by most recent message, as WhatsApp lists them, with a name filter. */
export class ChatList {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly items = new Map<number, HTMLElement>();

  constructor(
    private readonly chats: readonly ViewerChatSummary[],
    private readonly format: TimeFormat,
    private readonly onOpen: (n: number) => void,
  ) {
    const filter = h('input', {
      type: 'search',
      placeholder: 'Search chats',
      'aria-label': 'Search chats',
      'data-testid': 'chat-filter',
    });
    filter.addEventListener('input', () => this.filter(filter.value));
    this.list = h('nav', { class: 'chat-list', 'aria-label': 'Chats', 'data-testid': 'chat-list' });
    this.element = h('div', { class: 'chat-list-pane' }, h('div', { class: 'filter' }, filter), this.list);
    const ordered = [...chats].sort((a, b) => (b.last ?? 0) - (a.last ?? 0) || a.n - b.n);
    for (const chat of ordered) {
      const item = this.renderItem(chat);
      this.items.set(chat.n, item);
      this.list.append(item);
    }
  }

  select(n: number): void {
    for (const [key, item] of this.items) {
      item.classList.toggle('selected', key === n);
      if (key === n) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
  }

  private renderItem(chat: ViewerChatSummary): HTMLElement {
    const item = h(
      'button',
      { class: 'chat-item', type: 'button', 'data-testid': 'chat-item', 'data-chat': chat.n },
      h('div', { class: 'avatar', text: initials(chat.title), 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'chat-text' },
        h(
          'div',
          { class: 'chat-top' },
          h('span', { class: 'chat-title', text: chat.title, dir: 'auto' }),
          h('small', { text: chat.last === undefined ? '' : this.format.shortDate(chat.last) }),
        ),
        h(
          'div',
          { class: 'chat-bottom' },
          h('span', { class: 'chat-preview', text: chat.preview ?? '', dir: 'auto' }),
          chat.notes.length > 0
            ? h('span', { class: 'warn', title: chat.notes.join('\n'), text: '⚠' })
            : null,
        ),
      ),
    );
    item.addEventListener('click', () => this.onOpen(chat.n));
    return item;
  }

  private filter(query: string): void {
    const needle = normaliseForSearch(query.trim());
    for (const chat of this.chats) {
      const item = this.items.get(chat.n);
      if (item) item.hidden = needle !== '' && !normaliseForSearch(chat.title).includes(needle);
    }
  }
}

function initials(title: string): string {
  const words = [...title.trim()].length === 0 ? [] : title.trim().split(/\s+/);
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}
