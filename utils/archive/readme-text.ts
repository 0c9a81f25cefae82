import { CHATS_DIR, MESSAGES_JSON } from './chat-plan';
import { PROBLEMS_FILE } from './problems';

export const README_FILE = 'README.txt';
export const VIEWER_PAGE = 'index.html';

export interface ReadmeInput {
  timeZone: string;
  chats: number;
  messages: number;
  mediaFiles: number;
  problems: number;
  /** The backup this came from, in words (snapshot id and time), when known. */
  source?: string;
}

/** README.txt: what the archive holds and how to open it, for someone who never heard of ChatVault. */
export function readmeText(input: ReadmeInput): string {
  const zone =
    input.timeZone === 'UTC'
      ? 'UTC (Coordinated Universal Time, the same as GMT without summer time). Add your own offset: 14:00 UTC is 15:00 in Berlin in winter, 09:00 in New York.'
      : `the ${input.timeZone} time zone.`;
  const lines = [
    'Your WhatsApp chats, restored by ChatVault',
    '==========================================',
    '',
    ...(input.source ? [`From ${input.source}.`] : []),
    `${count(input.chats, 'chat')}, ${count(input.messages, 'message')}, ${count(input.mediaFiles, 'media file')}.`,
    input.problems === 0
      ? `Everything in the backup was restored (${PROBLEMS_FILE} confirms it).`
      : `Some parts could not be restored: ${PROBLEMS_FILE} lists exactly what is missing. Everything else is here.`,
    '',
    'What is in here',
    '---------------',
    `${VIEWER_PAGE}    Open it in any web browser to read your chats the way WhatsApp shows them:`,
    '              chat list, photos and videos in place, replies, reactions, search and',
    '              "jump to a date". It works offline, straight from this folder - nothing is',
    '              uploaded or downloaded. (Keep the folders next to it.)',
    `${CHATS_DIR}/        One folder per chat, each with:`,
    '                WhatsApp Chat with <name>.txt  the chat in WhatsApp\'s own "Export chat" format',
    '                                               (Android), which chat viewers and analysers read',
    `                ${MESSAGES_JSON.padEnd(31)}every detail of every message, as JSON`,
    '                IMG-…, VID-…, PTT-…, AUD-…, DOC-…, STK-…  the photos, videos, voice messages,',
    '                                               audio, documents and stickers, named the way',
    '                                               WhatsApp names them; contact cards as .vcf',
    `${PROBLEMS_FILE.padEnd(14)}What could not be restored, and what WhatsApp Web never gave us.`,
    'viewer/       The viewer program and its data (used by index.html).',
    '',
    'Times',
    '-----',
    `All times, in the .txt files and in the viewer, are in ${zone}`,
    'The .txt files write them as DD/MM/YYYY, HH:MM (24-hour clock).',
    '',
    'Good to know',
    '------------',
    '- "<Media omitted>" in a .txt file marks a photo, video or file that is not in this archive;',
    `  ${PROBLEMS_FILE} and the viewer say why (often: it expired on WhatsApp's server before the backup).`,
    '- Lines such as <Reply to …>, <Reactions: …> and <This message was deleted …> add what',
    "  WhatsApp's own export leaves out.",
    '- A few lines start with an invisible character (U+2060 WORD JOINER): where a message itself',
    '  looks like the start of a new message, so programs reading the file do not split it.',
  ];
  return `${lines.join('\n')}\n`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
