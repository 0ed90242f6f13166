import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOLD_WAIT_MS, letGoAll as releaseAll } from '../../src/locks';
import { FLOW_TTL_MS } from '../../src/records';
import { createConnect, StateMismatchError } from '../../src/index';
import { GRACE_MS, LATE_MS, POLL_MS } from '../../src/popup';
import { LEAVING_MS } from '../../src/waiting';
import { broadcast, callbackSearch, connectWithLog, deliver, mainDescribe, mainIt, ORIGIN, REDIRECT_URI, rejection, sentNonce, sentState, stubLocks, stubOpen, wire } from './harness';

// An answer is taken once, by one client of a page that is alive and shown in the tab that started
// the flow: whatever the browser does to the popup or to the page, and whatever storage holds.

const NONCE = 'b'.repeat(32);
const PENDING = 'smartcar-connect:popups';
const KEPT = `smartcar-connect:kept:${NONCE}`;
const TAKEN = `smartcar-connect:taken:${NONCE}`;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => releaseAll());

const record = (fields: Record<string, unknown> = {}) => ({
  nonce: NONCE,
  appState: 'user-42',
  kind: 'authorize',
  clientId: 'app-id',
  owner: 'a page before the reload',
  until: Date.now() + FLOW_TTL_MS,
  ...fields,
});
const remember = (...records: unknown[]) => sessionStorage.setItem(PENDING, JSON.stringify(records));
const keep = (params: Record<string, string>, nonce = NONCE, at: unknown = Date.now()) =>
  localStorage.setItem(`smartcar-connect:kept:${nonce}`, JSON.stringify({ search: callbackSearch(params, `${nonce}.user-42`), at }));
/** What the callback page of the flow in `win` keeps when nobody took its answer. */
const keepFor = (win: { url: string }, params: Record<string, string>) => {
  const state = sentState(win as never);
  localStorage.setItem(`smartcar-connect:kept:${state.split('.')[0]}`, JSON.stringify({ search: callbackSearch(params, state), at: Date.now() }));
};
const announce = (key: string) => window.dispatchEvent(new StorageEvent('storage', { key, newValue: localStorage.getItem(key), storageArea: localStorage }));
const keptKeys = () => Object.keys(localStorage).filter((k) => k.startsWith('smartcar-connect:kept:'));
const remembered = () => JSON.parse(sessionStorage.getItem(PENDING) ?? '[]') as { nonce: string }[];

describe('what the SDK reads back from storage', () => {
  const malformed: [string, Record<string, unknown>][] = [
    ['an object for until', { until: { valueOf: () => Date.now() + 1000 } }],
    ['a string for until', { until: String(Date.now() + 1000) }],
    ['no number at all for until', { until: null }],
    ['an object for appState', { appState: { toString: () => 'x' } }],
    ['a number for appState', { appState: 42 }],
    ['a kind this version does not know', { kind: 'teleport' }],
    ['an object for vehicleId', { vehicleId: {} }],
    ['a nonce that is not 32 hex digits', { nonce: '' }],
    ['an object for the nonce', { nonce: { length: 32 } }],
    ['no clientId', { clientId: undefined }],
    ['a number for owner', { owner: 7 }],
  ];

  mainIt.each(malformed)('drops a remembered flow with %s, never throws, and still takes the real one beside it', async (_, fields) => {
    const other = 'c'.repeat(32);
    remember(record({ ...fields, ...(fields.nonce === undefined && { nonce: other }) }), record());
    keep({ code: 'c-real' });
    keep({ code: 'c-malformed' }, other);
    const { connect, log } = connectWithLog(); // a throw here would break every load of the tab
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'popup', code: 'c-real', state: 'user-42', late: true });
    expect(log).toHaveLength(1);
    await broadcast(callbackSearch({ code: 'c-malformed' }, `${other}.user-42`)); // the channel listener does not throw
    expect(log).toHaveLength(1);
    expect(remembered()).toEqual([]);
  });

  mainIt('drops a list that is not a list, or not JSON, without a throw', async () => {
    for (const text of ['{"nonce":1}', '{not json', '"text"', 'null']) {
      sessionStorage.setItem(PENDING, text);
      const { connect } = connectWithLog();
      await expect(connect.handleRedirect()).resolves.toBeNull();
      expect(sessionStorage.getItem(PENDING)).toBeNull();
    }
  });

  it('clamps a deadline past setTimeout’s range to a flow’s life: the client’s timer does not spin', () => {
    remember(record({ until: 8.64e15 }));
    const spy = vi.spyOn(globalThis, 'setTimeout');
    connectWithLog();
    vi.advanceTimersByTime(1000);
    expect(spy.mock.calls.filter(([, ms]) => ms === undefined || ms < 1000)).toEqual([]);
    expect(spy.mock.calls.map(([, ms]) => ms).every((ms) => (ms as number) <= FLOW_TTL_MS)).toBe(true);
  });

  mainIt.each([
    ['an object for at', { search: '?code=x', at: {} }],
    ['a string for at', { search: '?code=x', at: String(Date.now()) }],
    ['a number for search', { search: 7, at: Date.now() }],
    ['a time in the future', { search: '?code=x', at: Date.now() + 60_000 }],
  ])('ignores a kept answer with %s, removes it, and still hands over a real one', async (_, value) => {
    remember(record());
    localStorage.setItem(`smartcar-connect:kept:${'d'.repeat(32)}`, JSON.stringify(value));
    keep({ code: 'c-real' });
    const { connect } = connectWithLog();
    expect(localStorage.getItem(`smartcar-connect:kept:${'d'.repeat(32)}`)).toBeNull(); // swept as the client started
    await expect(connect.handleRedirect()).resolves.toMatchObject({ code: 'c-real', late: true });
  });

  it('removes expired kept answers and taken marks of any flow as a client starts, even one that remembers no flow', () => {
    for (let i = 0; i < 202; i++) keep({ code: `old-${i}` }, i.toString(16).padStart(32, '0'), Date.now() - LATE_MS - 1);
    localStorage.setItem(`smartcar-connect:taken:${'e'.repeat(32)}`, String(Date.now() - FLOW_TTL_MS));
    localStorage.setItem(`smartcar-connect:taken:${'f'.repeat(32)}`, '{}');
    keep({ code: 'fresh' }, 'a'.repeat(32));
    localStorage.setItem(TAKEN, String(Date.now()));
    localStorage.setItem('the-app’s-own', 'stays');
    createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI }).destroy();
    expect(Object.keys(localStorage).sort()).toEqual([`smartcar-connect:kept:${'a'.repeat(32)}`, TAKEN, 'the-app’s-own'].sort());
  });

  mainIt('rejects a same-window return with StateMismatchError, not a TypeError, when the stored flow is malformed', async () => {
    const sameWindow = { nonce: NONCE, clientId: 'app-id', owner: 'a page before', until: Date.now() + FLOW_TTL_MS, flow: 'redirect' };
    for (const stored of [{ ...sameWindow, until: {} }, { ...sameWindow, appState: {} }, { ...sameWindow, nonce: 5 }, { ...sameWindow, flow: 'teleport' }]) {
      sessionStorage.setItem(PENDING, JSON.stringify([stored]));
      history.replaceState(null, '', `/connect/callback?code=c&state=${NONCE}`);
      const { connect } = connectWithLog();
      await expect(connect.handleRedirect()).rejects.toBeInstanceOf(StateMismatchError);
    }
  });
});

describe('a popup the browser cut off without closing it (a navigation it started: a typed URL, a carmaker’s app)', () => {
  /** A flow whose popup is on Connect's origin and stays "open" in the app's view. */
  function cutOff(state = 'typed') {
    const { last } = stubOpen();
    const { connect, log, names } = connectWithLog();
    const promise = connect.popup({ state });
    last().foreign = true;
    return { connect, log, names, promise, win: last(), nonce: sentNonce(last()) };
  }

  it('settles the current flow from the answer the callback page kept, closes its window, and tells the callback page on the channel', async () => {
    const acks: unknown[] = [];
    const { NativeChannel } = await import('./harness');
    const listener = new NativeChannel('smartcar-connect');
    listener.onmessage = (e) => acks.push(e.data);
    const { promise, win, names, nonce } = cutOff();
    await broadcast(callbackSearch({ code: 'c-1' }, sentState(win))); // by channel first: held, the popup is in view
    expect(names()).toEqual(['open']);
    keepFor(win, { code: 'c-1' });
    announce(`smartcar-connect:kept:${nonce}`);
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-1', state: 'typed' });
    expect(names()).toEqual(['open', 'success']);
    expect(win.close).toHaveBeenCalled();
    expect(keptKeys()).toEqual([]);
    await vi.waitFor(() => expect(acks).toContainEqual({ type: 'smartcar-connect:ack', version: 1, state: sentState(win) }));
    listener.close();
  });

  it('keeps a channel answer while the flow waits, however long, and takes it once the popup is gone', async () => {
    const { promise, win } = cutOff();
    await broadcast(callbackSearch({ code: 'held' }, sentState(win)));
    await vi.advanceTimersByTimeAsync(5 * 60_000); // the user lingers on the "Done" page
    win.closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await expect(promise).resolves.toMatchObject({ code: 'held', state: 'typed' });
  });

  it('takes the answer once when the kept answer and the popup’s own message both come', async () => {
    const { promise, win, names, nonce } = cutOff();
    keepFor(win, { code: 'c-1' });
    announce(`smartcar-connect:kept:${nonce}`);
    deliver(wire(callbackSearch({ code: 'c-1' }, sentState(win))), ORIGIN, win);
    announce(`smartcar-connect:kept:${nonce}`);
    await expect(promise).resolves.toMatchObject({ code: 'c-1' });
    expect(names()).toEqual(['open', 'success']);
  });
});

describe('a page that may be leaving, or is hidden, takes no answer', () => {
  function flow(state = 'leaving') {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state });
    last().foreign = true;
    return { connect, names, promise, win: last(), nonce: sentNonce(last()) };
  }

  it('after beforeunload: leaves the popup’s message to be kept (the popup stays open), and takes the kept answer if the page is still here a moment later', async () => {
    const { promise, win, names, nonce } = flow();
    window.dispatchEvent(new Event('beforeunload'));
    deliver(wire(callbackSearch({ code: 'c-1' }, sentState(win))), ORIGIN, win);
    await broadcast(callbackSearch({ code: 'c-1' }, sentState(win)));
    keepFor(win, { code: 'c-1' }); // what the callback page does when nobody took it
    announce(`smartcar-connect:kept:${nonce}`);
    await vi.advanceTimersByTimeAsync(LEAVING_MS - 1);
    expect(names()).toEqual(['open']);
    expect(win.close).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1); // a mailto: link, a download: the page never left
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-1', state: 'leaving' });
    expect(win.close).toHaveBeenCalled();
    expect(keptKeys()).toEqual([]);
  });

  it('a flow that times out while the page may be leaving still ends, and nothing is held for it', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection(connect.popup({ state: 't', timeoutMs: 1000 }));
    window.dispatchEvent(new Event('beforeunload'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await caught).toMatchObject({ code: 'timeout' });
    expect(last().close).toHaveBeenCalled();
  });

  it('after beforeunload: reads no address bar and sees no close; both count once the page is back', async () => {
    const { promise, win, names } = flow();
    window.dispatchEvent(new Event('beforeunload'));
    win.foreign = false;
    win.href = `${REDIRECT_URI}${callbackSearch({ code: 'bar' }, sentState(win))}`;
    await vi.advanceTimersByTimeAsync(LEAVING_MS - POLL_MS);
    expect(names()).toEqual(['open']);
    await vi.advanceTimersByTimeAsync(2 * POLL_MS);
    await expect(promise).resolves.toMatchObject({ code: 'bar' });
  });

  it('after pagehide: takes nothing, not even after the moment; after pageshow from the back/forward cache, takes what was kept', async () => {
    const { promise, win, names, nonce } = flow('cached');
    window.dispatchEvent(new Event('beforeunload'));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    deliver(wire(callbackSearch({ code: 'c-1' }, sentState(win))), ORIGIN, win);
    keepFor(win, { code: 'c-1' });
    announce(`smartcar-connect:kept:${nonce}`);
    await vi.advanceTimersByTimeAsync(LEAVING_MS + GRACE_MS + POLL_MS);
    expect(names()).toEqual(['open']);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })); // a first load says nothing
    expect(names()).toEqual(['open']);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-1', state: 'cached' });
  });

  it('a remembered flow’s kept answer after pageshow reaches the events, late', () => {
    remember(record());
    const { names } = connectWithLog();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    keep({ code: 'c-kept' });
    announce(KEPT);
    expect(names()).toEqual([]);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(names()).toEqual(['success']);
  });
});

describe('a copy of the tab (Duplicate tab, a window a third-party iframe opens on the app)', () => {
  let locks: ReturnType<typeof stubLocks>;
  beforeEach(() => {
    locks = stubLocks();
  });
  afterEach(() => {
    releaseAll();
    locks.restore();
  });

  it('holds the lock of each flow it waits on, and lets go when the page may be leaving, and when the flow ends', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const nonce = sentNonce(last());
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.here()).toEqual([`smartcar-connect:flow:${nonce}`]);
    window.dispatchEvent(new Event('beforeunload'));
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.here()).toEqual([]);
    await vi.advanceTimersByTimeAsync(LEAVING_MS);
    expect(locks.here()).toEqual([`smartcar-connect:flow:${nonce}`]);
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c' });
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.here()).toEqual([]);
  });

  mainIt('forgets its copy of a flow the tab that started it still holds, and never takes its answer', async () => {
    remember(record());
    locks.holdElsewhere(`smartcar-connect:flow:${NONCE}`); // the original tab, alive
    const { connect, names } = connectWithLog();
    await broadcast(callbackSearch({ code: 'c-1' }, `${NONCE}.user-42`)); // by channel: both tabs hear it
    keep({ code: 'c-1' });
    announce(KEPT);
    await vi.advanceTimersByTimeAsync(HOLD_WAIT_MS);
    expect(remembered()).toEqual([]);
    locks.releaseElsewhere(`smartcar-connect:flow:${NONCE}`); // the original tab leaves
    announce(KEPT);
    await expect(connect.handleRedirect()).resolves.toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual([]);
    expect(keptKeys()).toEqual([KEPT]); // left for the tab that started the flow
  });

  mainIt('takes over a flow whose page lets go within the moment (the page this one reloaded from), and then its answer', async () => {
    remember(record());
    locks.holdElsewhere(`smartcar-connect:flow:${NONCE}`); // the page before the reload, still leaving
    keep({ code: 'c-kept' });
    const { connect, names } = connectWithLog();
    const answer = connect.handleRedirect();
    await vi.advanceTimersByTimeAsync(HOLD_WAIT_MS / 2);
    locks.releaseElsewhere(`smartcar-connect:flow:${NONCE}`);
    await expect(answer).resolves.toEqual({ flow: 'popup', code: 'c-kept', state: 'user-42', late: true });
    expect(names()).toEqual(['success']);
  });

  it('runs an answer that came while the page was still asking for the lock once it holds it', async () => {
    remember(record());
    locks.holdElsewhere(`smartcar-connect:flow:${NONCE}`);
    const { names } = connectWithLog();
    await broadcast(callbackSearch({ code: 'c-1' }, `${NONCE}.user-42`));
    expect(names()).toEqual([]);
    locks.releaseElsewhere(`smartcar-connect:flow:${NONCE}`);
    await vi.waitFor(() => expect(names()).toEqual(['success']));
  });

  it('takes the answer of its own popup, by message or by channel, that comes before the page holds the flow’s lock, once it holds it', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const byMessage = connect.popup({ state: 'm' });
    deliver(wire(callbackSearch({ code: 'c-m' }, sentState(last()))), ORIGIN, last()); // in the same task as popup()
    expect(names()).toEqual(['open']);
    await expect(byMessage).resolves.toMatchObject({ code: 'c-m' });
    const byChannel = connect.popup({ state: 'c' });
    last().closed = true;
    const channel = new (await import('./harness')).NativeChannel('smartcar-connect');
    channel.postMessage(wire(callbackSearch({ code: 'c-c' }, sentState(last()))));
    channel.close();
    await vi.waitFor(() => expect(names()).toEqual(['open', 'success', 'open', 'success']));
    await expect(byChannel).resolves.toMatchObject({ code: 'c-c' });
  });

  it('takes a message from a window it opened before the reload once it holds the flow, and closes that window', async () => {
    remember(record());
    const { names } = connectWithLog();
    const win = { opener: window, close: vi.fn() };
    deliver(wire(callbackSearch({ code: 'c-1' }, `${NONCE}.user-42`)), ORIGIN, win);
    await vi.waitFor(() => expect(names()).toEqual(['success']));
    expect(win.close).toHaveBeenCalled();
  });

  mainIt('gives handleRedirect() nothing when what was kept is gone by the time the page holds the flow', async () => {
    remember(record());
    locks.holdElsewhere(`smartcar-connect:flow:${NONCE}`);
    keep({ code: 'c-1' });
    const { connect } = connectWithLog();
    const answer = connect.handleRedirect();
    localStorage.removeItem(KEPT); // the page that held it took it
    locks.releaseElsewhere(`smartcar-connect:flow:${NONCE}`);
    await expect(answer).resolves.toBeNull();
  });

  it('a page that comes back to find its current flow held elsewhere takes none of its answers; the flow still ends', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const caught = rejection(connect.popup({ state: 's' }));
    const nonce = sentNonce(last());
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event('beforeunload'));
    await vi.advanceTimersByTimeAsync(0);
    locks.holdElsewhere(`smartcar-connect:flow:${nonce}`); // a copy of this tab took the flow over meanwhile
    await vi.advanceTimersByTimeAsync(LEAVING_MS + HOLD_WAIT_MS);
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['open']);
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
    expect(await caught).toMatchObject({ code: 'popup_closed' });
  });

  it('takes a channel answer for its current flow that comes while the page, back again, still asks for the flow’s lock, once it holds it', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const nonce = sentNonce(last());
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event('beforeunload'));
    await vi.advanceTimersByTimeAsync(0);
    locks.holdElsewhere(`smartcar-connect:flow:${nonce}`); // the page before, still letting go
    await vi.advanceTimersByTimeAsync(LEAVING_MS); // back: it asks for the lock again, and waits
    last().closed = true; // COOP cut the popup off; its callback page speaks on the channel
    await broadcast(callbackSearch({ code: 'c-late' }, sentState(last())));
    locks.releaseElsewhere(`smartcar-connect:flow:${nonce}`);
    await expect(promise).resolves.toMatchObject({ code: 'c-late', state: 's' });
  });

  it('lets go of a lock it is still asking for when the page may be leaving, and asks again when it is back', async () => {
    remember(record());
    locks.holdElsewhere(`smartcar-connect:flow:${NONCE}`);
    const { names } = connectWithLog();
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event('beforeunload')); // while the request waits
    locks.releaseElsewhere(`smartcar-connect:flow:${NONCE}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.here()).toEqual([]);
    keep({ code: 'c-1' });
    await vi.advanceTimersByTimeAsync(LEAVING_MS);
    expect(names()).toEqual(['success']); // held again as the page came back: what was kept meanwhile is taken
    expect(locks.here()).toEqual([]); // and the taken flow's lock let go
  });

  mainIt('never takes an answer another page marked taken, whatever its storage still says', async () => {
    remember(record());
    localStorage.setItem(TAKEN, String(Date.now())); // the original tab took it
    const { connect, names } = connectWithLog();
    keep({ code: 'c-1' });
    announce(KEPT);
    await broadcast(callbackSearch({ code: 'c-1' }, `${NONCE}.user-42`));
    await expect(connect.handleRedirect()).resolves.toBeNull();
    expect(names()).toEqual([]);
  });
});

mainDescribe('where storage refuses to mark an answer taken', () => {
  mainIt('still takes it once in the page', async () => {
    remember(record());
    const { connect, names } = connectWithLog();
    keep({ code: 'c-1' });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    announce(KEPT);
    announce(KEPT);
    expect(names()).toEqual(['success']);
    await expect(connect.handleRedirect()).resolves.toBeNull();
  });
});
