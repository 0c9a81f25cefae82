import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { findViolations } from '../../../scripts/check-imports.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imports-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import direction check', () => {
  it('passes on this repository', () => {
    expect(findViolations(resolve('.'))).toEqual([]);
  });

  it('flags crypto importing anything of the project', () => {
    const root = tree({
      'utils/crypto/a.ts': "import { x } from '@/utils/storage/storage';",
      'utils/storage/storage.ts': 'export const x = 1;',
    });
    expect(findViolations(root)).toEqual([
      expect.stringContaining('utils/crypto may not import utils/storage'),
    ]);
  });

  it('flags a content script that reaches crypto or storage, even indirectly', () => {
    const root = tree({
      'entrypoints/page.content.ts': "import { y } from '../utils/collect/helper';",
      'utils/collect/helper.ts': "export { k as y } from '@/utils/crypto/keys';",
      'utils/crypto/keys.ts': 'export const k = 1;',
    });
    const violations = findViolations(root);
    expect(violations).toContainEqual(expect.stringContaining('utils/collect may not import utils/crypto'));
    expect(violations).toContainEqual(expect.stringContaining('content script reaches utils/crypto/keys.ts'));
  });

  it('lets a layer name the types of another layer but not call into it', () => {
    const root = tree({
      'components/View.tsx':
        "import type { Row } from '@/utils/archive/rows';\nimport { render } from '@/utils/archive/render';",
      'utils/archive/rows.ts': 'export type Row = { id: string };',
      'utils/archive/render.ts': 'export const render = () => 1;',
    });
    expect(findViolations(root)).toEqual([expect.stringContaining('(@/utils/archive/render)')]);
  });

  it('flags browser APIs outside entrypoints and Node APIs outside *.node.ts', () => {
    const root = tree({
      'utils/repo/a.ts':
        "import { browser } from 'wxt/browser';\nimport { readFile } from 'node:fs/promises';",
      'utils/repo/b.node.ts': "import { readFile } from 'node:fs/promises';",
    });
    const violations = findViolations(root);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toContain('only entrypoints may use browser APIs');
    expect(violations[1]).toContain('Node APIs only in *.node.ts');
  });
});
