import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_DESCRIPTION, CONFIGURATION_ERROR_URL, TEST_VIN_MESSAGE, USER_ID_SUCCESS_URL } from '../fixtures/connect';

type Api = typeof import('../../src/index');
const require = createRequire(import.meta.url);
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);

/** Loads the script-tag build into a fresh realm, as a page would, and returns its global. */
function loadIife(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const context: Record<string, unknown> = { URL, URLSearchParams, Symbol, ...extra };
  runInNewContext(readFileSync(dist(file), 'utf8'), context);
  return context;
}

describe('the built package in plain Node', () => {
  it('resolves the docs’ user_id redirect as a success from dist/index.cjs', () => {
    const api = require('../../dist/index.cjs') as Api;
    expect(api.parseConnectResponse(USER_ID_SUCCESS_URL)).toEqual({
      ok: true,
      result: { userId: '725146a3-69f4-46c8-965d-54b3b6f81eb7', state: '0facda3319' },
    });
  });

  it('imports the CommonJS build without touching a DOM global, and parses the docs’ configuration_error', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const api = require('../../dist/index.cjs') as Api;
    const r = api.parseConnectResponse(CONFIGURATION_ERROR_URL);
    expect(r.ok).toBe(false);
    if (r.ok || r.error.code !== 'configuration_error') throw new Error('expected configuration_error');
    expect(r.error).toBeInstanceOf(api.ConfigurationError);
    expect(r.error.statusCode).toBe(400);
    expect(r.error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(r.error.description).toBe(CONFIGURATION_DESCRIPTION);
  });

  it('imports the ESM build, and createConnect works without a DOM until a flow starts', async () => {
    const api = (await import(dist('index.mjs').href)) as Api;
    const connect = api.createConnect({ clientId: 'a', redirectUri: 'https://app.example/cb' });
    expect(connect.url({ state: 's' })).toBe(
      'https://connect.smartcar.com/oauth/authorize?response_type=code&client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s&mode=live',
    );
    expect(api.buildConnectUrl({ clientId: 'a', redirectUri: 'https://app.example/cb' })).toContain('client_id=a');
  });

  it('imports the callback entry without running it', async () => {
    const cjs = require('../../dist/callback.cjs') as typeof import('../../src/callback');
    const esm = (await import(dist('callback.mjs').href)) as typeof import('../../src/callback');
    expect(typeof cjs.relayConnectResponse).toBe('function');
    expect(typeof esm.relayConnectResponse).toBe('function');
  });

  it('lets isConnectError recognise errors from another copy of the bundle, where instanceof fails', async () => {
    const cjs = require('../../dist/index.cjs') as Api;
    const esm = (await import(dist('index.mjs').href)) as Api;
    const fromCjs = new cjs.AccessDeniedError();
    expect(fromCjs instanceof esm.AccessDeniedError).toBe(false);
    expect(esm.isConnectError(fromCjs)).toBe(true);
    expect(cjs.isConnectError(new esm.TimeoutError())).toBe(true);
  });
});

describe('the script-tag build (IIFE)', () => {
  it('gives the SmartcarConnect global exactly the npm build’s exports, the same classes by name', () => {
    const api = loadIife('smartcar-connect.min.js').SmartcarConnect as Record<string, unknown>;
    const esm = require('../../dist/index.cjs') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(esm).sort());
    const classes = Object.keys(esm).filter((name) => /^[A-Z]\w+Error$/.test(name) && name !== 'ConnectError');
    expect(classes).toHaveLength(15);
    for (const name of classes) expect(new (api[name] as new () => Error)().name).toBe(name);
  });

  it('defines the SmartcarConnect global and parses the docs’ configuration_error', () => {
    const api = loadIife('smartcar-connect.min.js').SmartcarConnect as Api;
    const r = api.parseConnectResponse(CONFIGURATION_ERROR_URL);
    if (r.ok || r.error.code !== 'configuration_error') throw new Error('expected configuration_error');
    expect(r.error.name).toBe('ConfigurationError');
    expect(r.error.statusCode).toBe(400);
    expect(r.error.errorMessage).toBe(TEST_VIN_MESSAGE);
  });

  it('makes errors that isConnectError recognises across realms', async () => {
    const foreign = loadIife('smartcar-connect.min.js').SmartcarConnect as Api;
    const local = (await import(dist('index.mjs').href)) as Api;
    const error = new foreign.ConfigurationError('x', { statusCode: 400 });
    expect(error instanceof Error).toBe(false); // another realm's Error
    expect(local.isConnectError(error)).toBe(true);
    expect(foreign.isConnectError(new local.PopupClosedError())).toBe(true);
  });

  it('runs the callback script with no browser globals without throwing', () => {
    expect(() => loadIife('callback.min.js')).not.toThrow();
  });
});

describe('the @smartcar/auth drop-in as built', () => {
  type Compat = typeof import('../../src/compat').default;
  const OPTIONS = { applicationId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07', redirectUri: 'https://app.example/cb', scope: ['read_odometer'] };

  it('require() gives the Smartcar class itself, as require("@smartcar/auth") does, and the ES module default-exports it', async () => {
    const Required = require('../../dist/compat.cjs') as Compat;
    const Imported = ((await import(dist('compat.mjs').href)) as { default: Compat }).default;
    for (const Smartcar of [Required, Imported]) {
      expect(typeof Smartcar).toBe('function');
      expect(typeof Smartcar.AccessDenied).toBe('function');
      expect(new Smartcar.VehicleIncompatible('no', null)).toBeInstanceOf(Error);
      // Made without a window, as on a server: the URL is the official one.
      const s = new Smartcar(OPTIONS);
      expect(s.getAuthUrl()).toMatch(/^https:\/\/connect\.smartcar\.com\/oauth\/authorize\?response_type=code&application_id=8229df9f/);
    }
  });

  it('dist/compat.min.js defines the global Smartcar, as the official sdk.js does', () => {
    const page = loadIife('compat.min.js', { btoa, atob, crypto });
    const Smartcar = page.Smartcar as Compat;
    expect(Smartcar.name).toBe('Smartcar');
    expect(Object.keys(Smartcar)).toEqual(expect.arrayContaining(['AccessDenied', 'InvalidSubscription', 'VehicleIncompatible', 'ConfigurationError', 'isConnectError']));
    expect(new Smartcar(OPTIONS).instanceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
