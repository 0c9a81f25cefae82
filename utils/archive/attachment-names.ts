import type { MediaMessageType, Message } from '@/utils/schema/types';
import type { ArchiveClock } from './clock';
import { ArchiveError } from './errors';
import { safeFileName, type UniqueNames } from './file-names';

/**
 * Attachment names the way WhatsApp on Android names received media:
 * `<PREFIX>-<YYYYMMDD>-WA<NNNN>.<ext>`, the day in the archive's time zone and NNNN counting
 * from 0001 per prefix and day. WhatsApp counts per media folder ("WhatsApp Images",
 * "WhatsApp Video", …), which is what counting per prefix reproduces; we count per chat folder,
 * so every chat's files start at WA0001 and names never collide inside a folder.
 *
 * GIFs are stored as MP4 (that is what WhatsApp sends) and named VID-…mp4. Documents keep the
 * file name they were sent with after the WhatsApp-style stem: `DOC-20210428-WA0001-Invoice.pdf`.
 */
const PREFIX: Record<MediaMessageType, string> = {
  image: 'IMG',
  video: 'VID',
  gif: 'VID',
  ptt: 'PTT',
  audio: 'AUD',
  document: 'DOC',
  sticker: 'STK',
};

/** Extensions by MIME type (parameters ignored); WhatsApp's own choices where it has one. */
const EXTENSION_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/webm': 'weba',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
};

/** What a type's files end in when the MIME type says nothing we know. */
const DEFAULT_EXTENSION: Record<MediaMessageType, string> = {
  image: 'jpg',
  video: 'mp4',
  gif: 'mp4',
  ptt: 'opus',
  audio: 'mp3',
  document: 'bin',
  sticker: 'webp',
};

export function extensionFor(type: MediaMessageType, mimetype: string): string {
  // Voice notes are Opus in Ogg; WhatsApp names them .opus whatever the MIME type says.
  if (type === 'ptt') return 'opus';
  if (type === 'gif') return 'mp4';
  const [base = '', ...parameters] = mimetype.toLowerCase().split(';');
  if (base.trim() === 'audio/ogg' && parameters.some((p) => /codecs\s*=\s*"?opus/.test(p))) return 'opus';
  return EXTENSION_BY_MIME[base.trim()] ?? DEFAULT_EXTENSION[type];
}

export interface AttachmentNamer {
  /** The next name for this media message's file (call once per file, in message order). */
  nameFor(message: Message): string;
}

export function createAttachmentNamer(clock: ArchiveClock, names: UniqueNames): AttachmentNamer {
  const counters = new Map<string, number>();
  return {
    nameFor(message) {
      const type = message?.type as MediaMessageType;
      if (!message?.media || !(type in PREFIX)) {
        throw new ArchiveError('invalid-argument', 'nameFor needs a media message (image, video, …)');
      }
      const prefix = PREFIX[type];
      const day = clock.dayKey(message.timestamp);
      const counterKey = `${prefix}-${day}`;
      const number = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, number);
      const stem = `${prefix}-${day}-WA${String(number).padStart(4, '0')}`;
      const original = message.media.filename?.trim();
      if (type === 'document' && original) {
        const kept = safeFileName(original, { fallback: 'document', maxLength: 100, keepExtension: true });
        return names.claim(`${stem}-${kept}`, { keepExtension: true });
      }
      return names.claim(`${stem}.${extensionFor(type, message.media.mimetype)}`, { keepExtension: true });
    },
  };
}
