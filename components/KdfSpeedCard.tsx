export interface KdfSpeedCardProps {
  /** Milliseconds one password derivation takes here; undefined until measured. */
  elapsedMs?: number;
  error?: string;
  busy: boolean;
  onMeasure: () => void;
}

/**
 * Shows how long deriving the backup key from a password takes on this device. The password
 * KDF is deliberately slow (it is what makes guessing passwords expensive for a thief), and
 * the user should see the cost they pay once per unlock.
 */
export function KdfSpeedCard({ elapsedMs, error, busy, onMeasure }: KdfSpeedCardProps) {
  return (
    <section className="card" aria-labelledby="kdf-heading">
      <h2 id="kdf-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Password protection on this device
      </h2>
      <p className="muted" style={{ margin: '0 0 0.5rem' }}>
        Your backup key is derived from your password with Argon2id (64 MiB of memory, 3 passes), so each
        guess costs an attacker the same.
      </p>
      <button type="button" onClick={onMeasure} disabled={busy}>
        {busy ? 'Measuring…' : 'Measure unlock time'}
      </button>
      <output data-testid="kdf-result" style={{ marginLeft: '0.75rem' }} aria-live="polite">
        {error ? (
          <span className="warn">{error}</span>
        ) : elapsedMs !== undefined ? (
          `One unlock takes ${(elapsedMs / 1000).toFixed(2)} s here.`
        ) : null}
      </output>
    </section>
  );
}
