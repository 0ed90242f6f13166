// Sizes of every dist file (raw, minified, gzip, brotli), beside the official @smartcar/auth and
// oidc-client-ts (when installed), each minified the same way. Prints a table; returns the rows.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify } from 'terser';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);

/** A package's file, when the package is installed. */
function packageFile(name, file) {
  try {
    const path = join(dirname(require.resolve(`${name}/package.json`)), file);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function measure(label, path) {
  const code = readFileSync(path, 'utf8');
  const min = (await minify(code, { ecma: 2021, compress: { passes: 3 }, format: { comments: false } })).code;
  return {
    file: label,
    raw: Buffer.byteLength(code),
    min: Buffer.byteLength(min),
    gzip: gzipSync(min, { level: 9 }).length,
    brotli: brotliCompressSync(min, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export async function sizes() {
  const ours = readdirSync(join(root, 'dist'))
    .filter((f) => /\.(m?js|cjs)$/.test(f))
    .sort();
  const rows = [];
  for (const f of ours) rows.push(await measure(`dist/${f}`, join(root, 'dist', f)));
  const others = [
    ['@smartcar/auth 2.14.1 dist/npm/sdk.js', packageFile('@smartcar/auth', 'dist/npm/sdk.js')],
    ['oidc-client-ts dist/browser/oidc-client-ts.min.js', packageFile('oidc-client-ts', 'dist/browser/oidc-client-ts.min.js')],
  ];
  for (const [label, path] of others) if (path) rows.push(await measure(label, path));
  return rows;
}

export function printSizes(rows) {
  const official = rows.find((r) => r.file.startsWith('@smartcar/auth'));
  const iife = rows.find((r) => r.file === 'dist/smartcar-connect.min.js');
  console.log('\nSizes in bytes (minified with terser, then gzip -9 and brotli 11)\n');
  console.log('| file | raw | minified | gzip | brotli | gzip vs @smartcar/auth |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = official ? `${(r.gzip / official.gzip).toFixed(2)}×` : '';
    console.log(`| ${r.file} | ${r.raw} | ${r.min} | ${r.gzip} | ${r.brotli} | ${ratio} |`);
  }
  if (official && iife) {
    console.log(`\nThe whole SDK by script tag is ${iife.gzip} B gzip, ${(iife.gzip / official.gzip).toFixed(2)}× @smartcar/auth (${official.gzip} B).`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !process.argv.includes('--readme')) printSizes(await sizes());

// ---------------------------------------------------------------- what each kind of app pays

const START = '<!-- sizes: written by `node bench/sizes.mjs --readme` from the build; a test checks it -->';
const END = '<!-- /sizes -->';

/** Each app's and script's gzip size as size-limit measures it (bench/apps.mjs), and the official SDK's beside them. */
export async function appSizes() {
  const { default: sizeLimit } = await import('size-limit');
  const { default: file } = await import('@size-limit/file');
  const { default: esbuild } = await import('@size-limit/esbuild');
  const { APPS, SCRIPTS, OFFICIAL } = await import('./apps.mjs');
  const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });
  const abs = (p) => join(root, p);
  const importsOf = (app) => (typeof app.import === 'string' ? { [abs(app.path)]: app.import } : Object.fromEntries(Object.entries(app.import).map(([p, i]) => [abs(p), i])));
  const measure = async (plugins, check) => (await sizeLimit(plugins, { cwd: root, checks: [{ gzip: true, ...check }] }))[0].size;
  const rows = [];
  for (const app of APPS) rows.push({ name: app.name, size: await measure([file, esbuild], { files: [abs(app.path)], import: importsOf(app), ignore: app.ignore, modifyEsbuildConfig: production }), limit: app.limit });
  for (const script of SCRIPTS) rows.push({ name: script.name, size: await measure([file], { files: [abs(script.path)] }), limit: script.limit });
  const officialScript = packageFile(OFFICIAL.script.package, OFFICIAL.script.file);
  const officialApp = join(root, '.vitest', 'official-app.mjs');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(dirname(officialApp), { recursive: true });
  writeFileSync(officialApp, OFFICIAL.app.code);
  rows.push({ name: OFFICIAL.app.name, size: await measure([file, esbuild], { files: [officialApp], modifyEsbuildConfig: production }), official: true });
  rows.push({ name: OFFICIAL.script.name, size: await measure([file, esbuild], { files: [officialScript] }), official: true });
  return rows;
}

/** The README's table of what each kind of app pays. */
export function appTable(rows) {
  const n = (x) => x.toLocaleString('en-US');
  const lines = [
    START,
    '| what is loaded | gzip | budget |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${n(r.size)} B | ${r.official ? '—' : `${n(r.limit)} B`} |`),
    END,
  ];
  return lines.join('\n');
}

/** The README with its table written anew. */
export function withTable(readme, table) {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < 0) throw new Error(`README.md has no ${START} … ${END} block`);
  return readme.slice(0, from) + table + readme.slice(to + END.length);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--readme')) {
  const { writeFileSync } = await import('node:fs');
  const path = join(root, 'README.md');
  writeFileSync(path, withTable(readFileSync(path, 'utf8'), appTable(await appSizes())));
  console.log('README.md: the size table is written anew');
}
