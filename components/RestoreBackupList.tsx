import type { BackupList } from '@/utils/archive/backup-choices';
import { formatBytes } from './RestoreFormat';

export interface RestoreBackupListProps {
  list?: BackupList;
  /** The backup being opened, if any. */
  opening?: string;
  error?: string;
  onChoose: (id: string) => void;
}

/** Every backup in Drive, newest first, and the ones that could not be read. */
export function RestoreBackupList({ list, opening, error, onChoose }: RestoreBackupListProps) {
  return (
    <section className="card" aria-labelledby="backups-heading" data-testid="restore-backups">
      <h2 id="backups-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Backups
      </h2>
      {!list && !error && <p className="muted">Reading the list of backups…</p>}
      {list && list.backups.length === 0 && list.damaged.length === 0 && (
        <p data-testid="restore-no-backups">There is no backup in this Google Drive yet.</p>
      )}
      {list && list.backups.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.backups.map((backup) => (
            <li
              key={backup.id}
              style={{ marginBottom: '0.4rem' }}
              data-testid="restore-backup"
              data-id={backup.id}
            >
              <button
                type="button"
                onClick={() => onChoose(backup.id)}
                disabled={opening !== undefined}
                data-testid="restore-backup-choose"
              >
                {opening === backup.id ? 'Opening…' : 'Choose'}
              </button>{' '}
              <strong>{new Date(backup.time).toLocaleString()}</strong>: {backup.chats} chats,{' '}
              {backup.messages} messages, {backup.mediaFiles} media files ({formatBytes(backup.mediaBytes)})
            </li>
          ))}
        </ul>
      )}
      {list && list.damaged.length > 0 && (
        <div data-testid="restore-damaged-backups">
          <p className="warn" style={{ marginBottom: '0.25rem' }}>
            These backups are damaged and cannot be opened:
          </p>
          <ul>
            {list.damaged.map((backup) => (
              <li key={backup.id}>
                <code>{backup.id.slice(0, 12)}</code>: {backup.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="warn" role="alert" data-testid="restore-backups-error">
          {error}
        </p>
      )}
    </section>
  );
}
