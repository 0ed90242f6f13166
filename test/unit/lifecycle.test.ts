import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectError, createConnect, PopupClosedError, type ConnectSuccess } from '../../src/index';
import { relayConnectResponse } from '../../src/callback';
import { GRACE_MS, LATE_MS, POLL_MS, SEVER_MS } from '../../src/popup';
import {
  broadcast,
  callbackSearch,
  closedAfterConnect,
  connectWithLog,
  deliver,
  NOTHING_LEFT,
  ORIGIN,
  REDIRECT_URI,
  rejection,
  sentState,
  stubOpen,
  trackResources,
  mainDescribe,
  mainIt,
  POPUP_ENTRY,
  wire,
} from './harness';

let resources: ReturnType<typeof trackResources>;
beforeEach(() => {
  vi.useFakeTimers();
  resources = trackResources();
  document.body.innerHTML = '<button id="car" type="button">Connect</button><a id="link" href="/cars">Connect</a>';
});

const nothingLeft = () => resources.left();
const settledWith = (promise: Promise<unknown>) => {
  const seen = vi.fn();
  promise.then(
    (v) => seen('resolved', v),
    (e) => seen('rejected', e),
  );
  return seen;
};

describe('every flow ends: never pending forever', () => {
  it('ends as popup_closed within a second when the user closes the popup while Connect is still loading', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const seen = settledWith(connect.popup({ state: 'loading' }));
    last().closed = true; // never seen on Connect's origin
    expect(POLL_MS + GRACE_MS).toBeLessThanOrEqual(1000);
    await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
    expect(seen).toHaveBeenCalledWith('rejected', expect.any(PopupClosedError));
    expect(names()).toEqual(['open', 'popup_closed', 'error']);
  });

  mainIt('ends a flow cut off moments after Connect appeared (COOP) as popup_closed after 10 minutes, and frees its button', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    connect.attach('#car');
    document.getElementById('car')!.click();
    last().foreign = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    last().closed = true;
    await vi.advanceTimersByTimeAsync(LATE_MS - 1);
    expect(names()).toEqual(['open']);
    expect(document.getElementById('car')!.getAttribute('aria-busy')).toBe('true');
    await vi.advanceTimersByTimeAsync(POLL_MS + 1);
    expect(names()).toEqual(['open', 'popup_closed', 'error']);
    expect(document.getElementById('car')!.hasAttribute('aria-busy')).toBe(false);
    connect.destroy();
    expect(nothingLeft()).toEqual(NOTHING_LEFT);
  });
});

describe('no answer is lost', () => {
  it('delivers an answer that comes by channel after the flow ended as closed, once, through the events, with late: true', async () => {
    const { connect, log } = connectWithLog();
    const { error, win } = await closedAfterConnect(connect);
    expect(error.code).toBe('popup_closed');
    await broadcast(callbackSearch({ code: 'c-late', user_id: 'u-1' }, sentState(win)));
    await broadcast(callbackSearch({ code: 'c-late', user_id: 'u-1' }, sentState(win))); // a replay
    const late: ConnectSuccess = { flow: 'popup', code: 'c-late', userId: 'u-1', state: 'late', late: true };
    expect(log.slice(3)).toEqual([['success', late]]);
    expect(nothingLeft()).toEqual(NOTHING_LEFT);
  });

  it('delivers a late error with late: true on its code’s event and on error', async () => {
    const { connect, log } = connectWithLog();
    const { win } = await closedAfterConnect(connect);
    await broadcast(callbackSearch({ error: 'access_denied' }, sentState(win)));
    expect(log.slice(3).map(([n, e]) => [n, (e as ConnectError).late, (e as ConnectError).state])).toEqual([
      ['access_denied', true, 'late'],
      ['error', true, 'late'],
    ]);
  });

  it('ignores an answer after the 10 minutes, and one of a flow that ended by timeout', async () => {
    const { connect, log } = connectWithLog();
    const { win } = await closedAfterConnect(connect);
    await vi.advanceTimersByTimeAsync(LATE_MS);
    expect(nothingLeft()).toEqual(NOTHING_LEFT);
    await broadcast(callbackSearch({ code: 'too-late' }, sentState(win)));
    expect(log).toHaveLength(3);
  });
});

describe('a closed popup is never "open"', () => {
  it('opens a new window when asked again just after the user closed the popup, and ends the old flow as closed', async () => {
    const { open, popups } = stubOpen();
    const { connect, names } = connectWithLog();
    const first = connect.popup({ state: 'one' });
    popups[0].foreign = true;
    await vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS);
    popups[0].closed = true; // closed; the next poll has not run yet
    const second = connect.popup({ state: 'two' });
    expect(second).not.toBe(first);
    expect(open).toHaveBeenCalledTimes(2);
    await expect(first).rejects.toMatchObject({ code: 'popup_closed', state: 'one' });
    deliver(wire(callbackSearch({ code: 'c2' }, sentState(popups[1]))), ORIGIN, popups[1]);
    await expect(second).resolves.toMatchObject({ code: 'c2', state: 'two' });
    expect(names()).toEqual(['open', 'open', 'popup_closed', 'error', 'success']);
  });
});

describe('no half-open flow: every check before window.open', () => {
  it.each([
    ['timeoutMs as a BigInt', { timeoutMs: 10n }, 'timeoutMs'],
    [
      'a signal whose addEventListener throws',
      {
        signal: {
          aborted: false,
          addEventListener() {
            throw new Error('hostile');
          },
          removeEventListener() {},
        },
      },
      'signal',
    ],
  ])('rejects %s with a TypeError and opens nothing; the next popup() runs its own flow', async (_, options, name) => {
    const { open, last } = stubOpen();
    const { connect, log } = connectWithLog();
    await expect(connect.popup(options as never)).rejects.toThrow(`smartcar-connect: ${name} must be`);
    expect(open).not.toHaveBeenCalled();
    expect(log).toEqual([]);
    expect(nothingLeft()).toEqual(NOTHING_LEFT);
    const next = connect.popup({ state: 'next' });
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(next).resolves.toMatchObject({ state: 'next' });
  });
});

describe('re-entrancy', () => {
  it('a popup() from a popup_closed listener, while popup() ends a severed flow, shares the new flow: one window, nothing orphaned', async () => {
    const { open, popups } = stubOpen();
    const { connect } = connectWithLog();
    const first = connect.popup().catch(() => 'closed');
    popups[0].foreign = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    popups[0].closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS); // severed
    let fromListener: Promise<unknown> | undefined;
    connect.on('popup_closed', () => {
      fromListener = connect.popup({ state: 'listener' });
    });
    const outer = connect.popup({ state: 'outer' });
    expect(open).toHaveBeenCalledTimes(2);
    expect(fromListener).toBe(outer);
    expect(await first).toBe('closed');
    connect.destroy();
    await expect(outer).rejects.toMatchObject({ name: 'AbortError' });
    expect(nothingLeft()).toEqual(NOTHING_LEFT);
  });
});

mainDescribe('destroy()', () => {
  mainIt('removes attach()’s listeners: attached links work as links again', () => {
    stubOpen();
    const { connect } = connectWithLog();
    connect.attach('#link');
    connect.attach(document.getElementById('car')!);
    connect.destroy();
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.getElementById('link')!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
    expect(() => connect.attach('#link')).toThrow('Connect was cancelled');
  });
});

mainDescribe('storage refusing writes', () => {
  beforeEach(() => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
  });

  mainIt('redirect() rejects with a clear error, emits error (not open), and never navigates', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign });
    const { connect, log } = connectWithLog();
    const error = await rejection<ConnectError>(connect.redirect({ state: 's' }));
    expect(error).toMatchObject({ name: 'ConnectError', code: 'storage_unavailable', state: 's' });
    expect((error.cause as DOMException).name).toBe('QuotaExceededError');
    expect(log).toEqual([['error', error]]);
    expect(assign).not.toHaveBeenCalled();
  });

  mainIt('a blocked popup with fallback: redirect rejects the same way', async () => {
    stubOpen({ blocked: true });
    const { connect, names } = connectWithLog();
    await expect(connect.popup({ fallback: 'redirect' })).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(names()).toEqual(['error']);
  });
});

describe('methods that return a promise never throw', () => {
  type Call = [string, (c: ReturnType<typeof createConnect>) => Promise<unknown>];
  const mainOnlyCalls: Call[] = [
    ['redirect(null)', (c) => c.redirect(null as never)],
    ["handleRedirect('http://[')", (c) => c.handleRedirect('http://[')],
    ['handleRedirect(Symbol())', (c) => c.handleRedirect(Symbol() as never)],
  ];
  it.each<Call>([['popup(null)', (c) => c.popup(null as never)], ...(POPUP_ENTRY ? [] : mainOnlyCalls)])('%s rejects with a TypeError', async (_, call) => {
    const connect = createConnect({ clientId: 'a', redirectUri: REDIRECT_URI });
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = call(connect))).not.toThrow();
    await expect(promise).rejects.toThrow(TypeError);
  });
});

describe('options are checked exactly', () => {
  const base = { clientId: 'a', redirectUri: REDIRECT_URI };
  it.each([
    ['mode', ['live']],
    ['timeoutMs', true],
    ['timeoutMs', '5000'],
    ['timeoutMs', [1]],
    ['timeoutMs', { valueOf: () => 5000 }],
    ['timeoutMs', Symbol('t')],
    ['popup', { width: true }],
    ['popup', { width: '500' }],
    ['flags', [1]],
    ['flags', { country: { toString: () => 'DE' } }],
    ['flags', { country: Object.create(null) }],
    ['mode', Symbol('m')],
    ['connectOrigin', Object.create(null)],
    ['state', Object.create(null)],
    ['singleSelect', { vin: { toString: () => '1HGCM82633A004352' } }],
  ])('refuses %s: %s with a TypeError naming it', (name, value) => {
    expect(() => createConnect({ ...base, [name]: value })).toThrow(`smartcar-connect: ${name} must be`);
  });

  it('refuses url(null) and options that are not an object', () => {
    const connect = createConnect(base);
    expect(() => connect.url(null as never)).toThrow('smartcar-connect: options must be an object');
    expect(() => connect.url([] as never)).toThrow('smartcar-connect: options must be an object');
  });

  it('names the option whose getter throws, with the cause', () => {
    const options = {
      ...base,
      get scope(): string[] {
        throw new Error('getter');
      },
    };
    expect(() => createConnect(options)).toThrow('smartcar-connect: scope must be a list of permissions');
  });

  it('takes options from JSON.parse, with keys named like Object.prototype members, as plain data', () => {
    const options = JSON.parse(
      `{"clientId":"a","redirectUri":"${REDIRECT_URI}","constructor":1,"toString":2,"__proto__":{"mode":"bad"},"valueOf":3,"hasOwnProperty":4}`,
    ) as { clientId: string };
    const url = new URL(createConnect(options).url({ state: 's' }));
    expect(url.searchParams.get('mode')).toBe('live');
  });

  it('reads own options only: a polluted Object.prototype adds nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.make = 'POLLUTED';
    try {
      expect(new URL(createConnect(base).url()).searchParams.has('make')).toBe(false);
    } finally {
      delete proto.make;
    }
  });

  it('checks a value once and uses what it checked, whatever a getter returns later', () => {
    let reads = 0;
    const singleSelect = {
      get vin() {
        return reads++ === 0 ? '1HGCM82633A004352' : 'javascript:alert(1)';
      },
    };
    const url = new URL(createConnect(base).url({ singleSelect }));
    expect(url.searchParams.get('single_select_vin')).toBe('1HGCM82633A004352');
  });
});

describe('the channel is a COOP fallback, not a side door', () => {
  it('takes no channel answer while the flow’s popup is still in view, and still takes the real one from the popup', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    last().foreign = true;
    await broadcast(callbackSearch({ code: 'another-window' }, sentState(last())));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(names()).toEqual(['open']);
    deliver(wire(callbackSearch({ code: 'real' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'real' });
  });

  it('takes a channel answer that comes just before the app sees its popup vanish (a callback page served with COOP)', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    last().foreign = true;
    await vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS);
    await broadcast(callbackSearch({ code: 'coop-callback' }, sentState(last())));
    last().closed = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await expect(promise).resolves.toMatchObject({ code: 'coop-callback', state: 's' });
  });

  it('the callback page relays by channel only as a top-level window', () => {
    const posted = vi.fn();
    vi.stubGlobal(
      'BroadcastChannel',
      class {
        postMessage = posted;
        close() {}
      },
    );
    vi.stubGlobal('close', vi.fn());
    history.replaceState(null, '', '/connect/callback?code=c&state=s');
    vi.stubGlobal('top', {}); // framed by another page
    expect(relayConnectResponse()).toBe('none');
    expect(posted).not.toHaveBeenCalled();
    vi.stubGlobal('top', window);
    expect(relayConnectResponse()).toBe('channel');
  });
});

mainDescribe('the same-window flow’s storage', () => {
  mainIt('removes a malformed stored flow when it reads it', async () => {
    sessionStorage.setItem('smartcar-connect:popups', '{not json');
    history.replaceState(null, '', '/connect/callback?code=c&state=x'); // the redirect URI's page
    const { connect } = connectWithLog();
    await expect(connect.handleRedirect()).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(sessionStorage.getItem('smartcar-connect:popups')).toBeNull();
  });
});

describe('environments that refuse', () => {
  it('runs a flow by postMessage where BroadcastChannel cannot be created (an opaque origin)', async () => {
    const { last } = stubOpen();
    vi.stubGlobal(
      'BroadcastChannel',
      class {
        constructor() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        }
      },
    );
    const { connect } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c', state: 's' });
  });

  it('treats a window.open that throws as a blocked popup', async () => {
    vi.stubGlobal('open', () => {
      throw new Error('window.open replaced by a page script');
    });
    const { connect } = connectWithLog();
    await expect(connect.popup()).rejects.toMatchObject({ name: 'PopupBlockedError' });
  });
});

describe('a message whose getters throw', () => {
  it('is ignored, even from the flow’s own window on the right origin, and the real answer still counts', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const promise = connect.popup({ state: 's' });
    const hostile = Object.defineProperty({}, 'type', {
      get() {
        throw new Error('getter');
      },
    });
    expect(() => deliver(hostile, ORIGIN, last())).not.toThrow();
    expect(names()).toEqual(['open']);
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c' });
  });
});
