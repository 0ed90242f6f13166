import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = { process: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' };
const browser = {
  window: 'readonly', document: 'readonly', location: 'readonly', navigator: 'readonly', console: 'readonly',
  URL: 'readonly', URLSearchParams: 'readonly', AbortController: 'readonly', BroadcastChannel: 'readonly', Set: 'readonly',
  sessionStorage: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', '.vitest', 'coverage', '**/*.d.mts'] },
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
  { files: ['scripts/**', 'demo/**/*.mjs', 'bench/**', '*.mjs'], languageOptions: { globals: node } },
  { files: ['test/e2e/pages/**', 'demo/public/**'], languageOptions: { globals: browser, sourceType: 'script' } },
  { files: ['**/*-entry.js', 'demo/public/**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
