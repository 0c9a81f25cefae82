/**
 * WhatsApp's export format has no escaping: a message line that happens to start with a date,
 * or a text that reads "<Media omitted>", is indistinguishable from the real thing, and every
 * parser (whatsapp-chat-parser included) splits or labels it wrongly. We keep the text exactly
 * and put an invisible U+2060 WORD JOINER in front of such a line, which no parser takes for
 * the format's own syntax. Readers that want the original text remove one U+2060 at the start
 * of a line and one right before a trailing `<This message was edited>` (docs/ARCHIVE.md §4).
 */
export const WORD_JOINER = '\u2060';
export const EDITED_MARKER = '<This message was edited>';

const DIRECTION_MARKS = /^[\u200e\u200f]+/;

/** A date then a time at the start of a line, in any of the export's locale variants. */
const MESSAGE_START = /^\[?\d{1,4}[-/.]\s?\d{1,4}[-/.]\s?\d{1,4}\D*?\d{1,2}[.:]\d{1,2}/;

/** Lines our writer itself produces (markers and annotations); user text must not pass for them. */
const OWN_LINE_OPENERS = [
  '<Media omitted>',
  '<This message was ',
  '<Reply to ',
  '<Reactions: ',
  '<Unsupported message',
  '<attached: ',
  'OPTION: ',
];

/** What a message body may begin with when the writer, not the sender, wrote it. */
const OWN_BODY_OPENERS = [
  ...OWN_LINE_OPENERS,
  'This message was deleted',
  'You deleted this message',
  'location: ',
  'POLL:',
];

/** Attachment lines: Android's `name.ext (file attached)` and iOS's `<attached: name>`. */
const ATTACHMENT_LIKE = [/^[\w-]+\.\w+\s[(<].*[)>]/, /^<.*:.*>/, /\(file attached\)\s*$/];

/**
 * Where a piece of user text lands: `body-start` right after `Name: ` (checked against the
 * markers a body may start with), `line-start` at the start of a line of its own, `inline` in
 * the middle of a line the writer started. Every later line is checked as a line start.
 */
export type TextPosition = 'body-start' | 'line-start' | 'inline';

/** User text (a message, caption, poll option, place name) made safe to embed in the export. */
export function escapeUserText(text: string, position: TextPosition): string {
  const lines = text.split(/(\r\n|\r|\n)/);
  let out = '';
  for (let index = 0; index < lines.length; index += 2) {
    const line = lines[index]!;
    const separator = lines[index + 1] ?? '';
    const guard =
      index > 0 || position === 'line-start'
        ? looksLikeLineStart(line)
        : position === 'body-start' && looksLikeBodyMarker(line);
    out += (guard ? WORD_JOINER : '') + line + separator;
  }
  // Only text that can end a message body could pass for the real edit marker.
  if (position !== 'inline' && out.endsWith(EDITED_MARKER))
    out = `${out.slice(0, -EDITED_MARKER.length)}${WORD_JOINER}${EDITED_MARKER}`;
  return out;
}

/** True when a continuation line would be read as a new message or as one of our own lines. */
export function looksLikeLineStart(line: string): boolean {
  if (line.startsWith(WORD_JOINER)) return true;
  const bare = line.replace(DIRECTION_MARKS, '');
  return MESSAGE_START.test(bare) || OWN_LINE_OPENERS.some((opener) => bare.startsWith(opener));
}

function looksLikeBodyMarker(line: string): boolean {
  if (line.startsWith(WORD_JOINER)) return true;
  const bare = line.replace(DIRECTION_MARKS, '');
  return (
    OWN_BODY_OPENERS.some((opener) => bare.startsWith(opener)) ||
    ATTACHMENT_LIKE.some((pattern) => pattern.test(bare))
  );
}

/** A name as the export's `Name:` needs it: one line, and no `: ` that parsers would split at. */
export function exportName(name: string): string {
  const single = name
    .replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')
    .replace(/:(?=\s)/g, '\ua789')
    .trim();
  return single === '' ? 'Unknown' : single;
}

/** A system line: one line, and no `: ` (it would be read as `Author: text`). */
export function exportSystemText(text: string): string {
  return exportName(text);
}
