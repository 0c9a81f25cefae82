import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway self-signed certificate for the local stand-ins of web.whatsapp.com and Google's
 * endpoints. Made fresh for each test run with the system's openssl (never committed: a key in
 * the repository would look like a secret and would expire). Chromium accepts it because the
 * tests start it with --ignore-certificate-errors.
 */
export interface TlsMaterial {
  key: string;
  cert: string;
}

let cached: TlsMaterial | undefined;

export function testCertificate(hosts: readonly string[] = DEFAULT_HOSTS): TlsMaterial {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'chatvault-tls-'));
  try {
    const config = join(dir, 'openssl.cnf');
    writeFileSync(
      config,
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = ext',
        'prompt = no',
        '[dn]',
        'CN = chatvault-test',
        '[ext]',
        `subjectAltName = ${[...hosts.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',')}`,
      ].join('\n'),
    );
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-config',
        config,
      ],
      { stdio: 'pipe' },
    );
    cached = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const DEFAULT_HOSTS = [
  'web.whatsapp.com',
  'mmg.whatsapp.net',
  'www.googleapis.com',
  'oauth2.googleapis.com',
  'accounts.google.com',
  'localhost',
] as const;
