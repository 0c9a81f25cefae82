import { type FormEvent, useState } from 'react';

export type UnlockMethod = 'password' | 'recovery-key';

export interface RestoreUnlockFormProps {
  busy: boolean;
  /** Why the last attempt failed (wrong password, …). */
  error?: string;
  onUnlock: (method: UnlockMethod, secret: string) => void;
}

/** Unlocks the backup with its password, or with the recovery key when the password is lost. */
export function RestoreUnlockForm({ busy, error, onUnlock }: RestoreUnlockFormProps) {
  const [method, setMethod] = useState<UnlockMethod>('password');
  const [secret, setSecret] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (secret.length > 0) onUnlock(method, secret);
  };
  const label = method === 'password' ? 'Backup password' : 'Recovery key';
  return (
    <section className="card" aria-labelledby="unlock-heading" data-testid="restore-unlock">
      <h2 id="unlock-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Unlock your backup
      </h2>
      <form onSubmit={submit}>
        <fieldset style={{ border: 0, padding: 0, margin: '0 0 0.5rem' }} disabled={busy}>
          <legend className="muted">Unlock with</legend>
          <label style={{ marginRight: '1rem' }}>
            <input
              type="radio"
              name="unlock-method"
              checked={method === 'password'}
              onChange={() => setMethod('password')}
              data-testid="restore-method-password"
            />{' '}
            password
          </label>
          <label>
            <input
              type="radio"
              name="unlock-method"
              checked={method === 'recovery-key'}
              onChange={() => setMethod('recovery-key')}
              data-testid="restore-method-recovery"
            />{' '}
            recovery key
          </label>
        </fieldset>
        <label style={{ display: 'block', marginBottom: '0.5rem' }}>
          {label}
          <br />
          <input
            type={method === 'password' ? 'password' : 'text'}
            autoComplete={method === 'password' ? 'current-password' : 'off'}
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
            disabled={busy}
            style={{ width: '100%', boxSizing: 'border-box', font: 'inherit', padding: '0.4rem' }}
            data-testid="restore-secret"
          />
        </label>
        <button type="submit" disabled={busy || secret.length === 0} data-testid="restore-unlock-submit">
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      {error && (
        <p className="warn" role="alert" data-testid="restore-unlock-error">
          {error}
        </p>
      )}
    </section>
  );
}
