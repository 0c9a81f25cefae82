import {
  type CollectProgress,
  type CollectStart,
  type END_OUTCOMES,
  type JsonCollectItem,
  type ToBackground,
  toBackground,
} from '@/utils/messages/collect-protocol';
import { computeFilehash } from '@/utils/schema/filehash';
import { isJid } from '@/utils/schema/jid';
import type { Account, Chat } from '@/utils/schema/types';
import { parseChat, parseContacts, parseMessage } from '@/utils/schema/validate';
import { base64ToBytes } from './base64-bytes';
import { CollectError } from './collect-errors';
import type { CollectSink, MediaFile } from './collect-sink';
import type { PortLike } from './port-like';

/**
 * The background's end of one collection Port: it validates what the page sends (page data is
 * untrusted: every chat and message against the canonical schema, every media file against its
 * filehash), stores it strictly in order, and acknowledges each item only once it is stored, so
 * nothing acknowledged can be lost and nothing unacknowledged is forgotten by the content script.
 */
export interface ReceiveOptions {
  port: PortLike;
  start: CollectStart;
  sink: CollectSink;
  onAttached?: (resumed: boolean) => void;
  onProgress?: (progress: CollectProgress) => void;
  /** Told about everything refused (a count is kept in the result too). */
  onRejected?: (what: string) => void;
  now?: () => number;
}

export interface ReceiveResult {
  outcome: (typeof END_OUTCOMES)[number];
  code?: string;
  message?: string;
  mode?: 'modules' | 'dom';
  rejected: number;
}

export interface Reception {
  /** Settles when the page ends the run, the Port drops, or storing fails. */
  done: Promise<ReceiveResult>;
  /** Asks the page to stop; `done` then settles with its `cancelled` end. */
  cancel(): void;
}

/** Media are stored a few at a time (one transaction each batch), at most this many / this much. */
const MEDIA_BATCH_FILES = 16;
const MEDIA_BATCH_BYTES = 8 * 1024 * 1024;

interface Assembly {
  filehash: string;
  mimetype?: string;
  size: number;
  parts: (Uint8Array<ArrayBuffer> | undefined)[];
  received: number;
}

export function receiveRun(options: ReceiveOptions): Reception {
  const { port, sink, start } = options;
  const runId = start.runId;
  const now = options.now ?? Date.now;
  let attached = false;
  let settled = false;
  let handled = 0;
  let rejected = 0;
  let mode: 'modules' | 'dom' | undefined;
  let queue: Promise<void> = Promise.resolve();
  const assemblies = new Map<number, Assembly>();
  /** Verified media waiting to be stored together (acknowledged once stored). */
  const pendingMedia: { seq: number; file: MediaFile }[] = [];
  let pendingBytes = 0;
  /** Messages received but not handled yet: when none are left, waiting media is stored. */
  let waiting = 0;
  let resolveDone!: (result: ReceiveResult) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<ReceiveResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    action();
  };
  const fail = (error: CollectError) =>
    settle(() => {
      try {
        port.postMessage({ type: 'cancel', runId });
        port.disconnect();
      } catch {
        // Already gone.
      }
      rejectDone(error);
    });
  const reject = (what: string) => {
    rejected++;
    options.onRejected?.(what);
  };
  const ack = (seq: number) => {
    handled = Math.max(handled, seq);
    try {
      port.postMessage({ type: 'ack', runId, seq });
    } catch {
      // The Port closed; onDisconnect settles the run.
    }
  };

  const handleItem = async (seq: number, item: JsonCollectItem) => {
    switch (item.kind) {
      case 'chats': {
        mode = item.mode;
        const chats = item.chats.flatMap((raw) => validChat(raw) ?? []);
        const contacts = parseContacts(item.contacts, { unknownKeys: 'reject' });
        if (!contacts.ok) reject(`contacts: ${contacts.error.message}`);
        await sink.storeChats(chats, contacts.ok ? contacts.value : {}, validAccount(item.account));
        break;
      }
      case 'messages': {
        const messages = item.messages.flatMap((raw) => {
          const parsed = parseMessage(raw, { unknownKeys: 'reject' });
          if (!parsed.ok) {
            reject(
              `message: ${parsed.error.message}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
            );
            return [];
          }
          if (parsed.value.chatId !== item.chatId) {
            reject(
              `message ${parsed.value.id} claims chat ${parsed.value.chatId} in a batch of ${item.chatId}`,
            );
            return [];
          }
          return [parsed.value];
        });
        if (messages.length > 0) await sink.storeMessages(item.chatId, messages);
        break;
      }
      case 'chat-done': {
        const chat = validChat(item.chat);
        if (chat && chat.id === item.chatId)
          await sink.finishChat(chat, { reachedStart: item.reachedStart, at: now() });
        break;
      }
      case 'progress':
        options.onProgress?.(item.progress);
        break;
      case 'end':
        ack(seq);
        settle(() =>
          resolveDone({
            outcome: item.outcome,
            ...(item.code === undefined ? {} : { code: item.code }),
            ...(item.message === undefined ? {} : { message: item.message }),
            ...(mode ? { mode } : {}),
            rejected,
          }),
        );
        return;
    }
    ack(seq);
  };

  const validChat = (raw: unknown): Chat | undefined => {
    const parsed = parseChat(raw, { unknownKeys: 'reject' });
    if (parsed.ok) return parsed.value;
    reject(
      `chat: ${parsed.error.message}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
    return undefined;
  };
  const validAccount = (raw: unknown): Account | undefined => {
    const account = raw as Partial<Account> | undefined;
    if (!account || !isJid(account.id)) return undefined;
    return {
      id: account.id,
      ...(typeof account.name === 'string' ? { name: account.name.slice(0, 1000) } : {}),
    };
  };

  const handleChunk = async (message: Extract<ToBackground, { type: 'media-chunk' }>) => {
    let assembly = assemblies.get(message.seq);
    // Part 0 again means the content script is sending the whole file again (after a restart).
    if (!assembly || message.part === 0) {
      assembly = {
        filehash: message.filehash,
        ...(message.mimetype === undefined ? {} : { mimetype: message.mimetype }),
        size: message.size,
        parts: new Array(message.parts),
        received: 0,
      };
      assemblies.set(message.seq, assembly);
    }
    if (message.part >= assembly.parts.length || assembly.filehash !== message.filehash) {
      throw new CollectError(
        'protocol',
        `media chunk ${message.part} of ${message.seq} does not fit its file`,
      );
    }
    if (assembly.parts[message.part] === undefined) assembly.received++;
    assembly.parts[message.part] = base64ToBytes(message.data);
    if (assembly.received < assembly.parts.length) return;
    assemblies.delete(message.seq);
    const bytes = joinParts(assembly.parts as Uint8Array<ArrayBuffer>[]);
    if (bytes.length !== assembly.size || (await computeFilehash(bytes)) !== assembly.filehash) {
      reject(`media ${assembly.filehash}: the bytes do not match the filehash`);
      await flushMedia();
      ack(message.seq);
      return;
    }
    pendingMedia.push({
      seq: message.seq,
      file: {
        filehash: assembly.filehash,
        blob: new Blob([bytes], assembly.mimetype ? { type: assembly.mimetype } : {}),
        ...(assembly.mimetype === undefined ? {} : { mimetype: assembly.mimetype }),
      },
    });
    pendingBytes += bytes.length;
    if (pendingMedia.length >= MEDIA_BATCH_FILES || pendingBytes >= MEDIA_BATCH_BYTES) await flushMedia();
  };

  /** Stores the media received so far in one transaction, then acknowledges them. */
  async function flushMedia() {
    if (pendingMedia.length === 0) return;
    const batch = pendingMedia.splice(0);
    pendingBytes = 0;
    await sink.storeMedia(batch.map((entry) => entry.file));
    ack(batch.at(-1)!.seq);
  }

  const handle = async (raw: unknown) => {
    if (settled) return;
    const parsed = toBackground.safeParse(raw);
    if (!parsed.success) {
      reject('a malformed message');
      return;
    }
    const message = parsed.data;
    if (message.runId !== runId) return;
    if (message.type === 'attached') {
      attached = true;
      options.onAttached?.(message.resumed);
      return;
    }
    // Sent again after a restart, but already stored in this session.
    if (message.seq <= handled) {
      if (message.type === 'item' || message.part === message.parts - 1) ack(message.seq);
      return;
    }
    if (message.type === 'item') {
      // Media first: a message naming a file is stored only after the file.
      await flushMedia();
      await handleItem(message.seq, message.item);
    } else await handleChunk(message);
  };

  port.onMessage.addListener((raw) => {
    waiting++;
    queue = queue
      .then(async () => {
        waiting--;
        await handle(raw);
        if (waiting === 0 && !settled) await flushMedia();
      })
      .catch((error) => {
        fail(
          error instanceof CollectError
            ? error
            : new CollectError(
                'storage',
                `Storing what WhatsApp Web sent failed: ${String((error as Error)?.message ?? error)}`,
              ),
        );
      });
  });
  port.onDisconnect.addListener(() => {
    // Let everything that already arrived be stored first.
    void queue.then(() =>
      settle(() =>
        rejectDone(
          attached
            ? new CollectError('tab-closed', 'The WhatsApp Web tab closed or reloaded during the run.')
            : new CollectError('no-content-script', 'The WhatsApp Web tab did not answer.'),
        ),
      ),
    );
  });
  try {
    port.postMessage({ type: 'start', start });
  } catch {
    settle(() => rejectDone(new CollectError('no-content-script', 'The WhatsApp Web tab did not answer.')));
  }

  return {
    done,
    cancel() {
      try {
        port.postMessage({ type: 'cancel', runId });
      } catch {
        // Gone already: onDisconnect settles.
      }
    },
  };
}

function joinParts(parts: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
