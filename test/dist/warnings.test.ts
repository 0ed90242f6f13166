import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Development warnings cost production nothing: the built files prove it.

const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);
const read = (file: string) => readFileSync(dist(file), 'utf8');

/** A warning's words, as dev.ts writes them. */
const WARNING_WORDS = [
  'outside an event handler',
  "without Connect's answer",
  'which this version does not know',
  'are different origins',
  'is not an option of',
  "looks like one of Smartcar's API credentials",
  'which alone keeps the client secret',
  'serve the callback page over https',
  'registers http redirect URIs only on the host localhost',
  'whose login cannot run in a web browser',
];

/**
 * Runs `code` in a fresh realm with a page's few globals (this page on localhost, a redirect URI on
 * 127.0.0.1: a warning's case), creates a client, and returns what it wrote with console.warn. A
 * CommonJS build's `require()` of its shared chunks loads them into the same realm.
 */
function warningsOf(code: string, globals: Record<string, unknown> = {}): string[] {
  const warned: string[] = [];
  const context: Record<string, unknown> = {
    URL,
    URLSearchParams,
    Symbol,
    console: { warn: (m: string) => warned.push(m), error: () => undefined },
    location: { origin: 'http://localhost:5170', href: 'http://localhost:5170/' },
    ...globals,
  };
  const chunks = new Map<string, unknown>();
  context.require = (id: string) => {
    if (!chunks.has(id)) {
      const module = { exports: {} };
      chunks.set(id, module.exports);
      runInNewContext(`(function (module, exports) {\n${read(id.replace('./', ''))}\n})`, context)(module, module.exports);
      chunks.set(id, module.exports);
    }
    return chunks.get(id);
  };
  context.module = { exports: {} };
  context.exports = (context.module as { exports: object }).exports;
  runInNewContext(`${code}\n;globalThis.api = typeof SmartcarConnect === 'object' ? SmartcarConnect : module.exports;`, context);
  const api = context.api as typeof import('../../src/index');
  api.createConnect({ clientId: 'app', redirectUri: 'http://127.0.0.1:5170/connect/callback' });
  return warned;
}

/** Loads a script-tag build in a fresh realm, as a page would, and returns its global and what it reported. */
function scriptTag(file: string) {
  const reported: unknown[] = [];
  const context: Record<string, unknown> = {
    URL,
    URLSearchParams,
    Symbol,
    console: { warn: () => undefined, error: (e: unknown) => reported.push(e) },
    location: { origin: 'http://localhost:5170', href: 'http://localhost:5170/' },
  };
  runInNewContext(`${read(file)}\n;globalThis.api = SmartcarConnect;`, context);
  return { api: context.api as typeof import('../../src/index'), reported };
}

describe('bad options in the script tag', () => {
  it('the production build refuses a client secret in a few words: the option and the rule', () => {
    const { api, reported } = scriptTag('smartcar-connect.min.js');
    api.createConnect({ clientId: 'app', redirectUri: 'http://localhost:5170/cb', clientSecret: 'shh' } as never);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe('smartcar-connect: clientSecret must never be in browser code');
    expect(() => api.buildConnectUrl({ clientId: 'app', client_secret: 'shh' } as never)).toThrow('smartcar-connect: client_secret must never be in browser code');
  });

  it('are one error in the console as the page loads, not an exception that stops its script; the flows then reject with it', async () => {
    for (const file of ['smartcar-connect.min.js', 'smartcar-connect.js']) {
      const { api, reported } = scriptTag(file);
      const connect = api.createConnect({ clientId: 'app', redirectUri: '/connect/callback' });
      expect(reported).toEqual([expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/^smartcar-connect: redirectUri must be an absolute URL/) })]);
      await expect(connect.popup()).rejects.toBe(reported[0]);
      await expect(connect.redirect()).rejects.toBe(reported[0]);
      await expect(connect.handleRedirect()).resolves.toBeNull();
      expect(connect.attach('#car')()).toBeUndefined();
      expect(connect.on('success', () => undefined)()).toBeUndefined();
      expect(() => connect.url()).toThrow(reported[0] as Error);
      connect.destroy();
      expect(reported).toHaveLength(1);
    }
  });

  it('the development build says what to do besides', () => {
    const { api, reported } = scriptTag('smartcar-connect.js');
    api.createConnect({ clientId: 'app', redirectUri: 'http://app.example.com/cb' });
    expect((reported[0] as Error).message).toBe(
      'smartcar-connect: redirectUri must be https (http only on localhost, 127.0.0.1 or [::1]): Connect takes http only for local testing; serve the callback page over https',
    );
  });
});

describe('development warnings in the built files', () => {
  it('dist/smartcar-connect.js (development) warns; dist/smartcar-connect.min.js carries none of it', () => {
    expect(warningsOf(read('smartcar-connect.js'))).toEqual([expect.stringContaining('are different origins'), expect.stringContaining('only on the host localhost')]);
    expect(warningsOf(read('smartcar-connect.min.js'))).toEqual([]);
    const production = read('smartcar-connect.min.js');
    for (const words of WARNING_WORDS) expect(production).not.toContain(words);
    expect(production).not.toContain('console.warn');
    expect(read('smartcar-connect.js')).not.toContain('process.env');
  });

  it('the npm entry warns under NODE_ENV development, not under production, and is silent and working where nothing defines process', () => {
    const cjs = read('index.cjs');
    expect(warningsOf(cjs, { process: { env: { NODE_ENV: 'development' } } })).toEqual([
      expect.stringContaining('are different origins'),
      expect.stringContaining('only on the host localhost'),
    ]);
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
