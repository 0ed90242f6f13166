// The size budgets: every kind of app and script of bench/apps.mjs, each within its limit (gzip).
import { APPS, SCRIPTS } from './bench/apps.mjs';

/** An app's production build: process.env.NODE_ENV set, so development warnings are left out. */
const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });

export default [
  ...SCRIPTS.map(({ name, path, limit }) => ({ name, path, limit: `${limit} B`, gzip: true, disablePlugins: ['@size-limit/esbuild'] })),
  ...APPS.map(({ name, path, import: what, ignore, limit }) => ({
    name,
    path,
    import: what,
    ...(ignore && { ignore }),
    limit: `${limit} B`,
    gzip: true,
    modifyEsbuildConfig: production,
  })),
];
