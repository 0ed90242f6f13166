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

if (import.meta.url === `file://${process.argv[1]}`) printSizes(await sizes());
