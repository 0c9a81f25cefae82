import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '@/components/theme.css';
import { DriveConnectionCard, type DriveSignInView } from '@/components/DriveConnectionCard';
import { RestoreBackupList } from '@/components/RestoreBackupList';
import { RestoreProgress } from '@/components/RestoreProgress';
import { RestoreSelection, type RestoreSelectionValue } from '@/components/RestoreSelection';
import { RestoreSummary } from '@/components/RestoreSummary';
import { RestoreUnlockForm, type UnlockMethod } from '@/components/RestoreUnlockForm';
import {
  type BackupList,
  type ChatChoice,
  chatChoices,
  listBackupSummaries,
} from '@/utils/archive/backup-choices';
import { isRestorePageError } from '@/utils/archive/restore-errors';
import { formatRemaining, type RestoreProgressView } from '@/utils/archive/restore-progress';
import { type RestoreRunResult, writeRestoreZip } from '@/utils/archive/restore-run';
import { dayRangeToSelection } from '@/utils/archive/restore-selection';
import { describeRestoreProblem } from '@/utils/archive/restore-summary';
import { openSaveTarget, restoreFileName, type ShowSaveFilePicker } from '@/utils/archive/save-target';
import { type SnapshotArchiveSource, snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { backgroundTokenSource } from '@/utils/backup/page-drive-tokens';
import { sendRuntimeMessage } from '@/utils/messages/runtime-client';
import { openRepository, type Repository } from '@/utils/repo/repository';
import { DriveStorage } from '@/utils/storage/drive/drive-storage';

// Wiring only: the steps are utils/archive (listing, archive, zip, save target) and components/Restore*.
// Decryption runs here, in the page, so the password and the keys never leave it.

const send = (message: unknown) => browser.runtime.sendMessage(message);
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

type Step =
  | { name: 'unlock' }
  | { name: 'backups'; repository: Repository }
  | {
      name: 'select';
      repository: Repository;
      source: SnapshotArchiveSource;
      chats: ChatChoice[];
      time: string;
    }
  | { name: 'restoring'; repository: Repository }
  | { name: 'done'; repository: Repository; result: RestoreRunResult; fileName: string; chats: ChatChoice[] };

function Restore() {
  const [status, setStatus] = useState<DriveSignInView>();
  const [connecting, setConnecting] = useState(false);
  const [driveError, setDriveError] = useState<string>();

  useEffect(() => {
    void sendRuntimeMessage(send, 'drive/status', {}).then((result) => {
      if (result.ok) setStatus(result.value);
      else setDriveError(result.error.message);
    });
  }, []);

  const connect = async () => {
    setConnecting(true);
    setDriveError(undefined);
    const result = await sendRuntimeMessage(send, 'drive/sign-in', {});
    setConnecting(false);
    if (!result.ok) setDriveError(result.error.message);
    else if (result.value.outcome === 'signed-in') setStatus(result.value.status);
    else setDriveError(result.value.message);
  };

  return (
    <main style={{ maxWidth: 720, margin: '0 auto', padding: '1.5rem' }}>
      <h1>Restore a backup</h1>
      {status?.signedIn ? (
        <RestoreSteps />
      ) : (
        <DriveConnectionCard
          status={status}
          busy={connecting ? 'connecting' : undefined}
          error={driveError}
          onConnect={() => void connect()}
          onCheck={() => {}}
          onDisconnect={() => {}}
        />
      )}
    </main>
  );
}

function RestoreSteps() {
  const [step, setStep] = useState<Step>({ name: 'unlock' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [list, setList] = useState<BackupList>();
  const [opening, setOpening] = useState<string>();
  const [progress, setProgress] = useState<RestoreProgressView>();
  const storage = useRef<DriveStorage>(undefined);

  const showBackups = async (repository: Repository) => {
    setStep({ name: 'backups', repository });
    setList(undefined);
    try {
      setList(await listBackupSummaries(repository));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const unlock = async (method: UnlockMethod, secret: string) => {
    setBusy(true);
    setError(undefined);
    try {
      storage.current ??= new DriveStorage({
        tokens: backgroundTokenSource(send),
        fetch: (input, init) => fetch(input, init),
      });
      const credentials = method === 'password' ? { password: secret } : { recoveryKey: secret };
      const repository = await openRepository(storage.current, credentials);
      await showBackups(repository);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (repository: Repository, id: string, time: string) => {
    setOpening(id);
    setError(undefined);
    try {
      const source = await snapshotArchiveSource(repository, id);
      setStep({ name: 'select', repository, source, chats: chatChoices(source.dataset), time });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setOpening(undefined);
    }
  };

  const restore = async (current: Extract<Step, { name: 'select' }>, selection: RestoreSelectionValue) => {
    setError(undefined);
    let range: { from?: number; until?: number };
    try {
      range = dayRangeToSelection(selection.fromDay, selection.untilDay);
    } catch (failure) {
      setError(messageOf(failure));
      return;
    }
    const fileName = restoreFileName(current.time);
    try {
      // First, while the click still counts as a user gesture: the save dialog needs one.
      const target = await openSaveTarget(fileName, { showSaveFilePicker: savePicker(), download });
      setProgress(undefined);
      setStep({ name: 'restoring', repository: current.repository });
      const result = await writeRestoreZip({
        source: current.source,
        target,
        chatIds: selection.chatIds,
        ...range,
        timeZone,
        onProgress: setProgress,
      });
      setStep({ name: 'done', repository: current.repository, result, fileName, chats: current.chats });
    } catch (failure) {
      setStep(current);
      if (!isRestorePageError(failure, 'cancelled')) setError(messageOf(failure));
    }
  };

  switch (step.name) {
    case 'unlock':
      return (
        <RestoreUnlockForm
          busy={busy}
          error={error}
          onUnlock={(method, secret) => void unlock(method, secret)}
        />
      );
    case 'backups':
      return (
        <RestoreBackupList
          list={list}
          opening={opening}
          error={error}
          onChoose={(id) => {
            const time = list?.backups.find((backup) => backup.id === id)?.time ?? '';
            void choose(step.repository, id, time);
          }}
        />
      );
    case 'select':
      return (
        <>
          <p className="muted">
            Backup of {new Date(step.time).toLocaleString()}. Times in the archive are in {timeZone}.{' '}
            <button
              type="button"
              onClick={() => void showBackups(step.repository)}
              data-testid="restore-back"
            >
              Choose another backup
            </button>
          </p>
          <RestoreSelection
            chats={step.chats}
            busy={false}
            error={error}
            onRestore={(selection) => void restore(step, selection)}
          />
        </>
      );
    case 'restoring':
      return <RestoreProgress progress={progress} remaining={formatRemaining(progress?.remainingMs)} />;
    case 'done': {
      const titles = new Map(step.chats.map((chat) => [chat.id, chat.title]));
      return (
        <RestoreSummary
          report={step.result.report}
          bytes={step.result.bytes}
          kind={step.result.kind}
          fileName={step.fileName}
          describeProblem={(problem) => describeRestoreProblem(problem, (id) => titles.get(id))}
          onAgain={() => void showBackups(step.repository)}
        />
      );
    }
  }
}

/** The File System Access API's save dialog, where this browser has it. */
function savePicker(): ShowSaveFilePicker | undefined {
  const picker = (window as unknown as { showSaveFilePicker?: ShowSaveFilePicker }).showSaveFilePicker;
  return typeof picker === 'function' ? picker.bind(window) : undefined;
}

/** Saves a finished zip through the downloads API, or an <a download> link without it. */
async function download(file: Blob, fileName: string): Promise<void> {
  const url = URL.createObjectURL(file);
  // The browser reads the Blob after this returns; give it time before letting the URL go.
  const release = () => setTimeout(() => URL.revokeObjectURL(url), 60_000);
  if (typeof browser.downloads?.download === 'function') {
    await browser.downloads.download({ url, filename: fileName, saveAs: false });
    release();
    return;
  }
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  release();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Restore />
  </StrictMode>,
);
