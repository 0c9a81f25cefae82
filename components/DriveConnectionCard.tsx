import type { RuntimeResponse } from '@/utils/messages/runtime-protocol';

export type DriveSignInView = RuntimeResponse<'drive/status'>;
export type DriveCheckView = RuntimeResponse<'drive/check'>;
export type DriveAction = 'connecting' | 'checking' | 'disconnecting';

export interface DriveConnectionCardProps {
  /** Undefined while the background is being asked. */
  status?: DriveSignInView;
  /** What is running right now, if anything. */
  busy?: DriveAction;
  /** The last "Test connection" answer. */
  check?: DriveCheckView;
  /** Why the last connect or disconnect failed. */
  error?: string;
  onConnect: () => void;
  onCheck: () => void;
  onDisconnect: () => void;
}

/**
 * Where backups go: connect Google Drive (Google's sign-in window), test the connection (a probe
 * file written, listed, read back and deleted, and the space left), disconnect (access revoked
 * at Google). A build without OAuth client ids says what to configure instead.
 */
export function DriveConnectionCard({
  status,
  busy,
  check,
  error,
  onConnect,
  onCheck,
  onDisconnect,
}: DriveConnectionCardProps) {
  const state =
    status === undefined
      ? 'loading'
      : !status.configured
        ? 'not-configured'
        : status.signedIn
          ? 'signed-in'
          : 'signed-out';
  return (
    <section className="card" aria-labelledby="drive-heading" data-testid="drive-card" data-state={state}>
      <h2 id="drive-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Google Drive
      </h2>
      <p className="muted" style={{ margin: '0 0 0.5rem' }}>
        Backups go to a folder “ChatVault Backups” in your own Google Drive, encrypted before they leave this
        device. ChatVault can see only the files it creates there.
      </p>
      {state === 'loading' && <p className="muted">Checking the connection…</p>}
      {state === 'not-configured' && (
        <p className="warn" data-testid="drive-help">
          {status?.help}
        </p>
      )}
      {state === 'signed-out' && (
        <button type="button" data-testid="drive-connect" onClick={onConnect} disabled={busy !== undefined}>
          {busy === 'connecting' ? 'Waiting for Google…' : 'Connect Google Drive'}
        </button>
      )}
      {state === 'signed-in' && (
        <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
          <span data-testid="drive-connected">Connected.</span>
          <button type="button" data-testid="drive-check" onClick={onCheck} disabled={busy !== undefined}>
            {busy === 'checking' ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            data-testid="drive-disconnect"
            onClick={onDisconnect}
            disabled={busy !== undefined}
          >
            {busy === 'disconnecting' ? 'Disconnecting…' : 'Disconnect'}
          </button>
        </div>
      )}
      {error && (
        <p className="warn" data-testid="drive-error" role="alert">
          {error}
        </p>
      )}
      {check && (
        <output
          data-testid="drive-result"
          data-outcome={check.outcome}
          aria-live="polite"
          style={{ display: 'block', marginTop: '0.5rem' }}
        >
          {check.outcome === 'passed' ? describePassed(check) : <span className="warn">{check.message}</span>}
        </output>
      )}
    </section>
  );
}

function describePassed(check: Extract<DriveCheckView, { outcome: 'passed' }>): string {
  const who = check.email ? ` as ${check.email}` : '';
  const space =
    check.limitBytes === undefined
      ? `${formatBytes(check.usageBytes)} used (no storage limit).`
      : `${formatBytes(Math.max(0, check.limitBytes - check.usageBytes))} free of ${formatBytes(check.limitBytes)}.`;
  const speed =
    check.probeBytes >= 1024 * 1024 && check.uploadMs > 0
      ? ` Upload speed: ${formatBytes((check.probeBytes * 1000) / check.uploadMs)}/s.`
      : '';
  return `Connection works${who}: a test file was written to ${check.folder}, listed, read back and deleted. ${space}${speed}`;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
