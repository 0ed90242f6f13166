import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildConnectUrl, ConnectError, createConnect, parseConnectResponse, UserCancelledError } from '../../src/index';
import {
  CODE_SUCCESS_URL,
  CODE_USER_SUCCESS_URL,
  CONFIGURATION_ERROR_URL,
  REAUTH_CLIENT_ID,
  REAUTH_SUCCESS_URL,
  REAUTH_URL,
  REAUTH_VEHICLE_ID,
  TEST_VIN_MESSAGE,
  USER_CANCELLED_QUERY,
  USER_ID_SUCCESS_URL,
} from '../fixtures/connect';
import { callbackSearch, connectWithLog, deliver, ORIGIN, REDIRECT_URI, rejection, sentState, stubOpen, wire } from './harness';

beforeEach(() => vi.useFakeTimers());

describe('every redirect of Smartcar’s documentation, old and new, means what the docs say', () => {
  it.each([
    ['today’s success: user_id and no code', USER_ID_SUCCESS_URL, { ok: true, result: { userId: '725146a3-69f4-46c8-965d-54b3b6f81eb7', state: '0facda3319' } }],
    ['the older success: code and state', CODE_SUCCESS_URL, { ok: true, result: { code: '8a1c2f59-7f4e-4b32-9a43-1b2c3d4e5f60', state: '0facda3319' } }],
    [
      'a success with code, user_id and external_id',
      CODE_USER_SUCCESS_URL,
      {
        ok: true,
        result: { code: '8a1c2f59-7f4e-4b32-9a43-1b2c3d4e5f60', userId: '725146a3-69f4-46c8-965d-54b3b6f81eb7', externalId: 'fleet-9', state: '0facda3319' },
      },
    ],
    ['a re-authentication’s success', REAUTH_SUCCESS_URL, { ok: true, result: { vehicleId: REAUTH_VEHICLE_ID, state: '0facda3319' } }],
  ])('%s', (_, url, expected) => {
    expect(parseConnectResponse(url)).toEqual(expected);
  });

  it('configuration_error, whole', () => {
    const r = parseConnectResponse(CONFIGURATION_ERROR_URL);
    if (r.ok || r.error.code !== 'configuration_error') throw new Error('expected configuration_error');
    expect([r.error.name, r.error.statusCode, r.error.errorMessage]).toEqual(['ConfigurationError', 400, TEST_VIN_MESSAGE]);
  });

  it('user_cancelled, as its own class', () => {
    const r = parseConnectResponse(`?${USER_CANCELLED_QUERY}`);
    if (r.ok) throw new Error('expected an error');
    expect(r.error).toBeInstanceOf(UserCancelledError);
    expect(r.error).toMatchObject({ name: 'UserCancelledError', code: 'user_cancelled', state: '0facda3319' });
    expect(r.error.description).toBe("User cancelled or denied login at OEM's login screen");
  });
});

describe('re-authentication URLs', () => {
  const docs = new URL(REAUTH_URL);
  const base = { clientId: REAUTH_CLIENT_ID, redirectUri: 'https://example.com/home', state: '0facda3319' };

  it('rebuilds the docs’ URL exactly from its documented parameters, by vehicle id and by resolution.url', () => {
    for (const reauthenticate of [REAUTH_VEHICLE_ID, REAUTH_URL]) {
      const built = new URL(buildConnectUrl({ ...base, reauthenticate }));
      expect(built.origin + built.pathname).toBe(docs.origin + docs.pathname);
      expect([...built.searchParams]).toEqual([...docs.searchParams]);
    }
  });

  it('sends user and external_id when given, and no scope, mode or other authorize parameter', () => {
    const built = new URL(buildConnectUrl({ ...base, scope: ['read_odometer'], mode: 'test', user: 'u-1', externalId: 'fleet-9', reauthenticate: REAUTH_VEHICLE_ID }));
    expect([...built.searchParams.keys()]).toEqual(['response_type', 'client_id', 'vehicle_id', 'redirect_uri', 'state', 'user', 'external_id']);
  });

  it('takes a resolution.url on another Connect origin when connectOrigin names it, and one with application_id', () => {
    const standIn = 'http://127.0.0.1:5171';
    const url = `${standIn}/oauth/reauthenticate?response_type=vehicle_id&application_id=${REAUTH_CLIENT_ID}&vehicle_id=v-1`;
    const built = new URL(buildConnectUrl({ ...base, connectOrigin: standIn, reauthenticate: url }));
    expect(built.origin).toBe(standIn);
    expect(built.searchParams.get('vehicle_id')).toBe('v-1');
  });

  it.each([
    ['javascript:', 'javascript:alert(document.domain)//https://connect.smartcar.com/oauth/reauthenticate?vehicle_id=v'],
    ['another origin', 'https://connect.smartcar.com.evil.example/oauth/reauthenticate?vehicle_id=v'],
    ['plain http', 'http://connect.smartcar.com/oauth/reauthenticate?vehicle_id=v'],
    ['the authorize path', 'https://connect.smartcar.com/oauth/authorize?vehicle_id=v'],
    ['a URL without vehicle_id', 'https://connect.smartcar.com/oauth/reauthenticate?response_type=vehicle_id'],
    ['a URL with a malformed vehicle_id', 'https://connect.smartcar.com/oauth/reauthenticate?vehicle_id=a%20b'],
    ['another application’s URL', 'https://connect.smartcar.com/oauth/reauthenticate?client_id=someone-else&vehicle_id=v'],
    ['an empty string', ''],
    ['text with spaces', 'my car'],
    ['a number', 42],
    ['an object', { vehicleId: 'v' }],
  ])('refuses %s with a TypeError naming reauthenticate', (_, reauthenticate) => {
    expect(() => buildConnectUrl({ ...base, reauthenticate: reauthenticate as string })).toThrow(
      /^smartcar-connect: reauthenticate must be/,
    );
  });

  it.each([
    ['forcePrompt', { forcePrompt: true }],
    ['make', { make: 'TESLA' }],
    ['singleSelect', { singleSelect: true }],
    ['flags', { flags: { country: 'DE' } }],
  ])('refuses %s beside reauthenticate', (name, extra) => {
    expect(() => buildConnectUrl({ ...base, ...extra, reauthenticate: REAUTH_VEHICLE_ID })).toThrow(
      `smartcar-connect: ${name} must be left out with reauthenticate`,
    );
  });

  it('needs a redirect URI', () => {
    expect(() => buildConnectUrl({ clientId: 'a', responseType: 'none', reauthenticate: REAUTH_VEHICLE_ID })).toThrow(
      'smartcar-connect: reauthenticate must be used with a redirectUri',
    );
  });

  it('url() of a client builds it with the app’s state as given', () => {
    const connect = createConnect({ clientId: REAUTH_CLIENT_ID, redirectUri: 'https://example.com/home' });
    expect(connect.url({ reauthenticate: REAUTH_URL, state: '0facda3319' })).toBe(buildConnectUrl({ ...base, reauthenticate: REAUTH_URL }));
  });
});

describe('externalId: null', () => {
  it('sends external_id=null, Connect’s way to clear the stored id', () => {
    const url = new URL(buildConnectUrl({ clientId: 'a', redirectUri: REDIRECT_URI, externalId: null }));
    expect(url.searchParams.get('external_id')).toBe('null');
    expect(new URL(buildConnectUrl({ clientId: 'a', redirectUri: REDIRECT_URI })).searchParams.has('external_id')).toBe(false);
  });
});

describe('the popup flow with today’s answers', () => {
  it('resolves with userId for a success that carries user_id and no code', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'user-42' });
    deliver(wire(callbackSearch({ user_id: '725146a3-69f4-46c8-965d-54b3b6f81eb7' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', userId: '725146a3-69f4-46c8-965d-54b3b6f81eb7', state: 'user-42' });
    expect(names()).toEqual(['open', 'success']);
  });

  it('resolves with userId and externalId for responseType none with a redirect URI', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ responseType: 'none' });
    const promise = connect.popup({ state: 's', externalId: 'fleet-9' });
    const sent = new URL(last().url).searchParams;
    expect([sent.get('response_type'), sent.get('redirect_uri'), sent.has('app_origin')]).toEqual(['none', REDIRECT_URI, false]);
    deliver(wire(callbackSearch({ user_id: 'u-1', external_id: 'fleet-9' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', userId: 'u-1', externalId: 'fleet-9', state: 's' });
  });

  it.each([
    ['a vehicle id', REAUTH_VEHICLE_ID],
    ['Smartcar’s resolution.url', REAUTH_URL],
  ])('re-authenticates by %s and resolves with vehicleId', async (_, reauthenticate) => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog({ clientId: REAUTH_CLIENT_ID, connectOrigin: 'https://connect.smartcar.com' });
    const promise = connect.popup({ reauthenticate, state: 'again' });
    const opened = new URL(last().url);
    expect(opened.pathname).toBe('/oauth/reauthenticate');
    expect(Object.fromEntries(opened.searchParams)).toEqual({
      response_type: 'vehicle_id',
      client_id: REAUTH_CLIENT_ID,
      vehicle_id: REAUTH_VEHICLE_ID,
      redirect_uri: REDIRECT_URI,
      state: sentState(last()),
    });
    deliver(wire(callbackSearch({ vehicle_id: REAUTH_VEHICLE_ID }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', vehicleId: REAUTH_VEHICLE_ID, state: 'again' });
    expect(log[0]).toEqual(['open', { flow: 'popup', url: last().url }]);
  });

  it('rejects a refused reauthenticate with a TypeError before any window opens or any event fires', async () => {
    const { open } = stubOpen();
    const { connect, log } = connectWithLog();
    await expect(connect.popup({ reauthenticate: 'javascript:alert(1)' })).rejects.toThrow(/^smartcar-connect: reauthenticate must be/);
    await expect(connect.popup({ reauthenticate: 'https://evil.example/oauth/reauthenticate?vehicle_id=v' })).rejects.toThrow(TypeError);
    await expect(connect.popup({ reauthenticate: REAUTH_VEHICLE_ID, make: 'TESLA' })).rejects.toThrow(TypeError);
    expect(open).not.toHaveBeenCalled();
    expect(log).toEqual([]);
  });

  it('rejects with UserCancelledError and emits user_cancelled then error', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog();
    const promise = connect.popup({ state: 'oem' });
    deliver(wire(`?${USER_CANCELLED_QUERY.replace('0facda3319', encodeURIComponent(sentState(last())))}`), ORIGIN, last());
    const error = await rejection<UserCancelledError>(promise);
    expect(error).toBeInstanceOf(UserCancelledError);
    expect(error.state).toBe('oem');
    expect(log.slice(1)).toEqual([
      ['user_cancelled', error],
      ['error', error],
    ]);
  });

  it.each(['success', 'open', 'error'])('gives error=%s only the error event, once', async (code) => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog();
    const promise = connect.popup();
    deliver(wire(callbackSearch({ error: code }, sentState(last()))), ORIGIN, last());
    const error = await rejection<ConnectError>(promise);
    expect(error.code).toBe(code);
    expect(error.name).toBe('ConnectError');
    expect(log.slice(1)).toEqual([['error', error]]);
  });

  it('accepts a hosted page’s SmartcarAuthMessage with userId and no code', async () => {
    const hosted = 'https://javascript-sdk.smartcar.com';
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: `${hosted}/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}` });
    const promise = connect.popup({ state: 'h' });
    deliver({ name: 'SmartcarAuthMessage', isSmartcarHosted: true, userId: 'u-7', state: sentState(last()), code: null }, hosted, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', userId: 'u-7', state: 'h' });
  });
});
