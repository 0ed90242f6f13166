import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createConnect, StateMismatchError, type ConnectSuccess } from '../../src/index';
import { FLOW_TTL_MS } from '../../src/records';
import { LATE_MS, POLL_MS } from '../../src/popup';
import {
  broadcast,
  callbackSearch,
  closedAfterConnect,
  connectWithLog,
  deliver,
  NativeChannel,
  NOTHING_LEFT,
  ORIGIN,
  realDelay,
  REDIRECT_URI,
  rejection,
  sentNonce,
  sentState,
  stubOpen,
  trackResources,
  wire,
} from './harness';

// How an answer reaches the app when the callback page has no script, when the app is its own
// callback page, and when the app reloaded or left while the user was in Connect.

let resources: ReturnType<typeof trackResources>;
let warnings: MockInstance<typeof console.warn>;
beforeEach(() => {
  vi.useFakeTimers();
  resources = trackResources();
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

const NONCE = 'a'.repeat(32);
const PENDING = 'smartcar-connect:popups';
const KEPT = `smartcar-connect:kept:${NONCE}`;

/** A popup flow this tab started before it reloaded: its client is gone, its record stays. */
function rememberedFromBefore(fields: Record<string, unknown> = {}) {
  const record = { nonce: NONCE, appState: 'user-42', kind: 'authorize', clientId: 'app-id', owner: 'a page before the reload', until: Date.now() + FLOW_TTL_MS, ...fields };
  sessionStorage.setItem(PENDING, JSON.stringify([record]));
}

/** What the callback page keeps when no live flow took its answer. */
function kept(params: Record<string, string>, at = Date.now(), nonce = NONCE) {
  const value = JSON.stringify({ search: callbackSearch(params, `${nonce}.user-42`), at });
  localStorage.setItem(`smartcar-connect:kept:${nonce}`, value);
  return value;
}

/** Another page of this origin (the callback popup) wrote to localStorage. */
function announce(key: string, newValue: string | null) {
  window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea: localStorage }));
}

/** A same-window flow of this tab's, beside what the tab remembers already. */
function sameWindowFlow(nonce: string) {
  const list = JSON.parse(sessionStorage.getItem(PENDING) ?? '[]') as unknown[];
  const record = { nonce, clientId: 'app-id', owner: 'a page before', until: Date.now() + FLOW_TTL_MS, flow: 'redirect' };
  sessionStorage.setItem(PENDING, JSON.stringify([...list, record]));
}

/** A window this page opened before it reloaded: its opener is this window. */
const popupOfThisTab = () => ({ opener: window, close: vi.fn() });

const LATE_SUCCESS: ConnectSuccess = { flow: 'popup', code: 'c-kept', state: 'user-42', late: true };

describe('the answer read from the popup’s own address bar', () => {
  it('resolves once the popup is back on the redirect URI with the answer, closes it, and emits success once', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'bare' });
    const win = last();
    win.foreign = true; // Connect
    await vi.advanceTimersByTimeAsync(POLL_MS);
    win.foreign = false;
    win.href = `${REDIRECT_URI}${callbackSearch({ code: 'c-bar', user_id: 'u' }, sentState(win))}`; // back, no script
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-bar', userId: 'u', state: 'bare' });
    expect(win.close).toHaveBeenCalled();
    expect(names()).toEqual(['open', 'success']);
    expect(resources.left()).toEqual(NOTHING_LEFT);
    expect(sessionStorage.length).toBe(0);
  });

  it.each(['message first', 'address bar first'])('settles exactly once when both routes carry the answer (%s)', async (order) => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'race' });
    const win = last();
    const search = callbackSearch({ code: 'c-race' }, sentState(win));
    if (order === 'message first') deliver(wire(search), ORIGIN, win);
    win.href = `${REDIRECT_URI}${search}`;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    deliver(wire(search), ORIGIN, win);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await expect(promise).resolves.toMatchObject({ code: 'c-race', state: 'race' });
    expect(names()).toEqual(['open', 'success']);
  });

  it('rejects with StateMismatchError for another flow’s state there, as for a message from its own window', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection(connect.popup({ state: 'mine' }));
    last().href = `${REDIRECT_URI}${callbackSearch({ code: 'c' }, `${'f'.repeat(32)}.mine`)}`;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(await caught).toBeInstanceOf(StateMismatchError);
  });

  it('waits on a page of the app without an answer (a relay may still come), and warns once after a second', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup();
    const win = last();
    win.href = `${ORIGIN}/connect/callback`; // a router already removed Connect's parameters
    await vi.advanceTimersByTimeAsync(1000 + 2 * POLL_MS);
    expect(names()).toEqual(['open']);
    const back = warnings.mock.calls.filter(([m]) => String(m).includes('the popup is back on'));
    expect(back).toEqual([
      [
        `smartcar-connect: the popup is back on ${ORIGIN}/connect/callback without Connect's answer, and nothing relayed it. ` +
          "Keep Connect's parameters in that page's address bar (a router that rewrites the URL removes them), " +
          'or load callback.min.js there (or call relayConnectResponse() before anything else runs).',
      ],
    ]);
    deliver(wire(callbackSearch({ code: 'c' }, sentState(win))), ORIGIN, win);
    await expect(promise).resolves.toMatchObject({ code: 'c' });
  });

  it('remembers the flow in sessionStorage before the window opens (never a code), and forgets it when the flow settles', async () => {
    const seen: (string | null)[] = [];
    const { last } = stubOpen();
    const open = window.open.bind(window);
    vi.stubGlobal('open', (...args: Parameters<typeof open>) => {
      seen.push(sessionStorage.getItem(PENDING));
      return open(...args);
    });
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 'remembered' });
    const nonce = sentNonce(last());
    expect(JSON.parse(seen[0]!)).toEqual([{ nonce, appState: 'remembered', kind: 'authorize', clientId: 'app-id', owner: expect.any(String), until: Date.now() + FLOW_TTL_MS }]);
    deliver(wire(callbackSearch({ code: 'secret-code' }, sentState(last()))), ORIGIN, last());
    await promise;
    expect(sessionStorage.length).toBe(0);
    expect(JSON.stringify(localStorage)).not.toContain('secret-code');
  });

  it('forgets the flow when the popup is blocked, and after a timeout, an abort or destroy()', async () => {
    stubOpen({ blocked: true });
    const { connect } = connectWithLog({ timeoutMs: 1000 });
    await rejection(connect.popup());
    expect(sessionStorage.length).toBe(0);
    stubOpen();
    const timedOut = rejection(connect.popup());
    await vi.advanceTimersByTimeAsync(1000);
    await timedOut;
    const controller = new AbortController();
    const aborted = rejection(connect.popup({ signal: controller.signal }));
    controller.abort();
    await aborted;
    const destroyed = rejection(connect.popup());
    connect.destroy();
    await destroyed;
    expect(sessionStorage.length).toBe(0);
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });
});

describe('the app as its own callback page', () => {
  it('leaves a popup flow’s answer to its opener: handleRedirect() resolves null, emits nothing, and leaves the address bar and the stored flow alone', async () => {
    vi.stubGlobal('opener', { location: { origin: ORIGIN }, closed: false });
    sameWindowFlow('b'.repeat(32)); // a same-window flow of the opener, copied
    const url = `/app${callbackSearch({ code: 'c-spa' }, `${NONCE}.user-42`)}`;
    history.replaceState(null, '', url);
    const { connect, log } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(log).toEqual([]);
    expect(location.pathname + location.search).toBe(url);
    expect(sessionStorage.getItem(PENDING)).toContain('b'.repeat(32));
  });

  it('still handles this tab’s own same-window flow there, and takes nothing remembered from its copy of the opener’s storage', async () => {
    vi.stubGlobal('opener', { location: { origin: ORIGIN }, closed: false });
    rememberedFromBefore();
    kept({ code: 'c-kept' });
    const { connect, log } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toBeNull(); // no answer in the URL, and the kept one is the opener's
    expect(localStorage.getItem(KEPT)).not.toBeNull();
    sameWindowFlow('c'.repeat(32));
    history.replaceState(null, '', `/app${callbackSearch({ code: 'c-own' }, 'c'.repeat(32))}`);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', code: 'c-own' });
    expect(log.map(([n]) => n)).toEqual(['success']);
  });

  it('is a page like any other under an opener of another origin (reading its location throws)', async () => {
    vi.stubGlobal('opener', {
      get location(): never {
        throw new DOMException('Blocked a frame', 'SecurityError');
      },
    });
    history.replaceState(null, '', `/connect/callback${callbackSearch({ code: 'c' }, `${NONCE}.x`)}`); // the redirect URI's page
    const { connect } = connectWithLog();
    expect(await rejection(connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
  });
});

describe('an answer after the app reloaded', () => {
  it('is taken once from a popup this tab opened before the reload, which the app then closes: success with late: true', () => {
    rememberedFromBefore();
    const { log } = connectWithLog();
    const popup = popupOfThisTab();
    const search = callbackSearch({ code: 'c-kept' }, `${NONCE}.user-42`);
    deliver(wire(search), ORIGIN, popup);
    deliver(wire(search), ORIGIN, popup); // a replay
    expect(log).toEqual([['success', LATE_SUCCESS]]);
    expect(popup.close).toHaveBeenCalledOnce(); // the callback page's acknowledgement
    expect(sessionStorage.length).toBe(0);
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });

  it('ignores the same answer from a window this tab did not open, from another origin, and for a flow it does not remember', () => {
    rememberedFromBefore();
    const { log } = connectWithLog();
    const search = callbackSearch({ code: 'forged' }, `${NONCE}.user-42`);
    deliver(wire(search), ORIGIN, { opener: null, close: vi.fn() }); // another tab of this origin
    deliver(wire(search), ORIGIN, window); // this page itself
    deliver(wire(search), 'https://evil.example', popupOfThisTab()); // another origin
    deliver(wire(callbackSearch({ code: 'forged' }, `${'d'.repeat(32)}.user-42`)), ORIGIN, popupOfThisTab()); // not this tab's flow
    expect(log).toEqual([]);
    expect(sessionStorage.getItem(PENDING)).not.toBeNull();
  });

  it('is taken by channel for a remembered flow, and acknowledged there so the callback page keeps nothing', async () => {
    rememberedFromBefore();
    const { log } = connectWithLog();
    const acks: unknown[] = [];
    const page = new NativeChannel('smartcar-connect');
    page.onmessage = (e) => acks.push(e.data);
    await broadcast(callbackSearch({ code: 'c-kept' }, `${NONCE}.user-42`));
    await realDelay(20);
    page.close();
    expect(log).toEqual([['success', LATE_SUCCESS]]);
    expect(acks).toContainEqual({ type: 'smartcar-connect:ack', version: 1, state: `${NONCE}.user-42` });
  });

  it('is taken from what the callback page kept, when a client of this tab is alive as it is kept: once, through the events', async () => {
    rememberedFromBefore();
    const { connect, log } = connectWithLog();
    const value = kept({ code: 'c-kept' });
    announce(KEPT, value);
    announce(KEPT, value); // the same announcement again
    expect(log).toEqual([['success', LATE_SUCCESS]]);
    // Nothing is kept or remembered any more; what stays is the mark that this answer was taken.
    expect({ ...localStorage, ...sessionStorage }).toEqual({ [`smartcar-connect:taken:${NONCE}`]: String(Date.now()) });
    await expect(connect.handleRedirect()).resolves.toBeNull(); // never twice
  });

  it('is handed to handleRedirect() on the next load when no client was alive as it was kept, once', async () => {
    rememberedFromBefore();
    kept({ error: 'access_denied', error_description: 'Denied' });
    const { connect, names } = connectWithLog();
    const error = await rejection<{ code: string; late: boolean; state: string }>(connect.handleRedirect());
    expect(error).toMatchObject({ code: 'access_denied', late: true, state: 'user-42' });
    expect(names()).toEqual(['access_denied', 'error']);
    vi.advanceTimersByTime(1); // a later call, not a StrictMode double
    await expect(connect.handleRedirect()).resolves.toBeNull();
    const again = createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI }); // and the load after
    await expect(again.handleRedirect()).resolves.toBeNull();
  });

  it('gives two calls at once (StrictMode) the one answer', async () => {
    rememberedFromBefore();
    kept({ code: 'c-kept' });
    const { connect, log } = connectWithLog();
    const [a, b] = await Promise.all([connect.handleRedirect(), connect.handleRedirect()]);
    expect(a).toEqual(LATE_SUCCESS);
    expect(b).toBe(a);
    expect(log).toHaveLength(1);
  });

  it('gives nothing in another tab (no record of the flow), and leaves the answer to its own tab', async () => {
    kept({ code: 'c-kept' });
    const { connect, log } = connectWithLog();
    announce(KEPT, localStorage.getItem(KEPT));
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(log).toEqual([]);
    expect(localStorage.getItem(KEPT)).not.toBeNull();
  });

  it('gives nothing for an answer kept more than 10 minutes ago, or for a flow past its time, and removes what expired', async () => {
    rememberedFromBefore();
    kept({ code: 'stale' }, Date.now() - LATE_MS);
    kept({ code: 'other-stale' }, Date.now() - LATE_MS - 1, 'e'.repeat(32));
    const { connect } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(localStorage.length).toBe(0);
    rememberedFromBefore({ until: Date.now() - 1 });
    kept({ code: 'fresh' });
    await expect(createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI }).handleRedirect()).resolves.toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('gives nothing for a kept answer replayed after it was used', async () => {
    rememberedFromBefore();
    const value = kept({ code: 'c-kept' });
    const { connect, log } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toEqual(LATE_SUCCESS);
    localStorage.setItem(KEPT, value); // written back by someone who saw it
    announce(KEPT, value);
    vi.advanceTimersByTime(1);
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(log).toHaveLength(1);
  });

  it('returns every field of a kept answer as the exact text it was, rendering nothing, and ignores malformed entries', async () => {
    rememberedFromBefore({ appState: '<img src=x onerror=alert(1)>' });
    const markup = '<script>alert(1)</script>';
    const search = new URLSearchParams({ code: markup, user_id: `"><b>${markup}`, external_id: '</p><svg onload=x>', state: `${NONCE}.<img src=x onerror=alert(1)>` });
    localStorage.setItem(KEPT, JSON.stringify({ search: `?${search.toString()}`, at: Date.now(), html: markup }));
    localStorage.setItem(`smartcar-connect:kept:${'9'.repeat(32)}`, '{not json');
    const before = document.documentElement.outerHTML;
    const { connect } = connectWithLog();
    await expect(connect.handleRedirect()).resolves.toEqual({
      flow: 'popup',
      code: markup,
      userId: `"><b>${markup}`,
      externalId: '</p><svg onload=x>',
      state: '<img src=x onerror=alert(1)>',
      late: true,
    });
    expect(document.documentElement.outerHTML).toBe(before);
    expect(Object.keys(localStorage)).toEqual([`smartcar-connect:taken:${NONCE}`]);
  });
});

describe('when the storage refuses', () => {
  it('keeps the remembered flows in this page’s memory: a late answer still arrives once', async () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const { connect, log } = connectWithLog();
    const { win } = await closedAfterConnect(connect, 'memory');
    await broadcast(callbackSearch({ code: 'c-mem' }, sentState(win)));
    await broadcast(callbackSearch({ code: 'c-mem' }, sentState(win)));
    expect(log.filter(([n]) => n === 'success')).toEqual([['success', { flow: 'popup', code: 'c-mem', state: 'memory', late: true }]]);
    await expect(connect.handleRedirect()).resolves.toBeNull();
  });
});

describe('what a client listening for remembered flows ignores', () => {
  it('storage events of other keys, removals, and messages from a window whose opener cannot be read', () => {
    rememberedFromBefore();
    const { log } = connectWithLog();
    localStorage.setItem('another-app', 'x');
    announce('another-app', 'x');
    announce(KEPT, null); // a removal
    const hostile = {
      get opener(): never {
        throw new DOMException('Blocked a frame', 'SecurityError');
      },
    };
    deliver(wire(callbackSearch({ code: 'c' }, `${NONCE}.user-42`)), ORIGIN, hostile);
    expect(log).toEqual([]);
    expect(sessionStorage.getItem(PENDING)).not.toBeNull();
  });

  it('an address bar on an origin that may not answer (the redirect URI is a hosted page elsewhere)', async () => {
    const { last } = stubOpen();
    const hosted = `https://javascript-sdk.smartcar.com/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}`;
    const { connect, names } = connectWithLog({ redirectUri: hosted });
    void connect.popup().catch(() => undefined);
    last().href = `${ORIGIN}/somewhere${callbackSearch({ code: 'c' }, sentState(last()))}`;
    await vi.advanceTimersByTimeAsync(300);
    expect(names()).toEqual(['open']);
  });
});

describe('which client takes a remembered flow', () => {
  it('its own client while that client lives, any client of the app once it is destroyed', async () => {
    const first = connectWithLog();
    const second = connectWithLog();
    const { win } = await closedAfterConnect(first.connect, 'first');
    const nonce = sentNonce(win);
    const value = JSON.stringify({ search: callbackSearch({ code: 'c' }, sentState(win)), at: Date.now() });
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, value);
    await expect(second.connect.handleRedirect()).resolves.toBeNull(); // not the second client's
    first.connect.destroy();
    await expect(second.connect.handleRedirect(`${ORIGIN}/again`)).resolves.toMatchObject({ code: 'c', state: 'first', late: true });
    expect(first.names()).toEqual(['open', 'popup_closed', 'error']);
  });
});
