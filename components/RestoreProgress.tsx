import type { RestoreProgressView } from '@/utils/archive/restore-progress';
import { formatBytes } from './RestoreFormat';

/** The running restore: how far, how long still, and what it is writing. */
export function RestoreProgress({
  progress,
  remaining,
}: {
  progress?: RestoreProgressView;
  remaining: string;
}) {
  const percent = Math.floor((progress?.fraction ?? 0) * 100);
  return (
    <section className="card" aria-labelledby="progress-heading" data-testid="restore-progress">
      <h2 id="progress-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Restoring…
      </h2>
      <progress max={100} value={percent} style={{ width: '100%' }} aria-label="Restore progress" />
      <p style={{ margin: '0.25rem 0' }} data-testid="restore-progress-text">
        {percent}% · {remaining}
      </p>
      {progress && (
        <p className="muted" style={{ margin: 0 }}>
          {progress.chatsDone}/{progress.chatsTotal} chats, {progress.mediaFilesDone}/
          {progress.mediaFilesTotal} media files, {formatBytes(progress.bytesWritten)} written
          {progress.path ? ` · ${progress.path}` : ''}
        </p>
      )}
      <p className="muted" style={{ margin: '0.25rem 0 0' }}>
        Keep this page open until the restore has finished.
      </p>
    </section>
  );
}
