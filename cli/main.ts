import { parseArgs } from 'node:util';
import { backup, backupOptions } from './commands/backup';
import { check, checkOptions } from './commands/check';
import { forget, forgetOptions, prune } from './commands/forget';
import { init, initOptions } from './commands/init';
import { passwd, passwdOptions, recoveryKey } from './commands/keys';
import { restore, restoreOptions } from './commands/restore';
import { snapshots, snapshotsOptions } from './commands/snapshots';
import { REPO_OPTIONS } from './context';
import { EXIT, explain, UsageError } from './exit-codes';

const USAGE = `chatvault — encrypted, incremental backups of WhatsApp chats

Usage: chatvault <command> --repo DIR [options]

Commands:
  init                          create an encrypted backup repository in DIR
  backup --dataset DIR          back up a dataset folder (dataset.json + media/), incrementally
  snapshots [--json]            list the backups
  restore ID|latest --out DIR   restore a backup as an archive you can open anywhere: WhatsApp-format
                                chats, media, messages.json and an offline viewer (DIR/index.html);
                                DIR ending in .zip writes one zip file instead
    [--time-zone ZONE]          times in an IANA zone such as Europe/Berlin (default UTC)
    [--format dataset]          write the dataset folder (dataset.json + media/) instead
  check [--read-data]           verify the repository (with --read-data, every byte)
  forget --keep-last N …        remove snapshots by policy (--keep-daily/weekly/monthly N, --prune)
  prune                         delete data no snapshot uses
  passwd                        change the password (nothing is re-uploaded)
  recovery-key                  issue a new recovery key (the old one stops working)

Secrets never go on the command line: --password-file FILE or CHATVAULT_PASSWORD, else a prompt.
Unlock with the recovery key instead: --recovery-key-file FILE or CHATVAULT_RECOVERY_KEY.
Exit codes: 0 ok, 1 failure, 2 usage, 3 wrong password or key, 4 damaged backup, 5 not a backup.
`;

const COMMANDS = {
  init: { options: initOptions, run: init },
  backup: { options: backupOptions, run: backup },
  snapshots: { options: snapshotsOptions, run: snapshots },
  restore: { options: restoreOptions, run: restore },
  check: { options: checkOptions, run: check },
  forget: { options: forgetOptions, run: forget },
  prune: { options: {}, run: prune },
  passwd: { options: passwdOptions, run: passwd },
  'recovery-key': { options: {}, run: recoveryKey },
} as const;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) throw new UsageError(`Unknown command "${name}".\n\n${USAGE}`);
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...REPO_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  return (command.run as (values: unknown, positionals: string[]) => Promise<number>)(
    parsed.values,
    parsed.positionals,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const { message, code } = explain(error);
    console.error(`chatvault: ${message}`);
    process.exitCode = code;
  },
);
