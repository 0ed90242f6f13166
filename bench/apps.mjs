// What each kind of app pays for this SDK, in one list: the size budgets (.size-limit.mjs) and the
// README's table (bench/sizes.mjs) both read it. An app's bundle is measured as its production
// build would be: bundled and minified by esbuild with process.env.NODE_ENV set to "production",
// then gzip; a script file as it is served, gzip.

/** An app bundle: what it imports from which built file, and the budget it must stay within (bytes, gzip). */
export const APPS = [
  { name: 'an app on the popup entry (`/popup`: `createConnect`)', path: 'dist/popup.mjs', import: '{ createConnect }', limit: 8250 },
  { name: 'an app on the main entry, popup only (`createConnect`)', path: 'dist/index.mjs', import: '{ createConnect }', limit: 10850 },
  { name: 'an app on the main entry, the whole API', path: 'dist/index.mjs', import: '*', limit: 11150 },
  { name: 'an app on both entries (`createConnect` of the main one, all of the popup one)', path: 'dist/index.mjs', import: { 'dist/index.mjs': '{ createConnect }', 'dist/popup.mjs': '*' }, limit: 11300 },
  { name: 'React: `useConnect` with the client it drives (react left out)', path: 'dist/react.mjs', import: '{ useConnect }', ignore: ['react'], limit: 11750 },
  { name: 'Vue: `useConnect` with the client it drives (vue left out)', path: 'dist/vue.mjs', import: '{ useConnect }', ignore: ['vue'], limit: 11800 },
  { name: 'an app on the `@smartcar/auth` drop-in (`/compat`)', path: 'dist/compat.mjs', import: 'Smartcar', limit: 11400 },
];

/** A script file, as the browser loads it. */
export const SCRIPTS = [
  { name: 'script tag: the whole SDK (`dist/smartcar-connect.min.js`)', path: 'dist/smartcar-connect.min.js', limit: 10550 },
  { name: 'script tag: the `@smartcar/auth` drop-in (`dist/compat.min.js`)', path: 'dist/compat.min.js', limit: 10850 },
  { name: 'the callback page (`dist/callback.min.js`)', path: 'dist/callback.min.js', limit: 610 },
];

/** The official SDK, measured the same ways: an app that bundles it, and its script. */
export const OFFICIAL = {
  app: { name: 'an app on `@smartcar/auth` 2.14.1', code: "import Smartcar from '@smartcar/auth'; export default Smartcar;" },
  script: { name: 'script tag: `@smartcar/auth` 2.14.1 (`sdk.js`, minified)', package: '@smartcar/auth', file: 'dist/npm/sdk.js' },
};
