import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', '**/dist', 'node_modules', '.vitest', '.tmp', 'coverage', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // A flow rejects with signal.reason, whatever the app aborted with, as fetch does.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // Node scripts; the benchmark also hands functions to the page, which run there.
  { files: ['scripts/**', 'demo/**/*.mjs', 'bench/*.mjs', 'bin/**', '*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['bench/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  // Pages' own scripts, loaded by script tag.
  {
    files: ['test/e2e/pages/**', 'demo/public/**', 'bench/pages/**', 'examples/html/**'],
    languageOptions: { globals: { ...globals.browser, SmartcarConnect: 'readonly' }, sourceType: 'script' },
  },
  { files: ['**/*-entry.js'], languageOptions: { sourceType: 'module' } },
  // Apps written as Smartcar's React examples are, configured by process.env at build time.
  {
    files: ['test/e2e/starter-apps/*.jsx'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/e2e/starter-apps/*.jsx'],
    languageOptions: { globals: { ...globals.browser, process: 'readonly' }, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
);
