import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDatasetFolder } from '@/utils/schema/dataset-folder.node.ts';
import type { Dataset } from '@/utils/schema/types';
import { generateDataset, mediaStream } from '../../fixtures/dataset/generate';
import { filesUnder, readStoredZip, withTempDir } from './helpers';

const run = promisify(execFile);
const CLI = resolve('cli/chatvault.mjs');
const PASSWORD = 'a long test password';

async function chatvault(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, CHATVAULT_PASSWORD: PASSWORD, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `chatvault restore` writing the archive (folder and zip), its options and its refusals. */
describe('chatvault restore (archive)', () => {
  let dataset: Dataset;

  beforeAll(async () => {
    dataset = await generateDataset({ seed: 'cli-archive', messages: 300, mediaSizeScale: 0.02 });
  });

  it('restores latest into a folder and a zip, in UTC or a named time zone, and refuses what it must', async () => {
    await withTempDir(async (work) => {
      const repo = join(work, 'repo');
      await writeDatasetFolder(join(work, 'dataset'), dataset, (h) => mediaStream(dataset, h));
      expect((await chatvault(['init', '--repo', repo])).code).toBe(0);
      const backup = await chatvault(['backup', '--repo', repo, '--dataset', join(work, 'dataset')]);
      expect(backup.code, backup.stderr).toBe(0);

      const out = join(work, 'archive');
      const restored = await chatvault(['restore', 'latest', '--repo', repo, '--out', out]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`${dataset.chats.length} chats, ${dataset.messages.length} messages`);
      expect(restored.stdout).toContain('index.html');
      const files = await filesUnder(out);
      for (const name of ['README.txt', 'index.html', 'problems.txt', 'viewer/viewer.js'])
        expect(files.has(name), name).toBe(true);
      const texts = [...files].filter(([p]) => /\/WhatsApp Chat with [^/]+\.txt$/.test(p));
      expect(texts).toHaveLength(dataset.chats.length);

      const zipPath = join(work, 'chats.zip');
      const zipped = await chatvault(['restore', 'latest', '--repo', repo, '--out', zipPath]);
      expect(zipped.code, zipped.stderr).toBe(0);
      const entries = readStoredZip(new Uint8Array(await readFile(zipPath)));
      expect([...entries.keys()].sort()).toEqual([...files.keys()].sort());

      // The same minute, one hour later in Berlin in winter (UTC+1) or two in summer.
      const berlin = join(work, 'berlin');
      const zoned = await chatvault([
        'restore',
        'latest',
        '--repo',
        repo,
        '--out',
        berlin,
        '--time-zone',
        'Europe/Berlin',
      ]);
      expect(zoned.code, zoned.stderr).toBe(0);
      const [path, utcText] = texts[0]!;
      const berlinText = (await readFile(join(berlin, path))).toString();
      const first = /^(\d\d)\/(\d\d)\/(\d{4}), (\d\d):(\d\d)/;
      const utc = first.exec(utcText.toString())!;
      const local = first.exec(berlinText)!;
      const asDate = (m: RegExpExecArray) => Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!);
      expect([3_600_000, 7_200_000]).toContain(asDate(local) - asDate(utc));
      expect((await readFile(join(berlin, 'README.txt'))).toString()).toContain('Europe/Berlin');

      const notEmpty = await chatvault(['restore', 'latest', '--repo', repo, '--out', out]);
      expect(notEmpty.code).toBe(2);
      expect(notEmpty.stderr).toContain('not empty');
      const badZone = await chatvault([
        'restore',
        'latest',
        '--repo',
        repo,
        '--out',
        join(work, 'x'),
        '--time-zone',
        'Mars/Olympus',
      ]);
      expect(badZone.code).toBe(2);
      expect(badZone.stderr).toContain('Mars/Olympus');
      const badFormat = await chatvault([
        'restore',
        'latest',
        '--repo',
        repo,
        '--out',
        join(work, 'y'),
        '--format',
        'pdf',
      ]);
      expect(badFormat.code).toBe(2);
      const wrong = await chatvault(['restore', 'latest', '--repo', repo, '--out', join(work, 'z')], {
        CHATVAULT_PASSWORD: 'not the password',
      });
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toContain('Wrong password');
    });
  });

  it('exits 4 and lists the loss when the backup is damaged, with the archive written anyway', async () => {
    await withTempDir(async (work) => {
      const repo = join(work, 'repo');
      await writeDatasetFolder(join(work, 'dataset'), dataset, (h) => mediaStream(dataset, h));
      await chatvault(['init', '--repo', repo]);
      await chatvault(['backup', '--repo', repo, '--dataset', join(work, 'dataset')]);
      // Damage every pack file in its middle.
      const packs = [...(await filesUnder(join(repo, 'data'))).keys()];
      for (const pack of packs) {
        const file = join(repo, 'data', pack);
        const bytes = await readFile(file);
        bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
        await writeFile(file, bytes);
      }
      const out = join(work, 'archive');
      await mkdir(out);
      const restored = await chatvault(['restore', 'latest', '--repo', repo, '--out', out]);
      expect(restored.code, restored.stderr).toBe(4);
      expect(restored.stderr).toMatch(/could not be restored/);
      expect(restored.stderr).toMatch(/damaged/);
      const problems = (await readFile(join(out, 'problems.txt'))).toString();
      expect(problems).toMatch(/could not be restored/);
      expect((await filesUnder(out)).has('index.html')).toBe(true);
    });
  });
});
