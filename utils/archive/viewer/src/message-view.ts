import type { ViewerMedia, ViewerMessage } from '../model';
import { fileUrl, h, humanSize, playTime } from './dom';
import { highlightRanges } from './search';
import type { TimeFormat } from './time';

/** What a message needs to know about the chat around it to draw itself. */
export interface MessageContext {
  people: readonly string[];
  isGroup: boolean;
  format: TimeFormat;
  /** The message's day, `YYYY-MM-DD` in the archive's zone. */
  day: string;
  /** Search query to highlight, when this message is a match. */
  highlight?: string;
  current?: boolean;
  showDay: boolean;
  showAuthor: boolean;
  onJump(index: number): void;
}

const MEDIA_LABEL: Record<string, string> = {
  image: '📷 Photo',
  video: '🎥 Video',
  gif: 'GIF',
  ptt: '🎤 Voice message',
  audio: '🎵 Audio',
  document: '📄 Document',
  sticker: 'Sticker',
};

export function renderMessage(message: ViewerMessage, index: number, c: MessageContext): HTMLElement {
  const row = h('div', { class: 'row', 'data-index': index, 'data-testid': 'message' });
  if (c.showDay) row.append(h('div', { class: 'day' }, h('span', { text: c.format.dayLabel(c.day) })));
  if (message.y === 'system') {
    row.append(
      h(
        'div',
        { class: `sys${c.current ? ' current' : ''}`, dir: 'auto' },
        withHighlight(message.x ?? '', c),
      ),
    );
    return row;
  }
  const bubble = h('div', {
    class: `msg ${message.me ? 'out' : 'in'}${c.highlight !== undefined ? ' match' : ''}${c.current ? ' current' : ''}`,
  });
  if (message.f)
    bubble.append(
      h('div', { class: 'fwd', text: message.f === 2 ? '↪↪ Forwarded many times' : '↪ Forwarded' }),
    );
  const author = message.a === undefined ? undefined : c.people[message.a];
  if (c.showAuthor && author !== undefined && !message.me) {
    bubble.append(
      h('div', { class: 'author', style: `color:${colourOf(author)}`, text: author, dir: 'auto' }),
    );
  }
  if (message.q) {
    const quote = h(
      'div',
      {
        class: `quote${message.q.i === undefined ? '' : ' link'}`,
        title: message.q.i === undefined ? undefined : 'Show the message',
      },
      h('div', { class: 'qa', text: message.q.a ?? 'Earlier message', dir: 'auto' }),
      h('div', { class: 'qx', text: message.q.x, dir: 'auto' }),
    );
    const target = message.q.i;
    if (target !== undefined) quote.addEventListener('click', () => c.onJump(target));
    bubble.append(quote);
  }
  if (message.d) bubble.append(h('div', { class: 'deleted', text: `🚫 ${message.d} — your backup kept it` }));
  if (message.m) bubble.append(renderMedia(message.m));
  if (message.l) bubble.append(renderLocation(message.l));
  if (message.c) for (const card of message.c) bubble.append(renderCard(card));
  if (message.p) bubble.append(renderPoll(message.p));
  if (message.x !== undefined && message.x !== '') {
    const revoked = message.y === 'revoked' || message.y === 'unknown';
    bubble.append(
      h('div', { class: revoked ? 'text note' : 'text', dir: 'auto' }, withHighlight(message.x, c)),
    );
  }
  bubble.append(
    h(
      'div',
      { class: 'meta' },
      message.s ? h('span', { text: '⭐', title: 'Starred' }) : null,
      message.e ? h('span', { text: 'Edited' }) : null,
      h('time', {
        text: c.format.time(message.t),
        title: `${c.format.shortDate(message.t)} ${c.format.time(message.t)}`,
      }),
    ),
  );
  if (message.r) {
    const counts = new Map<string, string[]>();
    for (const [emoji, who] of message.r) counts.set(emoji, [...(counts.get(emoji) ?? []), who]);
    bubble.append(
      h(
        'div',
        { class: 'reactions' },
        ...[...counts].map(([emoji, who]) =>
          h('span', { title: who.join(', '), text: who.length > 1 ? `${emoji} ${who.length}` : emoji }),
        ),
      ),
    );
  }
  row.append(bubble);
  return row;
}

function withHighlight(text: string, c: MessageContext): Node {
  if (c.highlight === undefined) return document.createTextNode(text);
  const ranges = highlightRanges(text, c.highlight);
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    fragment.append(text.slice(at, start), h('mark', { text: text.slice(start, end) }));
    at = end;
  }
  fragment.append(text.slice(at));
  return fragment;
}

function renderMedia(media: ViewerMedia): HTMLElement {
  const label = MEDIA_LABEL[media.k] ?? 'File';
  if (!media.f) {
    return h(
      'div',
      { class: 'missing' },
      h('strong', { text: `${label}${media.n ? `: ${media.n}` : ''} — not in this archive` }),
      h('div', { text: media.miss ?? '' }),
    );
  }
  const url = fileUrl(media.f);
  switch (media.k) {
    case 'image':
    case 'sticker': {
      const [width, height] = boxFor(media, media.k === 'sticker' ? 160 : 300);
      return h(
        'a',
        { href: url, target: '_blank', class: 'media' },
        h('img', { src: url, loading: 'lazy', decoding: 'async', alt: label, width, height }),
      );
    }
    case 'video':
    case 'gif': {
      const [width, height] = boxFor(media, 300);
      return h('video', {
        class: 'media',
        src: url,
        controls: true,
        preload: 'none',
        width,
        height,
        loop: media.k === 'gif',
        muted: media.k === 'gif',
      });
    }
    case 'ptt':
    case 'audio':
      return h(
        'div',
        { class: 'audio' },
        h('span', {
          text: `${media.k === 'ptt' ? '🎤' : '🎵'} ${media.du === undefined ? '' : playTime(media.du)}`,
        }),
        h('audio', { src: url, controls: true, preload: 'none' }),
      );
    default:
      return h(
        'a',
        { class: 'doc', href: url, target: '_blank' },
        h('span', { class: 'doc-icon', text: '📄' }),
        h('span', { text: media.n ?? 'Document', dir: 'auto' }),
        h('small', { text: media.z === undefined ? '' : humanSize(media.z) }),
      );
  }
}

/** Width and height that keep the aspect ratio within `max` pixels, so nothing jumps on load. */
export function boxFor(media: ViewerMedia, max: number): [number, number] {
  const w = media.w && media.w > 0 ? media.w : 4;
  const h2 = media.h && media.h > 0 ? media.h : 3;
  const scale = Math.min(max / w, max / h2);
  return [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h2 * scale))];
}

function renderLocation(place: NonNullable<ViewerMessage['l']>): HTMLElement {
  const href = `https://www.openstreetmap.org/?mlat=${place.lat}&mlon=${place.lng}#map=16/${place.lat}/${place.lng}`;
  return h(
    'a',
    {
      class: 'loc',
      href,
      target: '_blank',
      rel: 'noopener noreferrer',
      title: 'Opens a map on the internet',
    },
    h('strong', { text: `📍 ${place.n ?? 'Location'}`, dir: 'auto' }),
    place.ad ? h('div', { text: place.ad, dir: 'auto' }) : null,
    h('small', { text: `${place.lat}, ${place.lng}` }),
  );
}

function renderCard(card: NonNullable<ViewerMessage['c']>[number]): HTMLElement {
  return h(
    card.f ? 'a' : 'div',
    { class: 'card', ...(card.f ? { href: fileUrl(card.f), target: '_blank' } : {}) },
    h('strong', { text: `👤 ${card.n}`, dir: 'auto' }),
    ...card.tel.map((tel) => h('div', { text: tel })),
  );
}

function renderPoll(poll: NonNullable<ViewerMessage['p']>): HTMLElement {
  const total = Math.max(1, ...poll.o.map(([, votes]) => votes));
  return h(
    'div',
    { class: 'poll' },
    h('strong', { text: `📊 ${poll.q}`, dir: 'auto' }),
    h('small', { text: poll.multi ? 'Select one or more' : 'Select one' }),
    ...poll.o.map(([name, votes]) =>
      h(
        'div',
        { class: 'option' },
        h('span', { text: name, dir: 'auto' }),
        h('span', { class: 'votes', text: String(votes) }),
        h('div', { class: 'bar', style: `width:${Math.round((votes / total) * 100)}%` }),
      ),
    ),
  );
}

// Readable on both the light and the dark bubble colours.
const PALETTE = ['#1f7aec', '#d3396d', '#0f9d58', '#e67e22', '#a55eea', '#16a085', '#e0503f', '#7f8c8d'];

function colourOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length]!;
}

/** A first guess of a message's height before it is drawn (the list corrects it once measured). */
export function estimateHeight(
  message: ViewerMessage,
  c: Pick<MessageContext, 'showDay' | 'showAuthor'>,
): number {
  let height = c.showDay ? 44 : 0;
  if (message.y === 'system') return height + 40;
  height += 36;
  if (c.showAuthor) height += 18;
  if (message.q) height += 52;
  if (message.r) height += 26;
  const text = message.x ?? '';
  if (text) {
    let lines = 0;
    for (const line of text.split('\n')) lines += Math.max(1, Math.ceil(line.length / 42));
    height += lines * 20;
  }
  if (message.m) {
    if (!message.m.f) height += 60;
    else if (message.m.k === 'image' || message.m.k === 'video' || message.m.k === 'gif')
      height += boxFor(message.m, 300)[1] + 6;
    else if (message.m.k === 'sticker') height += boxFor(message.m, 160)[1] + 6;
    else height += 56;
  }
  if (message.p) height += 60 + message.p.o.length * 34;
  if (message.l) height += 64;
  if (message.c) height += message.c.length * 56;
  return height;
}
