import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, StateMismatchError } from '../../src/index';
import { FLOW_TTL_MS } from '../../src/records';
import { CONFIGURATION_ERROR_URL, REAUTH_CLIENT_ID, REAUTH_URL, REAUTH_VEHICLE_ID, TEST_VIN_MESSAGE } from '../fixtures/connect';
import { connectWithLog, ORIGIN, rejection } from './harness';

const RETURN = `${ORIGIN}/connect/return`;
const CONFIG_QUERY = CONFIGURATION_ERROR_URL.slice(CONFIGURATION_ERROR_URL.indexOf('?') + 1);

// jsdom cannot navigate to another origin: the page's location reads through to jsdom's, and records assign().
const real = window.location;
let assign: ReturnType<typeof vi.fn>;
beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/app?tab=cars#garage');
  assign = vi.fn();
  vi.stubGlobal('location', {
    get href() {
      return real.href;
    },
    get origin() {
      return real.origin;
    },
    assign,
  });
});

/** Starts a same-window flow and returns the state it sent to Connect. */
async function leave(connect: ReturnType<typeof connectWithLog>['connect'], state?: string) {
  await connect.redirect(state === undefined ? {} : { state });
  return new URL(assign.mock.calls.at(-1)![0] as string).searchParams.get('state')!;
}

/** Comes back to the app as Connect would: the return route with the answer, the app's own query and hash. */
function arrive(query: string) {
  history.replaceState(null, '', `/connect/return?tab=cars&${query}#garage`);
  return real.href;
}

describe('connect.redirect()', () => {
  it('stores the flow in sessionStorage, emits open and navigates the window to Connect', async () => {
    const { connect, log } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect, 'user-42');
    const url = assign.mock.calls[0][0] as string;
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(RETURN);
    expect(sent).toMatch(/^[0-9a-f]{32}\.user-42$/);
    expect(log).toEqual([['open', { flow: 'redirect', url }]]);
    const [stored] = JSON.parse(sessionStorage.getItem('smartcar-connect:popups')!);
    expect(stored).toMatchObject({ nonce: sent.split('.')[0], appState: 'user-42', clientId: 'app-id', flow: 'redirect' });
    expect(typeof stored.until).toBe('number');
  });

  it('rejects with the preflight ConfigurationError for a test-mode VIN in live mode, and stays', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN, mode: 'live' });
    const error = await rejection<ConfigurationError>(connect.redirect({ singleSelect: { vin: '0SCAUDI0155C49A95' } }));
    expect(error.preflight).toBe(true);
    expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(assign).not.toHaveBeenCalled();
    expect(names()).toEqual(['configuration_error', 'error']);
  });

  it('rejects with a TypeError naming a bad option, and stays', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    await expect(connect.redirect({ make: 5 as unknown as string })).rejects.toThrow('smartcar-connect: make must be a string');
    expect(assign).not.toHaveBeenCalled();
  });
});

describe('connect.handleRedirect()', () => {
  it('resolves with the code and the app’s state, cleans the address bar and keeps the app’s query and hash', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect, 'ünï & co');
    arrive(`code=c-1&state=${encodeURIComponent(sent)}`);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', code: 'c-1', state: 'ünï & co' });
    expect(real.pathname + real.search + real.hash).toBe('/connect/return?tab=cars#garage');
    expect(names()).toEqual(['open', 'success']);
    expect(sessionStorage.length).toBe(0);
  });

  it('rejects with the docs’ ConfigurationError whole, emitting configuration_error once, and cleans the URL', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect, 's');
    arrive(`${CONFIG_QUERY}&state=${encodeURIComponent(sent)}`);
    const error = await rejection<ConfigurationError>(connect.handleRedirect());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.statusCode).toBe(400);
    expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(error.state).toBe('s');
    expect(names()).toEqual(['open', 'configuration_error', 'error']);
    expect(real.search).toBe('?tab=cars');
  });

  it('resolves with null when the URL carries no Connect answer, and leaves the flow stored', async () => {
    const { connect, log } = connectWithLog({ redirectUri: RETURN });
    await leave(connect);
    history.replaceState(null, '', '/connect/return?tab=cars&stateless=1');
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(sessionStorage.length).toBe(1);
    expect(log).toHaveLength(1);
  });

  it('rejects with StateMismatchError when no flow was stored', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN });
    arrive(`code=c&state=${'a'.repeat(32)}`);
    await expect(connect.handleRedirect()).rejects.toBeInstanceOf(StateMismatchError);
    expect(names()).toEqual(['state_mismatch', 'error']);
    expect(real.search).toBe('?tab=cars');
  });

  it('rejects with StateMismatchError for a foreign state, and consumes the stored flow', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    await leave(connect, 'mine');
    arrive(`code=stolen&state=${'b'.repeat(32)}.mine`);
    const error = await rejection<StateMismatchError>(connect.handleRedirect());
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(error.state).toBe('mine');
    expect(sessionStorage.length).toBe(0);
  });

  it(`rejects with StateMismatchError when the flow is older than ${FLOW_TTL_MS / 60_000} minutes`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { connect } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect);
    vi.setSystemTime(Date.now() + FLOW_TTL_MS);
    arrive(`code=late&state=${sent}`);
    await expect(connect.handleRedirect()).rejects.toBeInstanceOf(StateMismatchError);
  });

  it('rejects with StateMismatchError for a stored flow that is not ours in shape', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    sessionStorage.setItem('smartcar-connect:popups', '{not json');
    arrive('code=c&state=x');
    await expect(connect.handleRedirect()).rejects.toBeInstanceOf(StateMismatchError);
  });

  it('gives one answer to calls at once, and never a second success', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect);
    const href = arrive(`code=once&state=${sent}`);
    const [a, b] = [connect.handleRedirect(), connect.handleRedirect()];
    expect(b).toBe(a);
    await expect(a).resolves.toMatchObject({ code: 'once' });
    expect(connect.handleRedirect(href)).toBe(a); // the same URL, the same answer
    await new Promise((r) => setTimeout(r));
    await expect(connect.handleRedirect()).resolves.toBeNull(); // later, the clean URL carries no answer
    expect(names()).toEqual(['open', 'success']);
  });

  it('never succeeds twice when the old URL comes back (a reload of a copy, another client)', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect);
    const href = arrive(`code=once&state=${sent}`);
    await connect.handleRedirect();
    const other = connectWithLog({ redirectUri: RETURN });
    history.replaceState(null, '', href);
    await expect(other.connect.handleRedirect()).rejects.toBeInstanceOf(StateMismatchError);
    expect(other.names()).toEqual(['state_mismatch', 'error']);
  });

  it('reads an explicit URL without touching the address bar', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect);
    history.replaceState(null, '', '/elsewhere');
    await expect(connect.handleRedirect(`${RETURN}?code=c&state=${sent}`)).resolves.toMatchObject({ code: 'c' });
    expect(real.pathname).toBe('/elsewhere');
  });

  it('reads the page’s own URL separately after an explicit one, even in the same task', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect);
    arrive('error=access_denied&state=other');
    const explicit = connect.handleRedirect(`${RETURN}?code=c&state=${sent}`);
    const own = connect.handleRedirect();
    expect(own).not.toBe(explicit);
    await expect(explicit).resolves.toMatchObject({ code: 'c' });
    await expect(own).rejects.toBeInstanceOf(StateMismatchError); // the flow was used by the explicit URL
  });

  it('takes an error Connect sent without state for the stored flow', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN });
    await leave(connect, 'kept');
    arrive(CONFIG_QUERY);
    const error = await rejection<ConfigurationError>(connect.handleRedirect());
    expect(error.statusCode).toBe(400);
    expect(error.state).toBe('kept');
  });
});

describe('the same-window flow with today’s answers', () => {
  it('resolves the docs’ user_id success (no code) and cleans user_id out of the address bar', async () => {
    const { connect, names } = connectWithLog({ redirectUri: RETURN });
    const sent = await leave(connect, 'user-42');
    arrive(`user_id=725146a3-69f4-46c8-965d-54b3b6f81eb7&state=${encodeURIComponent(sent)}`);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', userId: '725146a3-69f4-46c8-965d-54b3b6f81eb7', state: 'user-42' });
    expect(real.search).toBe('?tab=cars');
    expect(names()).toEqual(['open', 'success']);
  });

  it('re-authenticates by resolution.url: goes to /oauth/reauthenticate and resolves with vehicleId', async () => {
    const { connect } = connectWithLog({ redirectUri: RETURN, clientId: REAUTH_CLIENT_ID });
    await connect.redirect({ reauthenticate: REAUTH_URL, state: 'again' });
    const to = new URL(assign.mock.calls[0][0] as string);
    expect(to.pathname).toBe('/oauth/reauthenticate');
    expect(to.searchParams.get('vehicle_id')).toBe(REAUTH_VEHICLE_ID);
    arrive(`vehicle_id=${REAUTH_VEHICLE_ID}&state=${encodeURIComponent(to.searchParams.get('state')!)}`);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', vehicleId: REAUTH_VEHICLE_ID, state: 'again' });
  });

  it('refuses a reauthenticate on another origin without leaving', async () => {
    const { connect, log } = connectWithLog({ redirectUri: RETURN });
    await expect(connect.redirect({ reauthenticate: 'https://evil.example/oauth/reauthenticate?vehicle_id=v' })).rejects.toThrow(TypeError);
    expect(assign).not.toHaveBeenCalled();
    expect(log).toEqual([]);
  });
});
