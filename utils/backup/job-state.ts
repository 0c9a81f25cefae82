/**
 * The backup job as a state machine (docs/BACKUP-JOB.md). The job lives in the catalog, not in
 * the service worker's memory: Chrome may stop the worker at any moment, and a new worker
 * resumes the job from its persisted state.
 *
 *   collecting ──> backing-up ──> committing ──> done
 *        │              │              │
 *        └──────────────┴──────────────┴──> failed | cancelled
 *
 * `collecting` asks the WhatsApp Web tab for what is new and stores it in the catalog.
 * `backing-up` cuts the catalog into segments, packs, encrypts and uploads (these overlap: each
 * pack is uploaded as soon as it is full). `committing` writes the last index and the snapshot.
 * Every active state can be re-entered after an interruption: uploads already indexed are
 * remembered (catalog.storedBlobs) and are not sent again.
 */
export const JOB_STATES = ['collecting', 'backing-up', 'committing', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const ACTIVE_STATES: readonly JobState[] = ['collecting', 'backing-up', 'committing'];

const NEXT: Record<JobState, readonly JobState[]> = {
  collecting: ['backing-up', 'failed', 'cancelled'],
  'backing-up': ['committing', 'failed', 'cancelled'],
  committing: ['done', 'failed', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};

export interface JobProgress {
  /** What is happening now, for people: "Reading chats", "Uploading media", … */
  phase: 'collect' | 'messages' | 'media' | 'commit';
  done: number;
  total: number;
  uploadedBytes: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
}

export interface BackupJob {
  id: string;
  state: JobState;
  trigger: 'manual' | 'schedule';
  startedAt: number;
  updatedAt: number;
  /** How many times a worker (re)started this job. */
  runs: number;
  progress: JobProgress;
  snapshotId?: string;
  stats?: {
    chats: number;
    messages: number;
    media: number;
    mediaBytes: number;
    addedBytes: number;
    durationMs: number;
  };
  error?: { code: string; message: string; retryable: boolean };
}

export function isActive(job: BackupJob | undefined): job is BackupJob {
  return job !== undefined && ACTIVE_STATES.includes(job.state);
}

/** The job in its next state; an impossible transition is a programming error. */
export function advance(
  job: BackupJob,
  to: JobState,
  now: number,
  patch: Partial<BackupJob> = {},
): BackupJob {
  if (!NEXT[job.state].includes(to)) throw new Error(`A backup job cannot go from ${job.state} to ${to}.`);
  return { ...job, ...patch, state: to, updatedAt: now };
}
