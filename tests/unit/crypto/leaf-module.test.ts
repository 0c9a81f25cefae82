import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * utils/crypto is a leaf: it imports nothing from the project, only the vetted crypto packages,
 * and has no I/O, no logging and no browser- or Node-only API, so it runs unchanged in a service
 * worker and in Node. (The project-wide import lint checks the first rule too; this keeps the
 * whole contract next to the code it protects.)
 */

const directory = fileURLToPath(new URL('../../../utils/crypto/', import.meta.url));
const sources = readdirSync(directory)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(`${directory}${name}`, 'utf8') }));
const ALLOWED_PACKAGES = [/^@noble\/hashes\/[\w-]+\.js$/, /^@noble\/curves\/[\w-]+\.js$/, /^hash-wasm$/];

describe('utils/crypto stays a self-contained leaf', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  for (const { name, text } of sources) {
    it(`${name}: imports only sibling files and the vetted crypto packages`, () => {
      const specifiers = [
        ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g),
      ].map((match) => match[1] ?? match[2]!);
      for (const specifier of specifiers) {
        const sibling = /^\.\/[\w-]+$/.test(specifier);
        expect(
          sibling || ALLOWED_PACKAGES.some((pattern) => pattern.test(specifier)),
          `${name} imports ${specifier}`,
        ).toBe(true);
      }
    });

    it(`${name}: no I/O, logging, or browser/Node-only globals`, () => {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const forbidden of [
        /\bconsole\./,
        /\bchrome\./,
        /\bbrowser\./,
        /\bfetch\(/,
        /\bindexedDB\b/,
        /\blocalStorage\b/,
        /\bprocess\./,
        /\bBuffer\b/,
        /\brequire\(/,
      ]) {
        expect(forbidden.test(code), `${name} uses ${forbidden}`).toBe(false);
      }
    });
  }
});
