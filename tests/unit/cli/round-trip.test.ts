import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDatasetFolder } from '@/utils/schema/dataset-folder.node.ts';
import { extendDataset, generateDataset, mediaStream } from '../../fixtures/dataset/generate';

const run = promisify(execFile);
const CLI = resolve('cli/chatvault.mjs');

/** Runs the real `chatvault` command; returns its exit code and output instead of throwing. */
async function chatvault(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, CHATVAULT_PASSWORD: 'a long test password', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The "N KiB uploaded" figure a backup prints, in bytes. */
function uploadedBytes(output: string): number {
  const match = /([\d.]+) (B|KiB|MiB|GiB) uploaded/.exec(output);
  if (!match) throw new Error(`no upload figure in: ${output}`);
  return Number(match[1]) * { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match[2] as 'B'];
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(join(dir, 'media')))
    files.set(name, await readFile(join(dir, 'media', name)));
  files.set('dataset.json', await readFile(join(dir, 'dataset.json')));
  return files;
}

describe('chatvault CLI', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'chatvault-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('init → backup → change 1 % → backup → restore latest gives back the dataset byte for byte', async () => {
    const repo = join(work, 'repo');
    const first = await generateDataset({ seed: 'cli', messages: 800, mediaSizeScale: 0.05 });
    const second = await extendDataset(first, { seed: 'cli-day-2' });
    const day1 = join(work, 'day1');
    const day2 = join(work, 'day2');
    await writeDatasetFolder(day1, first, (h) => mediaStream(first, h));
    await writeDatasetFolder(day2, second, (h) => mediaStream(second, h));

    const init = await chatvault(['init', '--repo', repo]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/([0-9a-f]{4}-){15}[0-9a-f]{4}/);

    const backup1 = await chatvault(['backup', '--repo', repo, '--dataset', day1]);
    expect(backup1.code, backup1.stderr).toBe(0);
    const backup2 = await chatvault(['backup', '--repo', repo, '--dataset', day2]);
    expect(backup2.code, backup2.stderr).toBe(0);
    expect(uploadedBytes(backup2.stdout)).toBeLessThan(uploadedBytes(backup1.stdout) * 0.2);

    const list = await chatvault(['snapshots', '--repo', repo, '--json']);
    expect(JSON.parse(list.stdout)).toHaveLength(2);

    const out = join(work, 'restored');
    const restore = await chatvault([
      'restore',
      'latest',
      '--repo',
      repo,
      '--out',
      out,
      '--format',
      'dataset',
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    const expected = await filesOf(day2);
    const actual = await filesOf(out);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(Buffer.compare(actual.get(name)!, bytes), name).toBe(0);

    const check = await chatvault(['check', '--repo', repo, '--read-data']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('No errors found');
  });

  it('says clearly when the password is wrong, the folder is no backup, or the usage is off', async () => {
    const repo = join(work, 'repo2');
    expect((await chatvault(['init', '--repo', repo])).code).toBe(0);
    const wrong = await chatvault(['snapshots', '--repo', repo], { CHATVAULT_PASSWORD: 'not the password' });
    expect(wrong).toMatchObject({ code: 3 });
    expect(wrong.stderr).toContain('Wrong password');
    const none = await chatvault(['snapshots', '--repo', join(work, 'nothing-here')]);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('no ChatVault backup');
    const usage = await chatvault(['restore', '--repo', repo]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Which snapshot?');
    expect((await chatvault(['frobnicate'])).code).toBe(2);
  });

  it('changes the password without touching the data, and unlocks with the recovery key', async () => {
    const repo = join(work, 'repo3');
    const init = await chatvault(['init', '--repo', repo]);
    const recoveryKey = /([0-9a-f]{4}-){15}[0-9a-f]{4}/.exec(init.stdout)![0];
    const passwd = await chatvault(['passwd', '--repo', repo], {
      CHATVAULT_NEW_PASSWORD: 'another long password',
    });
    expect(passwd.code, passwd.stderr).toBe(0);
    expect((await chatvault(['snapshots', '--repo', repo])).code).toBe(3);
    expect(
      (await chatvault(['snapshots', '--repo', repo], { CHATVAULT_PASSWORD: 'another long password' })).code,
    ).toBe(0);
    const byKey = await chatvault(['snapshots', '--repo', repo], {
      CHATVAULT_PASSWORD: '',
      CHATVAULT_RECOVERY_KEY: recoveryKey,
    });
    expect(byKey.code, byKey.stderr).toBe(0);
  });
});
