import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes';

/**
 * Where a secret comes from, in order: a file named on the command line, an environment
 * variable, or a hidden prompt when a person is at the terminal. Never a command-line argument
 * (it would be visible to every user of the machine in the process list).
 */
export async function readSecret(options: {
  file?: string;
  env: string;
  prompt: string;
  what: string;
  fileOption: string;
}): Promise<string> {
  if (options.file) {
    const text = await readFile(options.file, 'utf8').catch((error) => {
      throw new UsageError(`Cannot read ${options.what} from ${options.file}: ${(error as Error).message}`);
    });
    return text.replace(/\r?\n$/, '');
  }
  const fromEnv = process.env[options.env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError(`No ${options.what} given: use ${options.fileOption} FILE or set ${options.env}.`);
  }
  return promptHidden(options.prompt);
}

async function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\r' || char === '\n') {
          cleanup();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          cleanup();
          reject(new UsageError('Cancelled.'));
          return;
        }
        if (char === '\u007f') value = value.slice(0, -1);
        else value += char;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}
