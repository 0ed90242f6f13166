// Builds the examples as the small apps they are, importing this package by name through its
// exports map, as an app's bundler would: React and Vue each bundled with its framework
// (development builds, so React's StrictMode double-mounts), and the Vite app with Vite itself,
// its callback page a second entry. Run after `npm run build`.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import linkPackage from './link-package.mjs';

linkPackage();
const root = new URL('../examples/', import.meta.url);
for (const [name, entry] of [
  ['react', 'main.tsx'],
  ['vue', 'main.ts'],
]) {
  await build({
    entryPoints: [new URL(`${name}/${entry}`, root).pathname],
    outfile: new URL(`${name}/dist/app.js`, root).pathname,
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    logLevel: 'warning',
    define: {
      'process.env.NODE_ENV': '"development"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
}

await viteBuild({ configFile: new URL('vite/vite.config.ts', root).pathname, logLevel: 'warn' });
