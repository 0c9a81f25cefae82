import { describeStorageContract } from './contract';
import { startDriveFixture } from './drive-fixture';

// The shared Storage contract, against the Drive v3 emulator over loopback HTTP.
describeStorageContract('DriveStorage on the Drive emulator', async () => {
  const fixture = await startDriveFixture();
  return { storage: fixture.storage, cleanup: fixture.close };
});
