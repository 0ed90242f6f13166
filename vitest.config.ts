import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
    // The sources run in jsdom and Node here; in Chromium the tests run the built files.
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      // The stand-in's HTTP server is proven by the browser tests that drive it, not by line counts.
      exclude: ['src/index.ts', 'src/callback-script.ts', 'src/compat-script.ts', 'src/script-tag.ts', 'src/testing/server.ts', 'src/testing/pages.ts'],
      reporter: ['text-summary'],
      thresholds: { statements: 99, branches: 95, functions: 100, lines: 99 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/unit/setup.ts'],
          restoreMocks: true,
          unstubGlobals: true,
        },
      },
      // The popup suites again, against smartcar-connect-browser/popup: its createConnect in place
      // of the main entry's (tests of what the main entry alone carries skip there: mainIt).
      {
        resolve: { alias: [{ find: /^(\.\.\/)+src\/index$/, replacement: new URL('test/unit/popup-entry-api.ts', import.meta.url).pathname }] },
        test: {
          name: 'popup-entry',
          include: ['test/unit/{popup,hosted,events,lifecycle,exactly-once,popup-entry,door}.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/unit/setup.ts'],
          restoreMocks: true,
          unstubGlobals: true,
          env: { SMARTCAR_ENTRY: 'popup' },
        },
      },
      // The README's testing examples, as written: they import the built package by its name.
      { test: { name: 'examples', include: ['examples/testing/**/*.test.ts'], environment: 'jsdom', globalSetup: ['test/setup/link-package.ts'], testTimeout: 30_000 } },
      // The same examples in happy-dom, the other DOM apps test in.
      {
        test: {
          name: 'examples-happy-dom',
          include: ['examples/testing/popup.test.ts', 'examples/testing/same-window.test.ts'],
          environment: 'happy-dom',
          globalSetup: ['test/setup/link-package.ts'],
        },
      },
      { test: { name: 'dist', include: ['test/dist/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // After the other projects: the demo test runs `npm run demo`, which rebuilds dist/.
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
