// Run as a child process by lifetime.test.ts: exercises both servers (with standing latency and
// bandwidth faults and a request left hanging), closes them, then reports what still keeps
// Node's event loop alive. Nothing of ours may remain.
import { startDriveEmulator } from '../../../support/drive-emulator';
import { createTokenRegistry, DEFAULT_TEST_SCOPES, startOAuthServer } from '../../../support/oauth-server';

const tokens = createTokenRegistry();
const drive = await startDriveEmulator({ tokens });
const oauth = await startOAuthServer({ tokens, autoApprove: true });
const token = tokens.issue({ clientId: 'c', scopes: DEFAULT_TEST_SCOPES }).token;
const headers = { authorization: `Bearer ${token}` };

await fetch(new URL('drive/v3/files', drive.url), { headers });
await fetch(new URL(`tokeninfo?access_token=${token}`, oauth.url));
drive.emulator.faults.latency(60_000, { kind: 'files.list' });
drive.emulator.faults.bandwidth(10, { kind: 'upload.media' });
const hanging = [
  fetch(new URL('drive/v3/files', drive.url), { headers }).catch(() => undefined),
  fetch(new URL('upload/drive/v3/files?uploadType=media', drive.url), {
    method: 'POST',
    headers,
    body: new Uint8Array(10_000),
  }).catch(() => undefined),
];
await new Promise((resolve) => setTimeout(resolve, 100));
await drive.close();
await oauth.close();
await Promise.all(hanging);
// Let closed sockets finish closing before looking.
await new Promise((resolve) => setImmediate(resolve));
const resources = process
  .getActiveResourcesInfo()
  .filter((name) => name !== 'TTYWrap' && name !== 'PipeWrap');
process.stdout.write(JSON.stringify({ resources, pendingTimers: drive.emulator.pendingTimers }));
