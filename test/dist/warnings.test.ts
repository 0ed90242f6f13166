import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Development warnings cost production nothing: the built files prove it.

const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);
const read = (file: string) => readFileSync(dist(file), 'utf8');

/** A warning's words, as dev.ts writes them. */
const WARNING_WORDS = ['outside an event handler', "without Connect's answer", 'which this version does not know', 'are different origins'];

/**
 * Runs `code` in a fresh realm with a page's few globals (this page on localhost, a redirect URI on
 * 127.0.0.1: a warning's case), creates a client, and returns what it wrote with console.warn.
 */
function warningsOf(code: string, globals: Record<string, unknown> = {}): string[] {
  const warned: string[] = [];
  const context: Record<string, unknown> = {
    URL,
    URLSearchParams,
    Symbol,
    console: { warn: (m: string) => warned.push(m), error: () => undefined },
    location: { origin: 'http://localhost:5170', href: 'http://localhost:5170/' },
    module: { exports: {} },
    ...globals,
  };
  context.exports = (context.module as { exports: object }).exports;
  runInNewContext(`${code}\n;globalThis.api = typeof SmartcarConnect === 'object' ? SmartcarConnect : module.exports;`, context);
  const api = context.api as typeof import('../../src/index');
  api.createConnect({ clientId: 'app', redirectUri: 'http://127.0.0.1:5170/connect/callback' });
  return warned;
}

describe('development warnings in the built files', () => {
  it('dist/smartcar-connect.js (development) warns; dist/smartcar-connect.min.js carries none of it', () => {
    expect(warningsOf(read('smartcar-connect.js'))).toEqual([expect.stringContaining('are different origins')]);
    expect(warningsOf(read('smartcar-connect.min.js'))).toEqual([]);
    const production = read('smartcar-connect.min.js');
    for (const words of WARNING_WORDS) expect(production).not.toContain(words);
    expect(production).not.toContain('console.warn');
    expect(read('smartcar-connect.js')).not.toContain('process.env');
  });

  it('the npm entry warns under NODE_ENV development, not under production, and is silent and working where nothing defines process', () => {
    const cjs = read('index.cjs');
    expect(warningsOf(cjs, { process: { env: { NODE_ENV: 'development' } } })).toEqual([expect.stringContaining('are different origins')]);
    expect(warningsOf(cjs, { process: { env: { NODE_ENV: 'production' } } })).toEqual([]);
    expect(warningsOf(cjs)).toEqual([]); // reading process throws there; the client is made all the same
  });

  it('an app’s production bundle of the npm entry holds no warning, and its development bundle does', async () => {
    const bundle = async (nodeEnv: string) =>
      (
        await build({
          stdin: { contents: "export { createConnect } from './dist/index.mjs';", resolveDir: new URL('../..', import.meta.url).pathname },
          bundle: true,
          minify: true,
          write: false,
          format: 'esm',
          define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
        })
      ).outputFiles[0].text;
    const production = await bundle('production');
    for (const words of WARNING_WORDS) expect(production).not.toContain(words);
    expect(production).not.toContain('console.warn');
    const development = await bundle('development');
    for (const words of WARNING_WORDS) expect(development).toContain(words);
  });
});
