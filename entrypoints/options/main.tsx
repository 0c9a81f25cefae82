import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '@/components/theme.css';
import {
  type DriveAction,
  type DriveCheckView,
  DriveConnectionCard,
  type DriveSignInView,
} from '@/components/DriveConnectionCard';
import { KdfSpeedCard } from '@/components/KdfSpeedCard';
import { ARGON2_FLOOR, toHex } from '@/utils/crypto';
import { sendRuntimeMessage } from '@/utils/messages/runtime-client';

const send = (message: unknown) => browser.runtime.sendMessage(message);

function Options() {
  const [busy, setBusy] = useState(false);
  const [elapsedMs, setElapsedMs] = useState<number>();
  const [error, setError] = useState<string>();

  const measure = async () => {
    setBusy(true);
    setError(undefined);
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const saltHex = toHex(salt);
    const result = await sendRuntimeMessage(send, 'kdf/measure', {
      params: ARGON2_FLOOR,
      password: 'measurement only',
      saltHex,
    });
    setBusy(false);
    if (result.ok) setElapsedMs(result.value.elapsedMs);
    else setError(result.error.message);
  };

  return (
    <main style={{ maxWidth: 720, margin: '0 auto', padding: '1.5rem' }}>
      <h1>ChatVault settings</h1>
      <KdfSpeedCard busy={busy} elapsedMs={elapsedMs} error={error} onMeasure={() => void measure()} />
      <DriveSettings />
    </main>
  );
}

function DriveSettings() {
  const [status, setStatus] = useState<DriveSignInView>();
  const [busy, setBusy] = useState<DriveAction>();
  const [check, setCheck] = useState<DriveCheckView>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    void sendRuntimeMessage(send, 'drive/status', {}).then((result) => {
      if (result.ok) setStatus(result.value);
      else setError(result.error.message);
    });
  }, []);

  const run = async (action: DriveAction, work: () => Promise<void>) => {
    setBusy(action);
    setError(undefined);
    setCheck(undefined);
    try {
      await work();
    } finally {
      setBusy(undefined);
    }
  };

  const connect = () =>
    run('connecting', async () => {
      const result = await sendRuntimeMessage(send, 'drive/sign-in', {});
      if (!result.ok) setError(result.error.message);
      else if (result.value.outcome === 'signed-in') setStatus(result.value.status);
      else setError(result.value.message);
    });
  const test = () =>
    run('checking', async () => {
      const result = await sendRuntimeMessage(send, 'drive/check', {});
      if (result.ok) setCheck(result.value);
      else setError(result.error.message);
    });
  const disconnect = () =>
    run('disconnecting', async () => {
      const result = await sendRuntimeMessage(send, 'drive/sign-out', {});
      if (result.ok) setStatus(result.value.status);
      else setError(result.error.message);
    });

  return (
    <DriveConnectionCard
      status={status}
      busy={busy}
      check={check}
      error={error}
      onConnect={() => void connect()}
      onCheck={() => void test()}
      onDisconnect={() => void disconnect()}
    />
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Options />
  </StrictMode>,
);
