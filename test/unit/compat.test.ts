import Official from '@smartcar/auth';
import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import Smartcar from '../../src/compat';
import { AccessDeniedError, ConfigurationError, isConnectError, VehicleIncompatibleError } from '../../src/index';
import { TEST_VIN_MESSAGE } from '../fixtures/connect';
import { callbackSearch, deliver, ORIGIN, REDIRECT_URI, sentState, stubOpen, wire } from './harness';

// The @smartcar/auth drop-in, against the official SDK's documented behaviour (and, where its
// behaviour is exact, against the official SDK itself, loaded here from node_modules).

const HOSTED = 'https://javascript-sdk.smartcar.com';
const HOSTED_URI = `${HOSTED}/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}`;
const DESCRIPTION = 'There has been an error in the configuration of your application.';

let warnings: MockInstance<typeof console.warn>;
const instances: { unmount(): void }[] = [];
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  return () => instances.splice(0).forEach((s) => s.unmount());
});

/** A Smartcar with onComplete recorded as the official SDK calls it. */
function smartcar(options: Record<string, unknown> = {}) {
  const calls: unknown[][] = [];
  const onComplete = vi.fn((err: Error | null, code?: string, state?: string, virtualKeyUrl?: string, userId?: string, externalId?: string) => {
    calls.push([err, code, state, virtualKeyUrl, userId, externalId]);
  });
  const s = new Smartcar({ applicationId: 'app-id', redirectUri: REDIRECT_URI, scope: ['read_odometer'], onComplete, ...options });
  instances.push(s);
  return { s, calls, onComplete };
}

/** What Smartcar's hosted redirect page posts: every field, null when Connect sent none. */
const hostedMessage = (fields: Record<string, string>) => {
  const names = ['code', 'error', 'errorDescription', 'state', 'vin', 'make', 'model', 'year', 'virtualKeyUrl', 'userId', 'externalId'];
  return { name: 'SmartcarAuthMessage', isSmartcarHosted: true, ...Object.fromEntries(names.map((n) => [n, fields[n] ?? null])) };
};

describe('new Smartcar(options): the official checks and properties', () => {
  it('throws what @smartcar/auth throws for each bad option', () => {
    expect(() => new Smartcar({})).toThrow(new TypeError('An applicationId option must be provided'));
    expect(() => new Smartcar({ applicationId: 'a', responseType: 'token' as never })).toThrow(new Error('The "responseType" option must be one of: code, none'));
    expect(() => new Smartcar({ applicationId: 'a', mode: 'sandbox' as never })).toThrow("The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'");
    expect(() => new Smartcar({ applicationId: 'a', mode: undefined })).toThrow('The "mode" parameter MUST'); // as the official SDK: an own mode must be one
    const cdn = "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect";
    expect(() => new Smartcar({ applicationId: 'a', redirectUri: HOSTED_URI })).toThrow(cdn);
    expect(() => new Smartcar({ applicationId: 'a', redirectUri: HOSTED_URI, onComplete: (e) => void e })).toThrow(cdn);
    for (const options of [{}, { applicationId: 'a', responseType: 'token' }, { applicationId: 'a', mode: 'sandbox' }, { applicationId: 'a', redirectUri: HOSTED_URI }]) {
      expect(() => new Official(options)).toThrow(); // the official SDK refuses the same
    }
  });

  it('warns once that clientId is deprecated, takes testMode with its own warning, and has the official properties', () => {
    const a = new Smartcar({ clientId: 'legacy-id', redirectUri: REDIRECT_URI, testMode: true });
    const b = new Smartcar({ clientId: 'legacy-id', redirectUri: REDIRECT_URI });
    instances.push(a, b);
    expect(warnings.mock.calls.map(([m]) => m)).toEqual([
      'The "clientId" parameter is deprecated, please use the "applicationId" parameter instead.',
      'The "testMode" parameter is deprecated, please use the "mode" parameter instead.',
    ]);
    expect(a).toMatchObject({ applicationId: 'legacy-id', clientId: 'legacy-id', mode: 'test', responseType: 'code', redirectUri: REDIRECT_URI });
    expect(b.mode).toBe('live');
    expect(a.instanceId).toMatch(/^[0-9a-f]{32}$/); // 128 bits from crypto.getRandomValues
    expect(a.instanceId).not.toBe(b.instanceId);
    expect(typeof a.messageHandler).toBe('function');
  });
});

describe('getAuthUrl(options): the URL @smartcar/auth gives', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['no options', {}, {}],
    ['state and forcePrompt', {}, { state: 'user-42', forcePrompt: true }],
    ['vehicleInfo.make', {}, { vehicleInfo: { make: 'TESLA' } }],
    ['singleSelect true', {}, { singleSelect: true }],
    ['singleSelect false', {}, { singleSelect: false }],
    ['singleSelect { vin }', {}, { singleSelect: { vin: '5YJSA1E14FF101307' } }],
    ['singleSelect {}', {}, { singleSelect: {} }],
    ['flags and user', {}, { flags: ['country:DE', 'color:00819D'], user: '2dad4eaf-9094-4bff-bb0f-ffbbdde8b562' }],
    ['mode test, scope with a required one', { mode: 'test', scope: ['read_vehicle_info', 'required:read_odometer'] }, {}],
    ['testMode', { testMode: true }, {}],
    ['externalId', { externalId: 'customer 7' }, {}],
    ['externalId null', { externalId: null }, {}],
    ['responseType none with a redirect URI', { responseType: 'none' }, {}],
    ['responseType none without one', { responseType: 'none', redirectUri: undefined }, {}],
    ['the hosted redirect page', { redirectUri: HOSTED_URI }, { state: 'a b&c=d' }],
    ['no scope', { scope: undefined }, {}],
  ];

  it.each(cases)('%s', (_, constructor, options) => {
    const config = { applicationId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07', redirectUri: REDIRECT_URI, scope: ['read_odometer', 'read_vehicle_info'], onComplete: (e: unknown, c: unknown) => void [e, c], ...constructor };
    const official = new Official(config);
    const ours = new Smartcar(config);
    instances.push(ours, official);
    official.instanceId = ours.instanceId;
    expect(ours.getAuthUrl(options)).toBe(official.getAuthUrl(options));
  });

  it('takes a state beyond Latin-1, where @smartcar/auth throws, and hands it back exactly', () => {
    const { s, calls } = smartcar();
    const url = new URL(s.getAuthUrl({ state: 'ünï 漢 🚗' }));
    const official = new Official({ applicationId: 'app-id', redirectUri: REDIRECT_URI });
    instances.push(official);
    expect(() => official.getAuthUrl({ state: 'ünï 漢 🚗' })).toThrow();
    deliver(hostedMessage({ code: 'c1', state: url.searchParams.get('state')! }), ORIGIN, null);
    // The hosted page's null fields, as @smartcar/auth passes them.
    expect(calls).toEqual([[null, 'c1', 'ünï 漢 🚗', null, null, null]]);
  });
});

describe('openDialog(): the popup flow on this SDK’s engine', () => {
  it('calls onComplete(null, code, state, virtualKeyUrl, userId, externalId) with the app’s original state, from the hosted page', async () => {
    const { last } = stubOpen();
    const { s, calls } = smartcar({ redirectUri: HOSTED_URI, externalId: 'customer-7' });
    s.openDialog({ state: 'user-42' });
    const popup = last();
    expect(new URL(popup.url).searchParams.get('external_id')).toBe('customer-7');
    deliver(hostedMessage({ code: 'c1', state: sentState(popup), virtualKeyUrl: 'https://www.tesla.com/_ak/smartcar.com', userId: 'u1', externalId: 'customer-7' }), HOSTED, popup);
    await vi.waitFor(() => expect(calls).toEqual([[null, 'c1', 'user-42', 'https://www.tesla.com/_ak/smartcar.com', 'u1', 'customer-7']]));
    expect(popup.close).toHaveBeenCalled();
  });

  it('passes the same fields for the same answer whichever page brought it: null where Connect sent nothing', async () => {
    const { last } = stubOpen();
    const hosted = smartcar({ redirectUri: HOSTED_URI });
    hosted.s.openDialog({ state: 'hosted' });
    deliver(hostedMessage({ error: 'access_denied', errorDescription: 'Denied', state: sentState(last()) }), HOSTED, last());
    const ownPage = smartcar();
    ownPage.s.openDialog({ state: 'own page' });
    deliver(wire(callbackSearch({ error: 'access_denied', error_description: 'Denied' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect([...hosted.calls, ...ownPage.calls]).toHaveLength(2));
    expect(hosted.calls[0]).toEqual([expect.any(Smartcar.AccessDenied), null, 'hosted', null, null, null]);
    expect(ownPage.calls[0]).toEqual([expect.any(Smartcar.AccessDenied), null, 'own page', null, null, null]);
  });

  it('gives configuration_error as Smartcar.ConfigurationError: the official message, statusCode and errorMessage from callback.min.js', async () => {
    const { last } = stubOpen();
    const { s, calls } = smartcar();
    s.openDialog({ state: 's' });
    const search = callbackSearch({ error: 'configuration_error', error_description: DESCRIPTION, status_code: '400', error_message: TEST_VIN_MESSAGE }, sentState(last()));
    deliver(wire(search), ORIGIN, last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const [err, code, state] = calls[0] as [ConfigurationError, undefined, string];
    expect(err).toBeInstanceOf(Smartcar.ConfigurationError);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(`Unexpected error: configuration_error - ${DESCRIPTION}`);
    expect(err).toMatchObject({ code: 'configuration_error', statusCode: 400, errorMessage: TEST_VIN_MESSAGE, state: 's' });
    expect(isConnectError(err)).toBe(true);
    expect([code, state]).toEqual([null, 's']); // the app's state, as the official SDK hands it with an error
  });

  it('gives access_denied, invalid_subscription and vehicle_incompatible as the official classes, each with its code', async () => {
    const { last } = stubOpen();
    const { s, calls } = smartcar();
    const answer = async (params: Record<string, string>) => {
      s.openDialog();
      deliver(wire(callbackSearch(params, sentState(last()))), ORIGIN, last());
      await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0));
      return calls.splice(0)[0][0] as Error & Record<string, unknown>;
    };
    const denied = await answer({ error: 'access_denied', error_description: 'User denied access to application.' });
    expect(denied).toBeInstanceOf(Smartcar.AccessDenied);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(denied).toMatchObject({ name: 'AccessDenied', message: 'User denied access to application.', code: 'access_denied' });
    const inactive = await answer({ error: 'invalid_subscription', error_description: 'No subscription.' });
    expect(inactive).toBeInstanceOf(Smartcar.InvalidSubscription);
    expect(inactive).toMatchObject({ name: 'InvalidSubscription', message: 'No subscription.', code: 'invalid_subscription' });
    const incompatible = await answer({ error: 'vehicle_incompatible', error_description: 'Not compatible.', vin: '0SCAUDI012FE3B132', make: 'AUDI', model: 'A4', year: '2019' });
    expect(incompatible).toBeInstanceOf(Smartcar.VehicleIncompatible);
    expect(incompatible).toBeInstanceOf(VehicleIncompatibleError);
    expect(incompatible).toMatchObject({ name: 'VehicleIncompatible', code: 'vehicle_incompatible', vehicleInfo: { vin: '0SCAUDI012FE3B132', make: 'AUDI', year: 2019, model: 'A4' } });
    const unnamed = await answer({ error: 'vehicle_incompatible', error_description: 'Not compatible.' });
    expect(unnamed).toMatchObject({ vehicleInfo: null });
    const unknown = await answer({ error: 'teleport_failed', error_description: 'Far away.' });
    expect(unknown).toMatchObject({ name: 'ConnectError', code: 'teleport_failed', message: 'Unexpected error: teleport_failed - Far away.' });
  });

  it('never calls onComplete for a blocked, closed or timed-out popup; on() reports them; nothing is left unhandled', async () => {
    vi.useFakeTimers();
    const { last } = stubOpen();
    const { s, onComplete } = smartcar();
    const seen: string[] = [];
    const off = s.on('popup_closed', (e) => seen.push(e.code));
    s.on('error', (e) => seen.push(`error:${e.code}`));
    s.openDialog();
    last().closed = true;
    await vi.advanceTimersByTimeAsync(1000);
    stubOpen({ blocked: true });
    s.openDialog();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['popup_closed', 'error:popup_closed', 'error:popup_blocked']);
    expect(onComplete).not.toHaveBeenCalled();
    off();
  });

  it('sends a test-mode VIN in live mode to Connect, as @smartcar/auth does, and hands its Error page’s answer over whole', async () => {
    const { last } = stubOpen();
    const { s, calls } = smartcar();
    s.openDialog({ singleSelect: { vin: '0SCAUDI0155C49A95' } });
    expect(new URL(last().url).searchParams.get('single_select_vin')).toBe('0SCAUDI0155C49A95');
    const search = callbackSearch({ error: 'configuration_error', error_description: DESCRIPTION, status_code: '400', error_message: TEST_VIN_MESSAGE }, sentState(last()));
    deliver(wire(search), ORIGIN, last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0][0]).toMatchObject({ code: 'configuration_error', statusCode: 400, errorMessage: TEST_VIN_MESSAGE, message: `Unexpected error: configuration_error - ${DESCRIPTION}` });
  });

  it('reports a throw in onComplete instead of throwing it', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const { last } = stubOpen();
    const s = new Smartcar({ applicationId: 'a', redirectUri: REDIRECT_URI, onComplete: () => { throw new Error('app bug'); } });
    instances.push(s);
    s.openDialog();
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect(reported).toHaveBeenCalledWith(new Error('app bug')));
  });
});

describe('an answer to a URL of getAuthUrl() the app opened itself', () => {
  const officialAnswer = (s: Smartcar, fields: Record<string, string>, state = 'user-42') => hostedMessage({ ...fields, state: new URL(s.getAuthUrl({ state })).searchParams.get('state')! });

  it('reaches onComplete as the official SDK answers it: from the redirect URI’s origin, any window, once', () => {
    const { s, calls } = smartcar();
    const official = new Official({ applicationId: 'app-id', redirectUri: REDIRECT_URI, onComplete: (...args: unknown[]) => officialCalls.push(args) });
    const officialCalls: unknown[][] = [];
    instances.push(official);
    official.instanceId = s.instanceId;
    const win = { close: vi.fn() };
    deliver(officialAnswer(s, { code: 'c1', userId: 'u1' }), ORIGIN, win);
    expect(calls).toEqual(officialCalls);
    expect(calls).toEqual([[null, 'c1', 'user-42', null, 'u1', null]]);
    deliver(officialAnswer(s, { code: 'c1', userId: 'u1' }), ORIGIN, win); // the very same answer again
    expect(calls).toHaveLength(1);
    expect(win.close).toHaveBeenCalled();
    deliver(officialAnswer(s, { error: 'access_denied', errorDescription: 'Denied' }), ORIGIN, null);
    expect(calls[1][0]).toMatchObject({ name: 'AccessDenied', message: 'Denied' });
  });

  it('is ignored from an origin that only starts like the redirect URI’s, for another instance, and in another shape', () => {
    const { s, calls } = smartcar({ redirectUri: 'https://app.example.com/callback' });
    const other = smartcar({ redirectUri: 'https://app.example.com/callback' });
    deliver(officialAnswer(s, { code: 'forged' }), 'https://app.example.com.evil.test', null);
    deliver(officialAnswer(other.s, { code: 'other' }), 'https://app.example.com', null);
    deliver({ name: 'SmartcarAuthMessage', code: 'x', state: 'not base64 JSON' }, 'https://app.example.com', null);
    deliver(new Proxy({}, { get: () => { throw new Error('hostile'); } }), 'https://app.example.com', null);
    expect(calls).toEqual([]);
    expect(other.calls).toEqual([[null, 'other', 'user-42', null, null, null]]);
  });

  it('is no longer taken after unmount()', () => {
    const { s, calls } = smartcar();
    s.unmount();
    deliver(officialAnswer(s, { code: 'c1' }), ORIGIN, null);
    expect(calls).toEqual([]);
  });
});

describe('addClickHandler({ id | selector, …options })', () => {
  beforeEach(() => {
    document.body.innerHTML = '<button id="connect">Connect</button><a class="car" href="#">A</a><a class="car" href="#">B</a>';
  });
  const click = (selector: string) => (document.querySelector(selector) as HTMLElement).click();

  it('opens Connect from a click on the element with that id (with or without its #), or those matching the selector', () => {
    const { open } = stubOpen();
    const { s } = smartcar();
    s.addClickHandler({ id: 'connect', state: 'by-id' });
    s.addClickHandler({ id: '#connect', state: 'by-hash' });
    s.addClickHandler({ selector: '.car', state: 'by-selector' });
    click('#connect');
    expect(open).toHaveBeenCalledTimes(1); // the second handler finds the popup open and focuses it
    s.unmount();
  });

  it('throws as @smartcar/auth does without an id or selector, or when nothing matches', () => {
    const { s } = smartcar();
    expect(() => s.addClickHandler({})).toThrow('Could not add click handler: id or selector must be provided.');
    expect(() => s.addClickHandler({ id: 'nothing' })).toThrow("Could not add click handler: element with 'nothing' was not found.");
    expect(() => s.addClickHandler({ selector: '.nothing' })).toThrow("Could not add click handler: element with '.nothing' was not found.");
  });

  it('opens a second flow for the selector’s other element once the first ended, and stops on unmount()', async () => {
    vi.useFakeTimers();
    const { open, last } = stubOpen();
    const { s, calls } = smartcar();
    s.addClickHandler({ selector: '.car', state: 'tile' });
    click('.car');
    deliver(wire(callbackSearch({ code: 'c1' }, sentState(last()))), ORIGIN, last());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([[null, 'c1', 'tile', null, null, null]]);
    s.unmount();
    click('.car');
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('where this SDK’s engine does not take the options', () => {
  it('runs the flow as @smartcar/auth does: its URL in a named window, answered by its state', () => {
    const { open } = stubOpen();
    const { s, calls } = smartcar({ redirectUri: undefined }); // the engine needs a redirect URI for the code flow
    s.openDialog({ state: 'legacy', windowOptions: { width: '420', height: 50 } });
    const official = new Official({ applicationId: 'app-id', scope: ['read_odometer'] });
    instances.push(official);
    official.instanceId = s.instanceId;
    official.openDialog({ state: 'legacy', windowOptions: { width: '420', height: 50 } });
    expect(open.mock.calls[0]).toEqual(open.mock.calls[1]); // the same URL, window name and features
    deliver(hostedMessage({ code: 'c1', state: new URL(open.mock.calls[0][0]).searchParams.get('state')! }), 'https://connect.smartcar.com', null);
    expect(calls).toEqual([[null, 'c1', 'legacy', null, null, null]]);
    expect(warnings.mock.calls.some(([m]) => String(m).includes('run as @smartcar/auth runs them'))).toBe(true);
    expect(s.on('popup_closed', () => undefined)()).toBeUndefined(); // no events there
  });

  it('for a dialog’s own options too: a flag that is not name:value, a state that is not text', () => {
    const { open } = stubOpen();
    const { s } = smartcar();
    s.openDialog({ flags: ['early_access'] });
    s.openDialog({ state: 42 as never });
    expect(open.mock.calls.map((call: unknown[]) => [new URL(call[0] as string).searchParams.get('application_id'), call[1]])).toEqual([
      ['app-id', 'Connect your car'],
      ['app-id', 'Connect your car'],
    ]);
    document.body.innerHTML = '<button id="b">b</button>';
    s.addClickHandler({ id: 'b', flags: ['early_access'] });
    (document.getElementById('b') as HTMLElement).click();
    expect(open).toHaveBeenCalledTimes(3);
  });
});

describe('an answer kept while the app reloaded (callback.min.js)', () => {
  it('reaches the onComplete of the Smartcar the app makes on its next load', async () => {
    const nonce = 'd'.repeat(32);
    sessionStorage.setItem('smartcar-connect:popups', JSON.stringify([{ nonce, appState: 'user-42', kind: 'authorize', clientId: 'app-id', owner: 'the page before', until: Date.now() + 60_000 }]));
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, JSON.stringify({ search: callbackSearch({ code: 'c-kept', user_id: 'u1' }, `${nonce}.user-42`), at: Date.now() }));
    const { calls } = smartcar();
    await vi.waitFor(() => expect(calls).toEqual([[null, 'c-kept', 'user-42', null, 'u1', null]]));
    expect(location.href).toBe(`${ORIGIN}/`);
  });

  it('and a kept error as the official class, with nothing left unhandled', async () => {
    const nonce = 'e'.repeat(32);
    sessionStorage.setItem('smartcar-connect:popups', JSON.stringify([{ nonce, appState: 'user-42', kind: 'authorize', clientId: 'app-id', owner: 'the page before', until: Date.now() + 60_000 }]));
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, JSON.stringify({ search: callbackSearch({ error: 'access_denied', error_description: 'Denied' }, `${nonce}.user-42`), at: Date.now() }));
    const { calls } = smartcar();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual([expect.any(Smartcar.AccessDenied), null, 'user-42', null, null, null]);
  });
});

describe('made where there is no window (a server)', () => {
  it('listens to nothing and still gives the official URL', () => {
    vi.stubGlobal('window', undefined);
    const s = new Smartcar({ applicationId: 'app-id', redirectUri: REDIRECT_URI });
    expect(s.getAuthUrl()).toMatch(/^https:\/\/connect\.smartcar\.com\/oauth\/authorize\?response_type=code&application_id=app-id&redirect_uri=/);
    expect(s.on('popup_closed', () => undefined)()).toBeUndefined();
    s.unmount();
    vi.unstubAllGlobals();
  });
});
