import type { Catalog } from '@/utils/catalog/catalog';
import { type BackupProgress, writeBackup } from '@/utils/repo/backup';
import { isRepoError } from '@/utils/repo/errors';
import type { RepositoryWriter } from '@/utils/repo/repository';
import { isStorageError } from '@/utils/storage/storage';
import { catalogSource } from './catalog-source';
import { loadWriterState, rememberSnapshot } from './catalog-writer-state';
import { advance, type BackupJob, type JobProgress } from './job-state';
import { activeJob, saveJob } from './job-store';

export interface JobRunnerDeps {
  catalog: Catalog;
  /** The repository to write to, with this device's writer keys (Drive in the extension). */
  openWriter: () => Promise<RepositoryWriter>;
  /** Brings the catalog up to date from WhatsApp Web; reports how far it got. */
  collect: (signal: AbortSignal, report: (done: number, total: number) => void) => Promise<void>;
  host: string;
  now?: () => number;
  newId?: () => string;
  /** Told about every persisted change (badge, notification). */
  onChange?: (job: BackupJob) => void;
  /** Persist progress at most this often; state changes are always persisted. */
  progressIntervalMs?: number;
}

export interface JobRunner {
  /** Starts a backup, or joins the one already running (one job at a time). */
  start(trigger: BackupJob['trigger']): Promise<BackupJob>;
  /** Continues a job a stopped worker left active; resolves when it ends (or at once if none). */
  resume(): Promise<BackupJob | undefined>;
  cancel(): Promise<void>;
  /** Resolves when the current run (if any) ends. */
  idle(): Promise<void>;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let current: { job: BackupJob; controller: AbortController; done: Promise<BackupJob> } | undefined;

  const persist = async (job: BackupJob) => {
    await saveJob(deps.catalog, job);
    deps.onChange?.(job);
    return job;
  };

  const launch = (job: BackupJob) => {
    const controller = new AbortController();
    const entry = { job, controller, done: Promise.resolve(job) };
    entry.done = run(job, controller.signal, (updated) => {
      entry.job = updated;
    }).finally(() => {
      if (current === entry) current = undefined;
    });
    current = entry;
    return entry;
  };

  async function run(
    initial: BackupJob,
    signal: AbortSignal,
    track: (job: BackupJob) => void,
  ): Promise<BackupJob> {
    let job = await persist({ ...initial, runs: initial.runs + 1, updatedAt: now() });
    track(job);
    const update = async (next: BackupJob) => {
      job = await persist(next);
      track(job);
    };
    try {
      signal.throwIfAborted();
      if (job.state === 'collecting') {
        await deps.collect(signal, (done, total) => {
          job = { ...job, progress: { ...job.progress, phase: 'collect', done, total }, updatedAt: now() };
          track(job);
        });
        signal.throwIfAborted();
        await update(
          advance(job, 'backing-up', now(), {
            progress: { phase: 'messages', done: 0, total: 0, uploadedBytes: 0 },
          }),
        );
      }
      const writer = await deps.openWriter();
      const state = await loadWriterState(deps.catalog);
      const source = await catalogSource(deps.catalog, now);
      const speed = createSpeedometer(now);
      let lastSaved = 0;
      const result = await writeBackup(writer, source, state, {
        host: deps.host,
        now,
        signal,
        // An index after every pack: a worker stopped mid-backup loses at most one pack of work.
        packsPerIndex: 1,
        onProgress: (p: BackupProgress) => {
          const progress = speed(p);
          if (p.phase === 'commit' && job.state === 'backing-up') {
            job = advance(job, 'committing', now(), { progress });
            void persist(job);
          } else {
            job = { ...job, progress, updatedAt: now() };
            if (now() - lastSaved >= (deps.progressIntervalMs ?? 1000)) {
              lastSaved = now();
              void persist(job);
            }
          }
          track(job);
        },
      });
      await rememberSnapshot(deps.catalog, result.snapshotId, result.snapshot.media);
      if (job.state === 'backing-up') job = advance(job, 'committing', now());
      const { chats, messages, media, mediaBytes, addedBytes, durationMs } = result.snapshot.stats;
      await update(
        advance(job, 'done', now(), {
          snapshotId: result.snapshotId,
          stats: { chats, messages, media, mediaBytes, addedBytes, durationMs },
        }),
      );
    } catch (error) {
      if (signal.aborted) await update(advance(job, 'cancelled', now()));
      else await update(advance(job, 'failed', now(), { error: describeFailure(error) }));
    }
    return job;
  }

  return {
    async start(trigger) {
      if (current) return current.job;
      const stale = await activeJob(deps.catalog);
      if (stale) return launch(stale).job;
      const job: BackupJob = {
        id: newId(),
        state: 'collecting',
        trigger,
        startedAt: now(),
        updatedAt: now(),
        runs: 0,
        progress: { phase: 'collect', done: 0, total: 0, uploadedBytes: 0 },
      };
      return launch(job).job;
    },
    async resume() {
      if (current) return current.done;
      const stale = await activeJob(deps.catalog);
      return stale ? launch(stale).done : undefined;
    },
    async cancel() {
      current?.controller.abort(new DOMException('The backup was cancelled.', 'AbortError'));
      await current?.done;
    },
    async idle() {
      await current?.done;
    },
  };
}

/**
 * Upload speed over the last half minute, and the time left in the current phase extrapolated
 * from how long its items took so far.
 */
function createSpeedometer(now: () => number) {
  const samples: { at: number; bytes: number }[] = [];
  let phase: string | undefined;
  let phaseStarted = 0;
  return (p: BackupProgress): JobProgress => {
    const at = now();
    if (p.phase !== phase) {
      phase = p.phase;
      phaseStarted = at;
    }
    samples.push({ at, bytes: p.uploadedBytes });
    while (samples.length > 2 && at - samples[0]!.at > 30_000) samples.shift();
    const window = (at - samples[0]!.at) / 1000;
    const elapsed = (at - phaseStarted) / 1000;
    return {
      phase: p.phase === 'index' ? 'messages' : p.phase,
      done: p.done,
      total: p.total,
      uploadedBytes: p.uploadedBytes,
      ...(window > 0 ? { bytesPerSecond: Math.round((p.uploadedBytes - samples[0]!.bytes) / window) } : {}),
      ...(p.done > 0 && p.total > p.done && elapsed > 0
        ? { etaSeconds: Math.round((elapsed * (p.total - p.done)) / p.done) }
        : {}),
    };
  };
}

/** What the user reads when a backup fails, and whether trying again may help. */
export function describeFailure(error: unknown): NonNullable<BackupJob['error']> {
  if (isStorageError(error)) {
    const messages: Partial<Record<string, string>> = {
      'quota-exceeded': 'Your Google Drive is full. Free some space (or buy more) and back up again.',
      unauthorized: 'Google sign-in expired. Connect Google Drive again in ChatVault settings.',
      forbidden: 'ChatVault may no longer write to your Google Drive. Connect it again in settings.',
    };
    return {
      code: error.code,
      message:
        messages[error.code] ?? `Google Drive did not accept the backup (${error.message}). Try again later.`,
      retryable: error.retryable || error.code === 'network' || error.code === 'unavailable',
    };
  }
  if (isRepoError(error)) return { code: error.code, message: error.message, retryable: false };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'unexpected', message, retryable: true };
}
