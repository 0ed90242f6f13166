import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import Smartcar from '../../src/compat';
import { createConnect, popupUnavailable, PopupBlockedError, StateMismatchError } from '../../src/index';
import { createConnect as createPopupOnly } from '../../src/popup-entry';
import {
  callbackSearch,
  connectWithLog,
  deliver,
  NOTHING_LEFT,
  ORIGIN,
  REDIRECT_URI,
  rejection,
  sentState,
  stubOpen,
  trackResources,
  wire,
} from './harness';

// Wherever the app runs: a popup whose options come after an await, other providers' redirects on
// the app's pages, browsers where a popup never comes back, frames, and what Connect's docs say now.

let warnings: MockInstance<typeof console.warn>;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

/** A promise the test settles by hand, as an app's request to its server would. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((ok, no) => ((resolve = ok), (reject = no)));
  return { promise, resolve, reject };
}

describe('popup() given a promise of its options', () => {
  it('opens the popup at once on the app’s blank page, saying Connect is opening, and sends it to Connect when they come', async () => {
    const { open, last } = stubOpen();
    const { connect, names } = connectWithLog();
    const options = later<{ state: string }>();
    const promise = connect.popup(options.promise);
    expect(open).toHaveBeenCalledOnce();
    expect(open.mock.calls[0][0]).toBe(''); // in the click's task, before anything is awaited
    expect(last().document.body.textContent).toBe('Opening Smartcar Connect…');
    expect(names()).toEqual([]);
    options.resolve({ state: 'after-await' });
    await vi.waitFor(() => expect(names()).toEqual(['open']));
    expect(new URL(last().url).pathname).toBe('/oauth/authorize');
    expect(open).toHaveBeenCalledOnce(); // the same window
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c', state: 'after-await' });
  });

  it('closes the popup and rejects with the promise’s reason when it rejects, emitting nothing', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog();
    const reason = new Error('the server is down');
    const options = later<undefined>();
    const caught = rejection(connect.popup(options.promise));
    options.reject(reason);
    expect(await caught).toBe(reason);
    expect(last().closed).toBe(true);
    expect(log).toEqual([]);
  });

  it('closes the popup and rejects with a TypeError for a bad option that comes', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection<TypeError>(connect.popup(Promise.resolve({ make: 7 as unknown as string })));
    expect(await caught).toBeInstanceOf(TypeError);
    expect(last().closed).toBe(true);
  });

  it('focuses the waiting popup and shares its promise on a second call', () => {
    const { open, last } = stubOpen();
    const { connect } = connectWithLog();
    const options = later<undefined>();
    const first = connect.popup(options.promise);
    const second = connect.popup(Promise.resolve({ state: 'other' }));
    expect(second).toBe(first);
    expect(open).toHaveBeenCalledOnce();
    expect(last().focus).toHaveBeenCalledOnce();
    connect.destroy();
  });

  it('ends as closed when the user closes the waiting popup before the options come', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const options = later<{ state: string }>();
    const caught = rejection(connect.popup(options.promise));
    last().closed = true;
    options.resolve({ state: 'gone' });
    expect(await caught).toMatchObject({ name: 'PopupClosedError', state: 'gone' });
    expect(names()).toEqual(['popup_closed', 'error']);
  });

  it('waits for the options of a blocked popup with fallback: redirect, then goes the same-window way', async () => {
    stubOpen({ blocked: true });
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign });
    const { connect } = connectWithLog();
    const options = later<{ state: string; fallback: 'redirect' }>();
    void connect.popup(options.promise);
    expect(assign).not.toHaveBeenCalled();
    options.resolve({ state: 'same-window', fallback: 'redirect' });
    await vi.waitFor(() => expect(assign).toHaveBeenCalledOnce());
    expect(new URL(assign.mock.calls[0][0] as string).searchParams.get('state')).toMatch(/\.same-window$/);
  });

  it('runs from attach() with a function that returns the options’ promise, called in each click’s task', async () => {
    const { open, last } = stubOpen();
    document.body.innerHTML = '<button id="car" type="button">Connect</button>';
    const { connect, names } = connectWithLog();
    const options = vi.fn(() => Promise.resolve({ state: 'from-attach' }));
    connect.attach('#car', options);
    document.getElementById('car')!.click();
    expect(options).toHaveBeenCalledOnce();
    expect(open).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(names()).toEqual(['open']));
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect(names()).toEqual(['open', 'success']));
  });

  it('in the popup entry too, refusing there the options of the main entry alone once they come', async () => {
    const { last } = stubOpen();
    const connect = createPopupOnly({ clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test' });
    const caught = rejection<TypeError>(connect.popup(Promise.resolve({ fallback: 'redirect' } as never)));
    expect((await caught).message).toMatch(/^smartcar-connect: fallback needs the main entry/);
    expect(last().closed).toBe(true);
    connect.destroy();
  });
});

describe('handleRedirect() takes only Connect’s answers', () => {
  const at = (path: string) => history.replaceState(null, '', path);

  it.each([
    ['Stripe Connect’s code and state', '/billing/return?code=ac_123&state=stripe-csrf'],
    ['Slack’s refusal', '/integrations/slack?error=access_denied&state=slack'],
    ['an email link’s code', '/verify?code=481516'],
  ])('leaves %s alone on another page: null, no event, the address bar as it was', async (_, path) => {
    at(path);
    const { connect, log } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(log).toEqual([]);
    expect(location.pathname + location.search).toBe(path);
  });

  it('still rejects a wrong or missing state on the redirect URI’s own page', async () => {
    at('/connect/callback?code=ac_123&state=stripe-csrf');
    const { connect } = connectWithLog();
    expect(await rejection(connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
    expect(location.search).toBe('');
  });

  it('takes an answer whose state names this tab’s same-window flow, on whatever page it lands', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, pathname: '/', search: '', hash: '', assign });
    const { connect } = connectWithLog();
    await connect.redirect({ state: 'mine' });
    const state = new URL(assign.mock.calls[0][0] as string).searchParams.get('state')!;
    vi.unstubAllGlobals();
    at(`/somewhere-else?code=c&state=${encodeURIComponent(state)}`);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', code: 'c', state: 'mine' });
  });
});

describe('where a popup cannot come back', () => {
  const agent = (ua: string) => vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(ua);
  const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

  it.each([
    ['Instagram', `${IPHONE} Instagram 356.0.0.20.95 (iPhone15,2; iOS 18_1; en_US)`, 'the in-app browser of Instagram'],
    ['Facebook', `${IPHONE} [FBAN/FBIOS;FBAV/489.0.0.35.110;FBBV/664005372]`, 'the in-app browser of Facebook'],
    ['Messenger', `${IPHONE} [FBAN/MessengerForiOS;FBAV/489.0.0.35.110]`, 'the in-app browser of Messenger'],
    ['LinkedIn', `${IPHONE} [LinkedInApp]/9.31.1234`, 'the in-app browser of LinkedIn'],
    ['TikTok', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 musical_ly_2023709030', 'the in-app browser of TikTok'],
    ['an Android WebView', 'Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0 Mobile Safari/537.36', 'an Android WebView'],
  ])('names %s', (_, ua, why) => {
    agent(ua);
    expect(popupUnavailable()).toBe(why);
  });

  it('names a web app installed on the iOS home screen, by navigator.standalone or display-mode', () => {
    agent(`${IPHONE} Safari/604.1`);
    expect(popupUnavailable()).toBeNull();
    Object.defineProperty(navigator, 'standalone', { value: true, configurable: true });
    expect(popupUnavailable()).toBe('a web app installed on the home screen');
    delete (navigator as { standalone?: boolean }).standalone;
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(display-mode: standalone)' }));
    expect(popupUnavailable()).toBe('a web app installed on the home screen');
  });

  it('is null in a desktop browser, and for an installed desktop web app', () => {
    agent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36');
    vi.stubGlobal('matchMedia', () => ({ matches: true }));
    expect(popupUnavailable()).toBeNull();
  });

  it('makes popup() reject with a PopupBlockedError that says why and names the same-window flow, opening nothing', async () => {
    agent(`${IPHONE} Instagram 356.0.0.20.95`);
    const { open } = stubOpen();
    const { connect, names } = connectWithLog();
    const error = await rejection<PopupBlockedError>(connect.popup({ state: 'ig' }));
    expect(error).toMatchObject({ code: 'popup_blocked', state: 'ig' });
    expect(error.description).toBe(
      "Popups cannot come back to the app in the in-app browser of Instagram: use the same-window flow (redirect(), or popup() with fallback: 'redirect')",
    );
    expect(open).not.toHaveBeenCalled();
    expect(names()).toEqual(['popup_blocked', 'error']);
  });

  it('makes popup() with fallback: redirect go the same-window way at once, also with a promise of its options', async () => {
    agent(`${IPHONE} [LinkedInApp]`);
    const { open } = stubOpen();
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign });
    const { connect } = connectWithLog();
    void connect.popup({ fallback: 'redirect', state: 'now' });
    await vi.waitFor(() => expect(assign).toHaveBeenCalledOnce());
    void connect.popup(Promise.resolve({ fallback: 'redirect' as const, state: 'later' }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledTimes(2));
    expect(open).not.toHaveBeenCalled();
  });
});

describe('in a frame', () => {
  let resources: ReturnType<typeof trackResources>;
  beforeEach(() => {
    vi.useFakeTimers();
    resources = trackResources();
    vi.stubGlobal('top', {});
  });
  afterEach(() => vi.unstubAllGlobals());

  it('redirect() never sends the frame to Connect: an InvalidStateError names the popup flow and url()', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign });
    const { connect, log } = connectWithLog();
    const error = await rejection<DOMException>(connect.redirect({ state: 's' }));
    expect(error.name).toBe('InvalidStateError');
    expect(error.message).toMatch(/in a frame .*Use popup\(\) from a click, or url\(\) and navigate the top window yourself/);
    expect(assign).not.toHaveBeenCalled();
    expect(log).toEqual([]);
    expect(sessionStorage.length).toBe(0);
  });

  it('a blocked popup with fallback: redirect rejects with that error, and the popup flow itself runs', async () => {
    stubOpen({ blocked: true });
    const { connect } = connectWithLog();
    expect(await rejection(connect.popup({ fallback: 'redirect' }))).toMatchObject({ name: 'InvalidStateError' });
    const { last } = stubOpen();
    const promise = connect.popup({ state: 'framed' });
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c', state: 'framed' });
    connect.destroy();
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });
});

describe('Connect’s facts, read again on 2026-12-04', () => {
  const warned = () => warnings.mock.calls.map(([m]) => String(m));

  it.each(['http://127.0.0.1:5173/callback', 'http://[::1]:5173/callback'])('warns that Smartcar takes http only on localhost for %s', (redirectUri) => {
    createConnect({ clientId: 'app-id', redirectUri }).destroy();
    expect(warned().filter((m) => m.includes('Unauthorized redirect_uri'))).toHaveLength(1);
    expect(warned().join('\n')).toContain('Use http://localhost:<port>/');
  });

  it('does not warn for localhost or https', () => {
    createConnect({ clientId: 'app-id', redirectUri: 'http://localhost:5173/callback' }).destroy();
    createConnect({ clientId: 'app-id', redirectUri: 'https://app.example/callback' }).destroy();
    expect(warned().filter((m) => m.includes('Unauthorized redirect_uri'))).toEqual([]);
  });

  it.each([
    ['FORD', 'Ford'],
    ['lincoln', 'Lincoln'],
  ])('warns that %s connects only from Smartcar’s mobile SDKs', (make, brand) => {
    const connect = createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI });
    connect.url({ make }); // url() starts no flow: it warns nothing
    stubOpen();
    void connect.popup({ make }).catch(() => undefined);
    expect(warned().filter((m) => m.includes(`connects ${brand} vehicles only from its iOS and Android SDKs`))).toHaveLength(1);
    connect.destroy();
  });

  it('gives the drop-in’s VehicleIncompatible the make Connect sent without a VIN, and no NaN year', async () => {
    const { last } = stubOpen();
    const calls: unknown[][] = [];
    const s = new Smartcar({ applicationId: 'app-id', redirectUri: REDIRECT_URI, onComplete: (...args: unknown[]) => calls.push(args) });
    s.openDialog();
    deliver(wire(callbackSearch({ error: 'vehicle_incompatible', error_description: 'Not supported', make: 'RIVIAN' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0][0]).toMatchObject({ name: 'VehicleIncompatible', vehicleInfo: { make: 'RIVIAN' } });
    const { last: next } = stubOpen();
    s.openDialog();
    deliver(wire(callbackSearch({ error: 'vehicle_incompatible', vin: '5YJ3E1EA7KF317000', make: 'TESLA' }, sentState(next()))), ORIGIN, next());
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect((calls[1][0] as { vehicleInfo: object }).vehicleInfo).toEqual({ vin: '5YJ3E1EA7KF317000', make: 'TESLA' });
    s.unmount();
  });

});
