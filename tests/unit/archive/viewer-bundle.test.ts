import { describe, expect, it } from 'vitest';
import { bundleViewer } from '@/utils/archive/viewer/build-viewer.node.ts';
import { VIEWER_SCRIPT } from '@/utils/archive/viewer/viewer-bundle.generated';

describe('viewer bundle', () => {
  it('is the current build of utils/archive/viewer/src', async () => {
    const fresh = await bundleViewer();
    expect(
      VIEWER_SCRIPT === fresh,
      'viewer-bundle.generated.ts is stale: run `node --import tsx utils/archive/viewer/build-viewer.node.ts`',
    ).toBe(true);
  });

  it('is a self-contained classic script that defines the viewer globals', () => {
    expect(VIEWER_SCRIPT).not.toMatch(/^\s*(import|export)\s/m);
    expect(VIEWER_SCRIPT).toContain('ChatVaultArchive');
    expect(VIEWER_SCRIPT).toContain('ChatVaultViewer');
    expect(VIEWER_SCRIPT).not.toMatch(/https?:\/\/(?!www\.openstreetmap\.org)/);
  });
});
