import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createConnect, type ConnectSuccess } from '../../src/index';
import { connectWithLog, deliver, ORIGIN, rejection, sentState, stubOpen } from './harness';

const HOSTED = 'https://javascript-sdk.smartcar.com';
const HOSTED_REDIRECT = `${HOSTED}/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}`;
const CONNECT = 'https://connect.smartcar.com';

/** What the official SDK's hosted redirect page and Connect's redirect-less completion post. */
const authMessage = (fields: Record<string, unknown>) => ({ name: 'SmartcarAuthMessage', isSmartcarHosted: true, ...fields });

beforeEach(() => vi.useFakeTimers());

describe('the official SDK’s hosted redirect page, as a migration path', () => {
  it('accepts its SmartcarAuthMessage from the hosted origin and the flow’s popup', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog({ redirectUri: HOSTED_REDIRECT });
    const promise = connect.popup({ state: 'user-42' });
    expect(new URL(last().url).searchParams.get('redirect_uri')).toBe(HOSTED_REDIRECT);
    deliver(
      authMessage({ code: 'hosted-code', state: sentState(last()), virtualKeyUrl: 'https://tesla.example/vk', userId: 'u1', externalId: 'e1' }),
      HOSTED,
      last(),
    );
    const expected: ConnectSuccess = {
      flow: 'popup',
      code: 'hosted-code',
      state: 'user-42',
      virtualKeyUrl: 'https://tesla.example/vk',
      userId: 'u1',
      externalId: 'e1',
    };
    await expect(promise).resolves.toEqual(expected);
    expect(names()).toEqual(['open', 'success']);
  });

  it('turns its errors into the typed classes; configuration_error arrives without status and message there', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: HOSTED_REDIRECT });
    const promise = connect.popup();
    deliver(
      authMessage({ error: 'configuration_error', errorDescription: 'There has been an error.', state: sentState(last()), code: null }),
      HOSTED,
      last(),
    );
    const error = await rejection<ConfigurationError>(promise);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.description).toBe('There has been an error.');
    expect(error.statusCode).toBeUndefined();
    expect(error.errorMessage).toBeUndefined();
  });

  it('keeps vehicle_incompatible’s vehicle from the message', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: HOSTED_REDIRECT });
    const promise = connect.popup();
    deliver(authMessage({ error: 'vehicle_incompatible', vin: '0SCAUDI012FE3B132', make: 'AUDI', model: 'A4', year: 2019, state: sentState(last()) }), HOSTED, last());
    await expect(promise).rejects.toMatchObject({ code: 'vehicle_incompatible', vehicle: { vin: '0SCAUDI012FE3B132', make: 'AUDI', model: 'A4', year: 2019 } });
  });

  it('ignores a SmartcarAuthMessage from any other origin, or with another state', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog({ redirectUri: HOSTED_REDIRECT });
    const promise = connect.popup();
    const settled = vi.fn();
    promise.then(settled, settled);
    deliver(authMessage({ code: 'x', state: sentState(last()) }), 'https://evil.example', last());
    deliver(authMessage({ code: 'x', state: sentState(last()) }), ORIGIN, last());
    deliver(authMessage({ code: 'x', state: sentState(last()) }), HOSTED, window);
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).not.toHaveBeenCalled();
    expect(names()).toEqual(['open']);
    connect.destroy();
  });

  it('refuses a cross-origin redirect URI that does not name this origin in app_origin', async () => {
    stubOpen();
    const connect = createConnect({ clientId: 'a', redirectUri: `${HOSTED}/v2/redirect?app_origin=https%3A%2F%2Fother.example` });
    await expect(connect.popup()).rejects.toThrow('smartcar-connect: redirectUri must be on this page');
  });
});

describe('the redirect-less flow (responseType none)', () => {
  it('sends app_origin instead of a redirect URI and resolves from Connect’s own message with userId and externalId', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: undefined, responseType: 'none' });
    const promise = connect.popup({ externalId: 'fleet-9', state: 'u' });
    const sent = new URL(last().url).searchParams;
    expect(sent.get('response_type')).toBe('none');
    expect(sent.has('redirect_uri')).toBe(false);
    expect(sent.get('app_origin')).toBe(ORIGIN);
    deliver(authMessage({ state: sentState(last()), userId: 'user-1', externalId: 'fleet-9' }), CONNECT, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', state: 'u', userId: 'user-1', externalId: 'fleet-9' });
  });

  it('rejects with the typed error Connect posts', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: undefined, responseType: 'none' });
    const promise = connect.popup();
    deliver(authMessage({ state: sentState(last()), error: 'access_denied', errorDescription: 'User denied access.' }), CONNECT, last());
    await expect(promise).rejects.toMatchObject({ name: 'AccessDeniedError', description: 'User denied access.' });
  });

  it('ignores the same message from the app’s own origin', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ redirectUri: undefined, responseType: 'none' });
    const settled = vi.fn();
    connect.popup().then(settled, settled);
    deliver(authMessage({ state: sentState(last()), userId: 'forged' }), ORIGIN, last());
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).not.toHaveBeenCalled();
    connect.destroy();
  });
});
