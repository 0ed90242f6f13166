import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createConnect, PopupBlockedError, PopupClosedError, StateMismatchError, TimeoutError } from '../../src/index';
import { GRACE_MS, LATE_MS, POLL_MS, SEVER_MS } from '../../src/popup';
import { CONFIGURATION_ERROR_URL, TEST_VIN_MESSAGE } from '../fixtures/connect';
import {
  broadcast,
  callbackSearch,
  connectWithLog,
  deliver,
  NOTHING_LEFT,
  ORIGIN,
  REDIRECT_URI,
  rejection,
  sentNonce,
  sentState,
  stubOpen,
  timerCount,
  trackResources,
  mainIt,
  wire,
} from './harness';
const CONFIG_QUERY = CONFIGURATION_ERROR_URL.slice(CONFIGURATION_ERROR_URL.indexOf('?'));

let resources: ReturnType<typeof trackResources>;
beforeEach(() => {
  vi.useFakeTimers();
  resources = trackResources();
});

/** Everything a flow set up is gone: no message listener, no timer, no channel. */
const expectNothingLeft = () => expect(resources.left()).toEqual(NOTHING_LEFT);

describe('connect.popup() success', () => {
  it('opens Connect centred in a popup, resolves with the code and the app’s state, emits open then success once', async () => {
    const { open, last } = stubOpen();
    const { connect, log } = connectWithLog();
    const promise = connect.popup({ state: 'user-42 & co' });
    expect(open).toHaveBeenCalledOnce();
    const [url, target, features] = open.mock.calls[0] as unknown as [string, string, string];
    expect(target).toBe('_blank');
    expect(features).toMatch(/^popup,width=500,height=700,left=-?\d+,top=-?\d+$/);
    const sent = new URL(url).searchParams;
    expect(sent.get('client_id')).toBe('app-id');
    expect(sent.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(sentState(last())).toMatch(/^[0-9a-f]{32}\.user-42 & co$/);

    deliver(wire(callbackSearch({ code: 'c-1' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'c-1', state: 'user-42 & co' });
    expect(log).toEqual([
      ['open', { flow: 'popup', url }],
      ['success', { flow: 'popup', code: 'c-1', state: 'user-42 & co' }],
    ]);
    expect(last().close).toHaveBeenCalled();
    expectNothingLeft();
  });

  it('sends a fresh 128-bit nonce with every flow', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const p = connect.popup();
      nonces.add(sentState(last()));
      deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
      await p;
    }
    expect(nonces.size).toBe(20);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
  });

  it('resolves from a BroadcastChannel message that carries the flow’s state once the popup is out of the app’s view', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 'via-channel' });
    last().closed = true; // COOP on the callback page: the app can no longer see the popup
    await broadcast(callbackSearch({ code: 'bc-1' }, sentState(last())));
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'bc-1', state: 'via-channel' });
    expectNothingLeft();
  });
});

describe('connect.popup() with Connect errors', () => {
  it('rejects with the docs’ ConfigurationError whole and emits configuration_error then error, once each', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog();
    const promise = connect.popup({ state: 'user-42' });
    deliver(wire(`${CONFIG_QUERY}&state=${encodeURIComponent(sentState(last()))}`), ORIGIN, last());
    const error = await rejection<ConfigurationError>(promise);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.statusCode).toBe(400);
    expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(error.state).toBe('user-42');
    expect(error.params?.state).toBe('user-42');
    expect(log.map(([n, p]) => [n, p === error])).toEqual([
      ['open', false],
      ['configuration_error', true],
      ['error', true],
    ]);
    expectNothingLeft();
  });

  it('takes an error Connect sent without any state from the flow’s own popup, with the flow’s state', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 'kept' });
    deliver(wire(CONFIG_QUERY), ORIGIN, last());
    const error = await rejection<ConfigurationError>(promise);
    expect(error.code).toBe('configuration_error');
    expect(error.statusCode).toBe(400);
    expect(error.state).toBe('kept');
  });

  it('rejects with StateMismatchError when its own popup brings back another state', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'mine' });
    deliver(wire(callbackSearch({ code: 'stolen' }, 'ffffffffffffffffffffffffffffffff.mine')), ORIGIN, last());
    const error = await rejection<StateMismatchError>(promise);
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(error.state).toBe('mine');
    expect(names()).toEqual(['open', 'state_mismatch', 'error']);
  });

  it('rejects with StateMismatchError when the nonce is right but the app’s state was altered', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 'amount=1' });
    const nonce = sentNonce(last());
    deliver(wire(callbackSearch({ code: 'c' }, `${nonce}.amount=1000`)), ORIGIN, last());
    await expect(promise).rejects.toBeInstanceOf(StateMismatchError);
  });

  it('rejects with StateMismatchError for a code that comes back without state', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup();
    deliver(wire('?code=c'), ORIGIN, last());
    await expect(promise).rejects.toBeInstanceOf(StateMismatchError);
  });
});

describe('connect.popup() ignores what is not its own', () => {
  it('ignores forged and stray messages, then settles with the real result once', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const win = last();
    const state = sentState(win);
    const good = wire(callbackSearch({ code: 'real' }, state));
    const settled = vi.fn();
    promise.then(settled, settled);

    deliver(good, 'https://evil.example', win); // third origin
    deliver(good, `${ORIGIN}.evil.example`, win); // prefix-matching origin
    deliver(good, ORIGIN, window); // right origin, another window
    deliver(good, ORIGIN, null);
    deliver({ ...good, type: 'other' }, ORIGIN, win);
    deliver({ ...good, version: 2 }, ORIGIN, win);
    deliver({ ...good, search: 42 }, ORIGIN, win);
    deliver('?code=real', ORIGIN, win);
    deliver(null, ORIGIN, win);
    await broadcast(callbackSearch({ error: 'access_denied' }, 'ffffffffffffffffffffffffffffffff.s')); // wrong state by channel
    await broadcast(callbackSearch({ error: 'access_denied' })); // no state by channel
    await broadcast('not a query %%%');
    expect(settled).not.toHaveBeenCalled();
    expect(names()).toEqual(['open']);

    deliver(good, ORIGIN, win);
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'real', state: 's' });
    deliver(good, ORIGIN, win); // a replay after settling
    await broadcast(good.search);
    expect(names()).toEqual(['open', 'success']);
    expectNothingLeft();
  });
});

describe('connect.popup() window lifecycle', () => {
  it('rejects with PopupBlockedError at once when the browser refuses the popup', async () => {
    stubOpen({ blocked: true });
    const { connect, names } = connectWithLog();
    const error = await rejection<PopupBlockedError>(connect.popup({ state: 's' }));
    expect(error).toBeInstanceOf(PopupBlockedError);
    expect(error.state).toBe('s');
    expect(names()).toEqual(['popup_blocked', 'error']);
    // The user may still allow it from the browser's prompt: what waits for its late answer stays (a
    // message listener, the channel, one timer) until LATE_MS or destroy(), as after popup_closed.
    expect([resources.listeners.size, resources.channels.size, timerCount()]).toEqual([1, 1, 1]);
    connect.destroy();
    expectNothingLeft();
  });

  it('treats a window that is closed as soon as it opens as blocked', async () => {
    vi.stubGlobal('open', vi.fn(() => ({ closed: true })));
    const { connect } = connectWithLog();
    await expect(connect.popup()).rejects.toBeInstanceOf(PopupBlockedError);
  });

  it('rejects with PopupClosedError within a second of the user closing a popup that showed Connect', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const settled = vi.fn();
    promise.catch(settled);
    last().foreign = true;
    await vi.advanceTimersByTimeAsync(SEVER_MS + 2 * POLL_MS);
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS - 1);
    expect(POLL_MS + GRACE_MS).toBeLessThanOrEqual(1000);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toHaveBeenCalledOnce();
    const error = settled.mock.calls[0][0] as PopupClosedError;
    expect(error).toBeInstanceOf(PopupClosedError);
    expect(error.state).toBe('s');
    expect(names()).toEqual(['open', 'popup_closed', 'error']);
    // Only what waits for a late answer stays: a message listener, the channel and one timer, until LATE_MS or destroy().
    expect([resources.listeners.size, resources.channels.size, timerCount()]).toEqual([1, 1, 1]);
    connect.destroy();
    expectNothingLeft();
  });

  it('settles with a result still in flight when the popup closed, not as closed', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup();
    last().foreign = true;
    await vi.advanceTimersByTimeAsync(SEVER_MS + 2 * POLL_MS);
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS / 2);
    deliver(wire(callbackSearch({ code: 'late' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'late' });
    expectNothingLeft();
  });

  it('keeps a popup severed by COOP pending and completes it by BroadcastChannel', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 'coop' });
    const settled = vi.fn();
    promise.then(settled, settled);
    last().foreign = true; // Connect's page appears...
    await vi.advanceTimersByTimeAsync(POLL_MS);
    last().closed = true; // ...and a page with COOP cuts the popup off moments later
    await vi.advanceTimersByTimeAsync(10 * (POLL_MS + GRACE_MS));
    expect(settled).not.toHaveBeenCalled();
    expect(names()).toEqual(['open']);
    await broadcast(callbackSearch({ code: 'coop-code' }, sentState(last())));
    await expect(promise).resolves.toEqual({ flow: 'popup', code: 'coop-code', state: 'coop' });
    expectNothingLeft();
  });

  it('opens a new window when asked again after a severed popup, ending the old flow as closed', async () => {
    const { open, popups } = stubOpen();
    const { connect, names } = connectWithLog();
    const first = connect.popup({ state: 'one' });
    popups[0].foreign = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    popups[0].closed = true; // cut off by COOP moments after Connect appeared: severed, still pending
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
    await expect(connect.popup({ state: 7 as unknown as string })).rejects.toBeInstanceOf(TypeError); // a bad call ends nothing
    const second = connect.popup({ state: 'two' });
    expect(open).toHaveBeenCalledTimes(2);
    await expect(first).rejects.toMatchObject({ code: 'popup_closed', state: 'one' });
    deliver(wire(callbackSearch({ code: 'c2' }, sentState(popups[1]))), ORIGIN, popups[1]);
    await expect(second).resolves.toMatchObject({ code: 'c2', state: 'two' });
    expect(names()).toEqual(['open', 'open', 'popup_closed', 'error', 'success']);
  });

  it('focuses the open popup and shares its promise when called again', async () => {
    const { open, last } = stubOpen();
    const { connect, names } = connectWithLog();
    const first = connect.popup({ state: 'a' });
    const second = connect.popup({ state: 'b' });
    expect(second).toBe(first);
    expect(open).toHaveBeenCalledOnce();
    expect(last().focus).toHaveBeenCalledOnce();
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    expect(await second).toEqual({ flow: 'popup', code: 'c', state: 'a' });
    expect(names()).toEqual(['open', 'success']);
  });

  it('rejects with TimeoutError and closes the popup after timeoutMs', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog({ timeoutMs: 60_000 });
    const promise = connect.popup({ state: 's' });
    const settled = vi.fn();
    promise.catch(settled);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled.mock.calls[0][0]).toBeInstanceOf(TimeoutError);
    expect(last().close).toHaveBeenCalled();
    expect(names()).toEqual(['open', 'timeout', 'error']);
    expectNothingLeft();
  });

  it('lets a flow’s timeoutMs override the client’s', async () => {
    stubOpen();
    const { connect } = connectWithLog({ timeoutMs: 60_000 });
    const promise = connect.popup({ timeoutMs: 10 });
    const caught = promise.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await caught).toBeInstanceOf(TimeoutError);
  });

  it('has no timeout by default: the poll is its only timer, and an answer a day later still counts', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup();
    expect(timerCount()).toBe(1); // the poll; with timeoutMs there would be two
    vi.setSystemTime(Date.now() + 24 * 3600_000); // a day on the clock, without running the poll 864,000 times
    await vi.advanceTimersByTimeAsync(POLL_MS);
    deliver(wire(callbackSearch({ code: 'slow' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'slow' });
  });

  it('has two timers with a timeout: the poll and the timeout', () => {
    stubOpen();
    const { connect } = connectWithLog({ timeoutMs: 60_000 });
    void connect.popup().catch(() => undefined);
    expect(timerCount()).toBe(2);
    connect.destroy();
  });

  it('closes the popup and rejects with signal.reason on abort, emitting nothing more', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const controller = new AbortController();
    const promise = connect.popup({ signal: controller.signal });
    const reason = new Error('user navigated away');
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(last().close).toHaveBeenCalled();
    expect(names()).toEqual(['open']);
    expectNothingLeft();
  });

  it('rejects at once with the reason of an already-aborted signal and opens nothing', async () => {
    const { open } = stubOpen();
    const { connect } = connectWithLog();
    const signal = AbortSignal.abort();
    await expect(connect.popup({ signal })).rejects.toBe(signal.reason);
    expect(open).not.toHaveBeenCalled();
  });

  mainIt('rejects with the preflight ConfigurationError for a test-mode VIN in live mode, without opening', async () => {
    const { open } = stubOpen();
    const { connect, log } = connectWithLog({ mode: 'live' });
    const error = await rejection<ConfigurationError>(connect.popup({ singleSelect: { vin: '0SCAUDI0155C49A95' } }));
    expect(open).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.statusCode).toBe(400);
    expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(error.preflight).toBe(true);
    expect(log).toEqual([
      ['configuration_error', error],
      ['error', error],
    ]);
  });

  it('rejects with a TypeError naming a bad flow option, without opening or emitting', async () => {
    const { open } = stubOpen();
    const { connect, log } = connectWithLog();
    await expect(connect.popup({ state: 7 as unknown as string })).rejects.toThrow('smartcar-connect: state must be a string');
    await expect(connect.popup({ timeoutMs: -1 })).rejects.toThrow('smartcar-connect: timeoutMs must be');
    await expect(connect.popup({ signal: {} as AbortSignal })).rejects.toThrow('smartcar-connect: signal must be an AbortSignal');
    expect(open).not.toHaveBeenCalled();
    expect(log).toEqual([]);
  });

  it('rejects with a TypeError when the redirect URI is not on the page’s origin', async () => {
    stubOpen();
    const connect = createConnect({ clientId: 'a', redirectUri: 'https://elsewhere.example/cb' });
    await expect(connect.popup()).rejects.toThrow("smartcar-connect: redirectUri must be on this page's origin (or name it in app_origin)");
  });

  it('keeps a flow going when an app listener throws', async () => {
    vi.stubGlobal('reportError', vi.fn());
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    connect.on('open', () => {
      throw new Error('app bug');
    });
    const promise = connect.popup();
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c' });
  });

  it('leaves nothing behind after 30 flows in a row of every ending', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ timeoutMs: 5_000 });
    for (let i = 0; i < 30; i++) {
      const controller = new AbortController();
      const promise = connect.popup({ signal: controller.signal }).catch((e: unknown) => e);
      const win = last();
      switch (i % 5) {
        case 0: deliver(wire(callbackSearch({ code: 'c' }, sentState(win))), ORIGIN, win); break;
        case 1: deliver(wire(callbackSearch({ error: 'access_denied' }, sentState(win))), ORIGIN, win); break;
        case 2: await vi.advanceTimersByTimeAsync(5_000); break;
        case 3: controller.abort(); break;
        case 4: win.foreign = true; await vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS); win.closed = true; await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS); break;
      }
      await promise;
      // Once a flow ended as closed, the client keeps listening for its late answer (a message
      // listener, the channel, one timer for the soonest deadline of all of them), nothing more.
      const waiting = i >= 4 ? 1 : 0;
      expect([resources.listeners.size, resources.channels.size, timerCount()]).toEqual([waiting, waiting, waiting]);
    }
    await vi.advanceTimersByTimeAsync(LATE_MS);
    expectNothingLeft();
  });
});

describe('connect.destroy()', () => {
  it('closes the popup, rejects the pending flow with an AbortError and ends every listener', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog();
    const promise = connect.popup();
    connect.destroy();
    const error = await rejection<DOMException>(promise);
    expect(error.name).toBe('AbortError');
    expect(last().close).toHaveBeenCalled();
    expectNothingLeft();
    await expect(connect.popup()).rejects.toMatchObject({ name: 'AbortError' });
    expect(log.map(([n]) => n)).toEqual(['open']);
  });
});

describe('createConnect()', () => {
  it('throws a TypeError naming the first bad option', () => {
    expect(() => createConnect({ clientId: '', redirectUri: REDIRECT_URI })).toThrow('smartcar-connect: clientId must be a non-empty string');
    expect(() => createConnect({ clientId: 'a', redirectUri: REDIRECT_URI, timeoutMs: 0 })).toThrow('smartcar-connect: timeoutMs must be');
    expect(() => createConnect({ clientId: 'a', redirectUri: REDIRECT_URI, popup: { width: -5 } })).toThrow('smartcar-connect: popup must be');
  });

  it('builds url() with the client’s options and the state exactly as given', () => {
    const connect = createConnect({ applicationId: 'legacy', redirectUri: REDIRECT_URI, scope: ['read_vin'] });
    const sent = new URL(connect.url({ state: 'plain' })).searchParams;
    expect(sent.get('client_id')).toBe('legacy');
    expect(sent.get('scope')).toBe('read_vin');
    expect(sent.get('state')).toBe('plain');
  });

  it('centres the popup on the app’s window and keeps it inside the screen', () => {
    const { open } = stubOpen();
    vi.stubGlobal('screen', { availWidth: 1280, availHeight: 800, availLeft: 0, availTop: 0 });
    vi.stubGlobal('screenX', 100);
    vi.stubGlobal('screenY', 50);
    vi.stubGlobal('outerWidth', 1000);
    vi.stubGlobal('outerHeight', 700);
    const features = (options?: { width?: number; height?: number }) => {
      const connect = createConnect({ clientId: 'a', redirectUri: REDIRECT_URI, popup: options });
      void connect.popup().catch(() => undefined);
      connect.destroy();
      return (open.mock.calls.at(-1) as unknown as string[])[2];
    };
    expect(features()).toBe('popup,width=500,height=700,left=350,top=50');
    expect(features({ width: 400, height: 300 })).toBe('popup,width=400,height=300,left=400,top=250');
    expect(features({ width: 10_000, height: 10_000 })).toBe('popup,width=1280,height=800,left=0,top=0');
    vi.stubGlobal('screenX', 1200);
    expect(features({ width: 600, height: 400 })).toBe('popup,width=600,height=400,left=680,top=200');
  });
});
