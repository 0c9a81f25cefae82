import {
  chatDataPath,
  type ViewerArchive,
  type ViewerChatHead,
  type ViewerMessage,
  type ViewerReceiver,
} from '../model';
import { ChatList } from './chat-list';
import { ChatView } from './chat-view';
import { h } from './dom';
import { STYLES } from './styles';
import { createTimeFormat, type TimeFormat } from './time';

/**
 * The offline viewer (index.html): loaded as a classic script from file://, no server, no
 * network. Data arrives through the global receiver from the data scripts (viewer/model.ts);
 * a chat's data script is added only when the chat is opened.
 */

interface LoadedChat {
  head: ViewerChatHead;
  messages: ViewerMessage[];
  done: boolean;
}

/** What tests and the benchmark read (window.ChatVaultViewer). */
export interface ViewerHandle {
  ready: boolean;
  openChat(n: number): void;
  /** The chat on screen, once it has been drawn. */
  shownChat?: number;
  /** performance.now() when each chat was first drawn (ms since the page started loading). */
  renderedAt: Record<number, number>;
  search(query: string, direction?: 1 | -1): number;
  jumpToDay(day: string): number;
  renderedIndexes(): number[];
  error?: string;
}

declare global {
  interface Window {
    ChatVaultArchive: ViewerReceiver;
    ChatVaultViewer: ViewerHandle;
  }
}

const THEMES = ['auto', 'light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

let archive: ViewerArchive | undefined;
let format: TimeFormat | undefined;
let chatList: ChatList | undefined;
let view: ChatView | undefined;
const loaded = new Map<number, LoadedChat>();
const requested = new Set<number>();
let wanted: number | undefined;

const main = h('main', { class: 'main' }, h('div', { class: 'empty', text: 'Loading your chats…' }));
const sidebarBody = h('div', { class: 'sidebar-body' });
const themeButton = h('button', { type: 'button', class: 'theme', 'data-testid': 'theme' });

const handle: ViewerHandle = {
  ready: false,
  renderedAt: {},
  openChat: (n) => navigate(n),
  search: (query, direction = -1) => view?.search(query, direction) ?? -1,
  jumpToDay: (day) => view?.jumpToDay(day) ?? -1,
  renderedIndexes: () => view?.renderedIndexes() ?? [],
};
window.ChatVaultViewer = handle;

window.ChatVaultArchive = {
  archive(data) {
    archive = data;
    format = createTimeFormat(data.timeZone);
    showArchive(data, format);
    handle.ready = true;
    route();
  },
  chatStart(n, head) {
    loaded.set(n, { head, messages: [], done: false });
  },
  chatMessages(n, messages) {
    const chat = loaded.get(n);
    if (chat) for (const message of messages) chat.messages.push(message);
  },
  chatEnd(n) {
    const chat = loaded.get(n);
    if (!chat) return;
    chat.done = true;
    if (wanted === n) show(n);
  },
};

boot();

function boot(): void {
  document.head.append(h('style', { text: STYLES }));
  applyTheme(storedTheme());
  themeButton.addEventListener('click', () => {
    const next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length]!;
    applyTheme(next);
    try {
      localStorage.setItem('chatvault-theme', next);
    } catch {
      // Some browsers refuse storage on file:// pages; the choice then lasts for this visit.
    }
  });
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  app.replaceChildren(
    h(
      'div',
      { class: 'layout' },
      h(
        'aside',
        { class: 'sidebar' },
        h('header', { class: 'sidebar-header' }, h('h1', { text: 'Chats' }), themeButton),
        sidebarBody,
      ),
      main,
    ),
  );
  window.addEventListener('hashchange', route);
  // A link straight to a chat: start loading its data alongside the chat list.
  const linked = /^#chat=(\d+)$/.exec(location.hash);
  if (linked) load(Number(linked[1]), chatDataPath(Number(linked[1])));
  window.addEventListener('load', () => {
    if (!archive)
      fail('viewer/chats.js did not load. Keep index.html next to its "viewer" and "chats" folders.');
  });
}

function showArchive(data: ViewerArchive, timeFormat: TimeFormat): void {
  chatList = new ChatList(data.chats, timeFormat, (n) => navigate(n));
  const facts = [
    data.account ? `${data.account}'s WhatsApp` : 'WhatsApp',
    `${data.chats.length} chats`,
    `times in ${data.timeZone}`,
  ];
  const problems =
    data.problems > 0
      ? [
          h('p', {
            class: 'archive-problems',
            'data-testid': 'archive-problems',
            text: `⚠ ${data.problems === 1 ? 'One part' : `${data.problems} parts`} of the backup could not be restored — see problems.txt.`,
          }),
        ]
      : [];
  sidebarBody.replaceChildren(
    h('p', { class: 'archive-facts', text: facts.join(' · ') }),
    ...problems,
    chatList.element,
  );
  main.replaceChildren(h('div', { class: 'empty', text: 'Choose a chat on the left.' }));
}

function navigate(n: number): void {
  const hash = `#chat=${n}`;
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route(): void {
  if (!archive) return;
  const match = /^#chat=(\d+)$/.exec(location.hash);
  if (!match) return;
  open(Number(match[1]));
}

function open(n: number): void {
  const summary = archive?.chats.find((chat) => chat.n === n);
  if (!summary) return;
  wanted = n;
  chatList?.select(n);
  const chat = loaded.get(n);
  if (chat?.done) {
    show(n);
    return;
  }
  main.replaceChildren(h('div', { class: 'empty', text: `Opening ${summary.title}…` }));
  load(n, summary.data);
}

/** Adds chat n's data script once; it reports through the receiver when it has run. */
function load(n: number, src: string): void {
  if (requested.has(n)) return;
  requested.add(n);
  const script = h('script', { src });
  script.addEventListener('error', () => {
    requested.delete(n);
    fail(`${src} could not be loaded. Is the archive folder complete?`);
  });
  document.body.append(script);
}

function show(n: number): void {
  const summary = archive?.chats.find((chat) => chat.n === n);
  const chat = loaded.get(n);
  if (!summary || !chat || !format || !archive) return;
  view?.destroy();
  view = new ChatView(summary, chat.head.people, chat.head.days, chat.messages, format, archive.timeZone);
  main.replaceChildren(view.element);
  view.start();
  handle.shownChat = n;
  if (handle.renderedAt[n] === undefined) {
    // After the frame that paints it: what a person would see as "the chat is there".
    requestAnimationFrame(() =>
      setTimeout(() => {
        handle.renderedAt[n] ??= performance.now();
      }, 0),
    );
  }
}

function fail(message: string): void {
  handle.error = message;
  main.replaceChildren(h('div', { class: 'empty error', role: 'alert', text: message }));
}

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem('chatvault-theme');
    return THEMES.includes(value as Theme) ? (value as Theme) : 'auto';
  } catch {
    return 'auto';
  }
}

function currentTheme(): Theme {
  const value = document.documentElement.dataset.theme;
  return THEMES.includes(value as Theme) ? (value as Theme) : 'auto';
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  themeButton.textContent = theme === 'dark' ? '🌙' : theme === 'light' ? '☀️' : '🌓';
  themeButton.title = `Theme: ${theme} (click to change)`;
  themeButton.setAttribute('aria-label', themeButton.title);
}
