import type { Dataset, Filehash, Message } from '@/utils/schema/types';
import { encodePieces, fromChunks, pushToPull } from './byte-pieces';
import { chatJsonPieces } from './chat-json';
import { type ChatPlan, MESSAGES_JSON, planChats, type Selection } from './chat-plan';
import { createArchiveClock } from './clock';
import { ArchiveError, DamagedEntryError, describeError } from './errors';
import { type ExportContext, exportMessage, oneLine, TYPE_LABEL } from './export-text';
import { createNameBook } from './names';
import { type ArchiveProblem, completenessNotes, PROBLEMS_FILE, problemsText } from './problems';
import { README_FILE, readmeText, VIEWER_PAGE } from './readme-text';
import { chatDataPath } from './viewer/model';
import { viewerPage } from './viewer/page';
import { VIEWER_SCRIPT } from './viewer/viewer-bundle.generated';
import { archiveDataScript, chatDataScript } from './viewer-data';

/**
 * The restore archive as a stream of entries (docs/ARCHIVE.md). It does no I/O of its own: a
 * source supplies the dataset and media bytes, and the caller writes the entries wherever it
 * wants — a zip stream (zip.ts) for the File System Access API or a download, or a folder
 * (folder-writer.node.ts) for the CLI.
 *
 * Per chat, its media come first, then its .txt, messages.json and viewer data: the text can
 * only say "(file attached)" or "<Media omitted>" once it knows whether the bytes arrived.
 */
export interface ArchiveSource {
  /** The dataset to write; messages whose media is `stored` are read through `readMedia`. */
  dataset: Dataset;
  /** Losses the source already knows about (a snapshot restore's damaged segments, chats, contacts). */
  problems?: readonly ArchiveProblem[];
  /**
   * Streams one stored media file's verified bytes into `sink`, in pieces the sink may keep;
   * resolves with the byte count, rejects when the bytes cannot be restored. Pieces handed out
   * before a rejection were genuine but the file is incomplete.
   */
  readMedia(filehash: Filehash, sink: (piece: Uint8Array) => Promise<void>): Promise<number>;
  /** A media file's size in bytes when the source knows it better than the dataset does. */
  mediaSize?(filehash: Filehash): number | undefined;
  /** Where the data comes from, in words for README.txt (e.g. "snapshot 1a2b… of 5 Jan 2024"). */
  description?: string;
}

export interface ArchiveOptions extends Selection {
  /** IANA zone for every time in the archive; UTC by default. */
  timeZone?: string;
  /**
   * Media up to this size are read completely and verified before their entry starts, so a
   * damaged one is left out cleanly; larger ones stream (bounded memory) and a damage found
   * part-way ends their entry early (see DamagedEntryError). Default 16 MiB.
   */
  verifyInMemoryBytes?: number;
  onProgress?: (progress: ArchiveProgress) => void;
}

export interface ArchiveProgress {
  chatsDone: number;
  chatsTotal: number;
  mediaFilesDone: number;
  mediaFilesTotal: number;
  /** Media bytes read so far, and the total the dataset announces (sizes it does not know count 0). */
  mediaBytesDone: number;
  mediaBytesTotal: number;
  /** The entry being produced. */
  path?: string;
}

/** One file of the archive. Consume its content completely before asking for the next entry. */
export interface ArchiveEntry {
  /** `/`-separated path from the archive root; never absolute, never `..`. */
  path: string;
  lastModified: Date;
  /** Whole bytes, or a stream that may throw DamagedEntryError part-way (large damaged media). */
  content: Uint8Array | AsyncIterable<Uint8Array>;
  /** Byte length when known before the content is read. */
  size?: number;
}

/** What went into the archive; complete once the entries have all been consumed. */
export interface ArchiveReport {
  chats: number;
  messages: number;
  mediaFiles: number;
  mediaBytes: number;
  problems: ArchiveProblem[];
  finished: boolean;
}

export interface Archive extends AsyncIterable<ArchiveEntry> {
  readonly report: ArchiveReport;
}

const DEFAULT_VERIFY_IN_MEMORY = 16 * 1024 * 1024;

export function createArchive(source: ArchiveSource, options: ArchiveOptions = {}): Archive {
  checkSource(source);
  if (options === null || typeof options !== 'object') {
    throw new ArchiveError('invalid-argument', 'options must be an object');
  }
  const limit = options.verifyInMemoryBytes ?? DEFAULT_VERIFY_IN_MEMORY;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ArchiveError('invalid-argument', 'options.verifyInMemoryBytes must be a whole number of bytes');
  }
  // Validate the zone and the selection now, so a bad option fails the call, not the first read.
  const clock = createArchiveClock(options.timeZone ?? 'UTC');
  const names = createNameBook(source.dataset);
  const plans = planChats(source.dataset, clock, names, options, (filehash) => source.mediaSize?.(filehash));
  const report: ArchiveReport = {
    chats: plans.length,
    messages: 0,
    mediaFiles: 0,
    mediaBytes: 0,
    // With a selection, losses in chats left out are not this archive's business.
    problems: (source.problems ?? []).filter(
      (problem) => problem.chatId === undefined || plans.some((plan) => plan.chat.id === problem.chatId),
    ),
    finished: false,
  };
  let iterated = false;
  return {
    report,
    [Symbol.asyncIterator]() {
      if (iterated) throw new ArchiveError('invalid-argument', 'an archive can be written only once');
      iterated = true;
      return produce({ source, options, limit, clock, names, plans, report });
    },
  };
}

interface Production {
  source: ArchiveSource;
  options: ArchiveOptions;
  limit: number;
  clock: ReturnType<typeof createArchiveClock>;
  names: ReturnType<typeof createNameBook>;
  plans: ChatPlan[];
  report: ArchiveReport;
}

async function* produce(p: Production): AsyncGenerator<ArchiveEntry> {
  const { source, plans, report } = p;
  const metaTime = new Date(source.dataset.exportedAt * 1000);
  const progress: ArchiveProgress = {
    chatsDone: 0,
    chatsTotal: plans.length,
    mediaFilesDone: 0,
    mediaFilesTotal: plans.reduce((sum, plan) => sum + plan.media.length, 0),
    mediaBytesDone: 0,
    mediaBytesTotal: plans.reduce((sum, plan) => sum + plan.media.reduce((s, m) => s + (m.size ?? 0), 0), 0),
  };
  const tell = (path?: string) => {
    progress.path = path;
    p.options.onProgress?.({ ...progress });
  };
  // A filehash that failed once fails again (it is the same blob); don't read it twice.
  const failedMedia = new Map<Filehash, string>();
  const text = (pieces: Iterable<string>) => encodePieces(pieces);

  for (const plan of plans) {
    const restored = new Set<Filehash>();
    for (const placement of plan.media) {
      tell(placement.path);
      const known = failedMedia.get(placement.filehash);
      if (known !== undefined) {
        report.problems.push(mediaProblem(plan, placement.filehash, placement.path, known));
      } else if ((placement.size ?? Number.POSITIVE_INFINITY) <= p.limit) {
        const entry = await readWhole(source, placement.filehash).then(
          (whole) => ({ ...whole, path: placement.path, lastModified: new Date(placement.timestamp * 1000) }),
          (error) => {
            failedMedia.set(placement.filehash, describeError(error));
            report.problems.push(
              mediaProblem(plan, placement.filehash, placement.path, describeError(error)),
            );
            return undefined;
          },
        );
        if (entry) {
          restored.add(placement.filehash);
          report.mediaFiles++;
          report.mediaBytes += entry.size;
          progress.mediaBytesDone += entry.size;
          yield entry;
        }
      } else {
        // Too big to hold: stream it, and account for it once the consumer has read it all.
        let delivered = 0;
        let damaged = false;
        const bytes = pushToPull((sink) =>
          source.readMedia(placement.filehash, async (piece) => {
            delivered += piece.length;
            progress.mediaBytesDone += piece.length;
            await sink(piece);
          }),
        );
        const content = (async function* guarded() {
          try {
            yield* bytes;
          } catch (error) {
            damaged = true;
            failedMedia.set(placement.filehash, describeError(error));
            report.problems.push({
              ...mediaProblem(plan, placement.filehash, placement.path, describeError(error)),
              partialBytes: delivered,
            });
            throw new DamagedEntryError(placement.path, delivered, { cause: error });
          }
        })();
        yield { path: placement.path, lastModified: new Date(placement.timestamp * 1000), content };
        if (!damaged) {
          restored.add(placement.filehash);
          report.mediaFiles++;
          report.mediaBytes += delivered;
        }
      }
      progress.mediaFilesDone++;
    }

    for (const message of plan.messages) {
      const files = plan.contactCards.get(message.id);
      for (const [index, card] of (message.contactCards ?? []).entries()) {
        const name = files?.[index];
        if (!name) continue;
        yield {
          path: `${plan.folder}/${name}`,
          lastModified: new Date(message.timestamp * 1000),
          content: new TextEncoder().encode(vcardText(card.vcard)),
        };
      }
    }

    const messages = withRestoredStatus(plan.messages, restored);
    report.messages += messages.length;
    const inArchive = (filehash: Filehash) => restored.has(filehash);

    tell(`${plan.folder}/${plan.textFile}`);
    yield {
      path: `${plan.folder}/${plan.textFile}`,
      lastModified: metaTime,
      content: text(exportPieces(plan, messages, p, inArchive)),
    };

    const mediaFiles = new Map<Filehash, string>();
    for (const placement of plan.media)
      if (restored.has(placement.filehash)) mediaFiles.set(placement.filehash, placement.name);
    yield {
      path: `${plan.folder}/${MESSAGES_JSON}`,
      lastModified: metaTime,
      content: text(
        chatJsonPieces({
          exportedAt: source.dataset.exportedAt,
          ...(source.dataset.account ? { account: source.dataset.account } : {}),
          chat: plan.chat,
          contacts: source.dataset.contacts,
          messages,
          mediaFiles,
          problems: report.problems.filter((problem) => problem.chatId === plan.chat.id),
        }),
      ),
    };

    yield {
      path: chatDataPath(plan.number),
      lastModified: metaTime,
      content: text(chatDataScript({ plan, messages, names: p.names, clock: p.clock, inArchive })),
    };
    progress.chatsDone++;
    tell();
  }

  const encoder = new TextEncoder();
  const titleOf = (chatId: string) => plans.find((plan) => plan.chat.id === chatId)?.title ?? chatId;
  yield {
    path: 'viewer/chats.js',
    lastModified: metaTime,
    content: encoder.encode(
      archiveDataScript({
        v: 1,
        timeZone: p.clock.timeZone,
        exportedAt: source.dataset.exportedAt,
        ...(source.description ? { source: source.description } : {}),
        ...(source.dataset.account ? { account: p.names.person(source.dataset.account.id) } : {}),
        problems: report.problems.length,
        chats: plans.map((plan) => chatSummary(plan, report.problems)),
      }),
    ),
  };
  yield { path: 'viewer/viewer.js', lastModified: metaTime, content: encoder.encode(VIEWER_SCRIPT) };
  yield { path: VIEWER_PAGE, lastModified: metaTime, content: encoder.encode(viewerPage()) };
  yield {
    path: PROBLEMS_FILE,
    lastModified: metaTime,
    content: encoder.encode(problemsText({ problems: report.problems, plans, titleOf })),
  };
  yield {
    path: README_FILE,
    lastModified: metaTime,
    content: encoder.encode(
      readmeText({
        timeZone: p.clock.timeZone,
        chats: report.chats,
        messages: report.messages,
        mediaFiles: report.mediaFiles,
        problems: report.problems.length,
        ...(source.description ? { source: source.description } : {}),
      }),
    ),
  };
  report.finished = true;
  tell();
}

function* exportPieces(
  plan: ChatPlan,
  messages: readonly Message[],
  p: Production,
  inArchive: (filehash: Filehash) => boolean,
): Generator<string> {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const context: ExportContext = {
    clock: p.clock,
    names: p.names,
    chat: plan.chat,
    messageById: (id) => byId.get(id),
  };
  let separator = '';
  for (const message of messages) {
    const filehash = message.media?.filehash;
    const placement = filehash ? plan.mediaByHash.get(filehash) : undefined;
    const attachment =
      message.media?.status === 'stored' && placement && inArchive(placement.filehash)
        ? placement.name
        : undefined;
    const contactCards = plan.contactCards.get(message.id);
    // Line breaks between messages, none after the last: parsers append a final empty line to
    // the last message's text.
    yield `${separator}${exportMessage(
      message,
      { ...(attachment ? { attachment } : {}), ...(contactCards ? { contactCards } : {}) },
      context,
    )}`;
    separator = '\n';
  }
}

/** Messages whose stored media did not come back say so, as utils/repo's restore does. */
function withRestoredStatus(messages: readonly Message[], restored: ReadonlySet<Filehash>): Message[] {
  return messages.map((message) => {
    const ref = message.media;
    if (ref?.status !== 'stored' || !ref.filehash || restored.has(ref.filehash)) return message;
    return {
      ...message,
      media: { ...ref, status: 'failed' as const, reason: 'not restorable from this backup' },
    };
  });
}

function mediaProblem(plan: ChatPlan, filehash: Filehash, path: string, error: string): ArchiveProblem {
  return { kind: 'media', chatId: plan.chat.id, filehash, path, error };
}

function chatSummary(plan: ChatPlan, problems: readonly ArchiveProblem[]) {
  const last = plan.messages.at(-1);
  const lost = problems
    .filter((problem) => problem.chatId === plan.chat.id)
    .map((problem) =>
      problem.kind === 'segment'
        ? `${problem.messages ?? 'Some'} messages of ${problem.month ?? 'one month'} could not be restored.`
        : problem.kind === 'chat'
          ? "This chat's name and members could not be restored."
          : `${problem.path?.split('/').pop() ?? 'A media file'} could not be restored.`,
    );
  const members = plan.chat.group?.participants.length;
  return {
    n: plan.number,
    title: plan.title,
    kind: plan.chat.kind,
    folder: plan.folder,
    data: chatDataPath(plan.number),
    count: plan.messages.length,
    ...(plan.messages[0] ? { first: plan.messages[0].timestamp } : {}),
    ...(last ? { last: last.timestamp, preview: previewOf(last) } : {}),
    ...(members === undefined ? {} : { members }),
    notes: [...lost, ...completenessNotes(plan)],
  };
}

function previewOf(message: Message): string {
  if (message.type === 'system') return '';
  return oneLine(message.text ?? TYPE_LABEL[message.type], 60);
}

/** Reads a whole media file into memory (verified by the source before it resolves). */
async function readWhole(source: ArchiveSource, filehash: Filehash) {
  const pieces: Uint8Array[] = [];
  const size = await source.readMedia(filehash, async (piece) => {
    pieces.push(piece);
  });
  return { content: fromChunks(pieces), size };
}

/** vCard files want CRLF line ends (RFC 6350); WhatsApp carries them with either. */
function vcardText(vcard: string): string {
  return vcard.replace(/\r\n|\r|\n/g, '\r\n').replace(/(\r\n)?$/, '\r\n');
}

function checkSource(source: ArchiveSource): void {
  if (source === null || typeof source !== 'object') {
    throw new ArchiveError('invalid-argument', 'source must be an ArchiveSource object');
  }
  const dataset = source.dataset;
  if (
    dataset === null ||
    typeof dataset !== 'object' ||
    !Array.isArray(dataset.chats) ||
    !Array.isArray(dataset.messages) ||
    typeof dataset.contacts !== 'object'
  ) {
    throw new ArchiveError('invalid-argument', 'source.dataset must be a ChatVault dataset (docs/SCHEMA.md)');
  }
  if (typeof source.readMedia !== 'function') {
    throw new ArchiveError('invalid-argument', 'source.readMedia must be a function');
  }
  if (source.problems !== undefined && !Array.isArray(source.problems)) {
    throw new ArchiveError('invalid-argument', 'source.problems must be an array when given');
  }
}
