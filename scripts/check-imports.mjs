#!/usr/bin/env node
// Enforces the import direction of architecture.md §2, so layering holds by check, not by hope:
//   entrypoints → backup → {collect, catalog, repo, archive} → {crypto, storage}; schema is a leaf.
// Run by `npm run lint`; exits non-zero listing every violation. Tested by
// tests/unit/architecture/check-imports.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/** Which project folders each layer may import from (besides itself). */
const ALLOWED = {
  'utils/crypto': [],
  'utils/schema': [],
  'utils/messages': ['utils/schema'],
  'utils/storage': [],
  'utils/repo': ['utils/crypto', 'utils/storage', 'utils/schema'],
  'utils/collect': ['utils/messages', 'utils/schema'],
  'utils/catalog': ['utils/messages', 'utils/schema'],
  'utils/archive': ['utils/schema', 'utils/repo', 'utils/crypto', 'utils/storage'],
  'utils/auth': ['utils/messages'],
  'utils/backup': [
    'utils/collect',
    'utils/catalog',
    'utils/repo',
    'utils/archive',
    'utils/crypto',
    'utils/storage',
    'utils/schema',
    'utils/messages',
    'utils/auth',
  ],
  components: ['utils/messages', 'utils/schema'],
};

/** Content scripts run inside WhatsApp's page: nothing that holds keys, tokens or backups. */
const CONTENT_SCRIPT_MAY_REACH = ['utils/collect', 'utils/messages', 'utils/schema', 'entrypoints'];

/** Platform APIs: only entrypoints and explicitly Node-only files may touch them. */
const BROWSER_API = /^(wxt\/browser|webextension-polyfill)$/;
const NODE_API = /^node:/;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(entry)) out.push(full);
  }
  return out;
}

/**
 * Runtime imports only: `import type …` / `export type …` vanish when compiled, so a component
 * may name a view-model type from a layer it must not call into.
 */
function importsOf(source) {
  const found = [];
  const pattern =
    /(?:import|export)\s(?!type\s)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] ?? match[2] ?? match[3]);
  return found;
}

function resolveProjectImport(root, fromFile, specifier) {
  let base;
  if (specifier.startsWith('@/') || specifier.startsWith('~/')) base = join(root, specifier.slice(2));
  else if (specifier.startsWith('.')) base = resolve(dirname(fromFile), specifier);
  else return undefined;
  for (const candidate of [
    base,
    ...['.ts', '.tsx', '.mts', '.js', '.mjs'].map((e) => base + e),
    join(base, 'index.ts'),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

function layerOf(root, file) {
  const rel = relative(root, file).split('\\').join('/');
  if (rel.startsWith('utils/')) return rel.split('/').slice(0, 2).join('/');
  return rel.split('/')[0];
}

export function findViolations(root) {
  const files = ['utils', 'components', 'entrypoints'].flatMap((d) => walk(join(root, d)));
  const graph = new Map();
  const violations = [];
  for (const file of files) {
    const rel = relative(root, file).split('\\').join('/');
    const layer = layerOf(root, file);
    const nodeOnly = /\.node\.(ts|mts)$/.test(file);
    const edges = [];
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (BROWSER_API.test(specifier) && layer !== 'entrypoints') {
        violations.push(
          `${rel}: imports ${specifier}; only entrypoints may use browser APIs (inject them instead)`,
        );
      }
      if (NODE_API.test(specifier) && !nodeOnly) {
        violations.push(
          `${rel}: imports ${specifier}; Node APIs only in *.node.ts files (this code also runs in the browser)`,
        );
      }
      const target = resolveProjectImport(root, file, specifier);
      if (!target) continue;
      edges.push(target);
      const targetLayer = layerOf(root, target);
      if (targetLayer === layer) continue;
      const allowed = ALLOWED[layer];
      if (allowed && !allowed.includes(targetLayer)) {
        violations.push(`${rel}: ${layer} may not import ${targetLayer} (${specifier})`);
      }
    }
    graph.set(file, edges);
  }
  for (const entry of files.filter((f) => /\.content\.(ts|tsx)$/.test(f))) {
    const seen = new Set([entry]);
    const queue = [entry];
    while (queue.length) {
      const file = queue.shift();
      for (const next of graph.get(file) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
        const nextLayer = layerOf(root, next);
        if (!CONTENT_SCRIPT_MAY_REACH.includes(nextLayer)) {
          violations.push(
            `${relative(root, entry)}: content script reaches ${relative(root, next)} (${nextLayer}); content scripts may only use ${CONTENT_SCRIPT_MAY_REACH.join(', ')}`,
          );
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const violations = findViolations(root);
  if (violations.length) {
    console.error(
      `Import direction violated (architecture.md §2):\n${violations.map((v) => `  ${v}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log('Import direction: ok');
}
