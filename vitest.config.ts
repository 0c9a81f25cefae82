import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import './tests/support/node20-polyfills.ts';

// Two projects: `unit` runs in Node against fakes and never touches the network; `e2e`
// drives the production build in Debian's Chromium (run `npm run build` first — the
// README's `npm test` does).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          setupFiles: ['tests/unit/setup.ts'],
          // Some unit tests run the real CLI or fuzz a whole repository; two workers share two
          // cores in CI, so give them room (this bounds hangs, it does not measure speed).
          testTimeout: 120_000,
        },
      },
      {
        // The same `@/` alias WXT gives the unit project, so e2e tests can use fixtures that
        // import project code.
        resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One browser at a time: CI has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
