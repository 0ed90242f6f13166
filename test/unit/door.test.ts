import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../src/door';
import { PopupBlockedError, PopupClosedError } from '../../src/index';
import { GRACE_MS, LATE_MS, POLL_MS } from '../../src/popup';
import {
  broadcast,
  callbackSearch,
  connectWithLog,
  deliver,
  mainIt,
  NOTHING_LEFT,
  ORIGIN,
  rejection,
  sentState,
  stubOpen,
  trackResources,
  wire,
} from './harness';

// One door for every answer: each route's row in the table, and the routes real apps meet that the
// table has rows for (a popup closed at once, a blocked popup allowed later, an answer handed back in
// another tab), checked through the public API.

let resources: ReturnType<typeof trackResources>;
beforeEach(() => {
  vi.useFakeTimers();
  resources = trackResources();
});

const PENDING = 'smartcar-connect:popups';
const keptKeys = () => Object.keys(localStorage).filter((k) => k.startsWith('smartcar-connect:kept:'));

describe('the route table', () => {
  it('lets only the popup’s own message and address bar fail a flow on a wrong state, and the channel settle only out of sight', () => {
    expect(ROUTES).toEqual({
      message: { current: true, own: true },
      address: { current: true, own: true },
      opened: { late: true },
      channel: { current: 'out of sight', late: true },
      kept: { current: true, late: true },
    });
  });

  it('never settles the flow in progress from another window this page opened, even with that flow’s state', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const other = { opener: window, close: vi.fn() };
    deliver(wire(callbackSearch({ code: 'other-window' }, sentState(last()))), ORIGIN, other);
    expect(names()).toEqual(['open']);
    expect(other.close).not.toHaveBeenCalled();
    deliver(wire(callbackSearch({ code: 'own' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'own' });
  });
});

describe('a popup closed before it left the app’s blank page', () => {
  it('is a PopupBlockedError when the browser or an extension closed it before the app looked at it', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const caught = rejection<PopupBlockedError>(connect.popup({ state: 'extension' }));
    last().closed = true;
    last().hideBlank();
    const error = await caught;
    expect(error).toBeInstanceOf(PopupBlockedError);
    expect(error.state).toBe('extension');
    expect(names()).toEqual(['open', 'popup_blocked', 'error']);
    expect(sessionStorage.getItem(PENDING)).toBeNull();
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });

  it('is a PopupBlockedError too when the app’s first look finds it closed before its blank page says why', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection(connect.popup());
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    last().hideBlank();
    expect(await caught).toBeInstanceOf(PopupBlockedError);
  });

  it('is a PopupClosedError once the app had seen it open: a person closed it while Connect was loading', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection(connect.popup());
    await vi.advanceTimersByTimeAsync(POLL_MS);
    last().closed = true;
    last().hideBlank();
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
    expect(await caught).toBeInstanceOf(PopupClosedError);
  });

  mainIt('goes on in this window with fallback: redirect', async () => {
    const { last } = stubOpen();
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign });
    const { connect, names } = connectWithLog();
    const settled = vi.fn();
    connect.popup({ state: 'fallback', fallback: 'redirect' }).then(settled, settled);
    last().closed = true;
    last().hideBlank();
    await vi.advanceTimersByTimeAsync(0);
    expect(assign).toHaveBeenCalledOnce();
    expect(new URL(assign.mock.calls[0][0] as string).searchParams.get('state')).toMatch(/^[0-9a-f]{32}\.fallback$/);
    expect(names()).toEqual(['open', 'open']);
    expect(settled).not.toHaveBeenCalled(); // the page is leaving: handleRedirect() answers on return
  });

  it('left for Connect when its blank page went with the window still open: a channel answer then counts at once', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    last().hideBlank(); // Connect's page replaced it
    last().foreign = true;
    await broadcast(callbackSearch({ code: 'from-another-tab' }, sentState(last())));
    await expect(promise).resolves.toMatchObject({ code: 'from-another-tab', state: 's' });
    expect(last().close).toHaveBeenCalled();
  });
});

describe('an answer handed back in another tab of the app (a carmaker’s app, the OS)', () => {
  it('settles the flow once from the channel while the popup is still on Connect, and closes that popup', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'handed-back' });
    last().foreign = true;
    await vi.advanceTimersByTimeAsync(POLL_MS); // the app sees the popup on Connect
    const search = callbackSearch({ code: 'c-tab' }, sentState(last()));
    await broadcast(search);
    await broadcast(search); // the same answer again
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-tab', state: 'handed-back' });
    expect(names()).toEqual(['open', 'success']);
    expect(last().close).toHaveBeenCalled();
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });

  it('is held while the popup still shows the app’s own origin (its own page will answer), and counts once it is gone', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    last().href = `${ORIGIN}/connect/callback`; // back on the callback page, its answer not read yet
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await broadcast(callbackSearch({ code: 'held' }, sentState(last())));
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(names()).toEqual(['open']);
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await expect(promise).resolves.toMatchObject({ code: 'held' });
  });
});

describe('a blocked popup the user then allows from the browser’s prompt', () => {
  /** The browser refuses the window; returns what its prompt opens if the user allows it: the same URL, with this page as opener. */
  function blockedPopup() {
    let url = '';
    vi.stubGlobal(
      'open',
      vi.fn((u: string) => {
        url = u;
        return null;
      }),
    );
    return () => ({ url, opener: window, close: vi.fn() });
  }

  it('delivers its answer once, late, through the events, and closes that window', async () => {
    const allow = blockedPopup();
    const { connect, log } = connectWithLog();
    expect(await rejection(connect.popup({ state: 'later' }))).toBeInstanceOf(PopupBlockedError);
    expect(sessionStorage.getItem(PENDING)).toBeNull(); // remembered in this page alone
    await vi.advanceTimersByTimeAsync(60_000);
    const allowed = allow();
    const search = callbackSearch({ code: 'c-allowed' }, new URL(allowed.url).searchParams.get('state')!);
    deliver(wire(search), ORIGIN, allowed);
    deliver(wire(search), ORIGIN, allowed); // a replay
    expect(log.slice(2)).toEqual([['success', { flow: 'popup', code: 'c-allowed', state: 'later', late: true }]]);
    expect(allowed.close).toHaveBeenCalledOnce();
    expect(resources.left()).toEqual(NOTHING_LEFT);
  });

  it('delivers nothing after LATE_MS, or once its client is destroyed', async () => {
    const allow = blockedPopup();
    const { connect, log } = connectWithLog();
    await rejection(connect.popup({ state: 'expired' }));
    await vi.advanceTimersByTimeAsync(LATE_MS);
    const expired = allow();
    deliver(wire(callbackSearch({ code: 'c' }, new URL(expired.url).searchParams.get('state')!)), ORIGIN, expired);
    await rejection(connect.popup({ state: 'destroyed' }));
    const orphan = allow();
    connect.destroy();
    const again = connectWithLog();
    deliver(wire(callbackSearch({ code: 'c' }, new URL(orphan.url).searchParams.get('state')!)), ORIGIN, orphan);
    expect(log.map(([n]) => n)).toEqual(['popup_blocked', 'error', 'popup_blocked', 'error']);
    expect(again.log).toEqual([]);
  });
});

describe('what the callback page kept, read back', () => {
  const record = (nonce: string) => ({ nonce, appState: 'user-42', kind: 'authorize', clientId: 'app-id', owner: 'a page before', until: Date.now() + LATE_MS });

  it('removes at once a kept answer whose state names another flow, whatever its size', () => {
    const nonce = 'a'.repeat(32);
    sessionStorage.setItem(PENDING, JSON.stringify([record(nonce)]));
    const big = 'x'.repeat(4_000_000);
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, JSON.stringify({ search: callbackSearch({ code: big }, `${'b'.repeat(32)}.user-42`), at: Date.now() }));
    const { log } = connectWithLog(); // a client starting looks at what was kept
    expect(keptKeys()).toEqual([]);
    const again = JSON.stringify({ search: callbackSearch({ code: big }, `${'e'.repeat(32)}.user-42`), at: Date.now() });
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, again); // and a live client, as another page keeps it
    window.dispatchEvent(new StorageEvent('storage', { key: `smartcar-connect:kept:${nonce}`, newValue: again, storageArea: localStorage }));
    expect(keptKeys()).toEqual([]);
    expect(log).toEqual([]);
  });

  it('removes a kept answer of a flow a page already took, as soon as it is seen', () => {
    const nonce = 'c'.repeat(32);
    sessionStorage.setItem(PENDING, JSON.stringify([record(nonce)]));
    localStorage.setItem(`smartcar-connect:taken:${nonce}`, String(Date.now()));
    const value = JSON.stringify({ search: callbackSearch({ code: 'c' }, `${nonce}.user-42`), at: Date.now() });
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, value);
    const { log } = connectWithLog();
    window.dispatchEvent(new StorageEvent('storage', { key: `smartcar-connect:kept:${nonce}`, newValue: value, storageArea: localStorage }));
    expect(keptKeys()).toEqual([]);
    expect(log).toEqual([]);
  });

  it('keeps the answer for its own tab when another tab’s client, which has no record of the flow, sees it', () => {
    const nonce = 'd'.repeat(32);
    const value = JSON.stringify({ search: callbackSearch({ code: 'c' }, `${nonce}.user-42`), at: Date.now() });
    localStorage.setItem(`smartcar-connect:kept:${nonce}`, value);
    connectWithLog();
    expect(keptKeys()).toEqual([`smartcar-connect:kept:${nonce}`]);
  });
});

describe('where the Web Locks refuse every request (a cross-site frame denied storage)', () => {
  it('takes answers as where there are no Web Locks', async () => {
    const request = vi.fn(() => Promise.reject(new DOMException('Access denied', 'SecurityError')));
    Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true });
    try {
      const { last } = stubOpen();
      const { connect } = connectWithLog();
      const promise = connect.popup({ state: 'framed' });
      deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
      await expect(promise).resolves.toMatchObject({ code: 'c', state: 'framed' });
      expect(request).toHaveBeenCalled();
    } finally {
      delete (navigator as { locks?: unknown }).locks;
    }
  });
});
