import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '@/components/theme.css';
import { KdfSpeedCard } from '@/components/KdfSpeedCard';
import { PASSWORD_KDF_FLOOR } from '@/utils/backup/kdf-floor';
import { sendRuntimeMessage } from '@/utils/messages/runtime-client';

function Options() {
  const [busy, setBusy] = useState(false);
  const [elapsedMs, setElapsedMs] = useState<number>();
  const [error, setError] = useState<string>();

  const measure = async () => {
    setBusy(true);
    setError(undefined);
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const saltHex = Array.from(salt, (b) => b.toString(16).padStart(2, '0')).join('');
    const result = await sendRuntimeMessage((m) => browser.runtime.sendMessage(m), 'kdf/measure', {
      params: PASSWORD_KDF_FLOOR,
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
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Options />
  </StrictMode>,
);
