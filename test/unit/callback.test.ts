import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { relayConnectResponse } from '../../src/callback';
import { ACK_MS, DONE_MS } from '../../src/protocol';
import { CONFIGURATION_ERROR_URL } from '../fixtures/connect';
import { NativeChannel, realDelay } from './harness';

const QUERY = CONFIGURATION_ERROR_URL.slice(CONFIGURATION_ERROR_URL.indexOf('?'));
const KEPT_TEXT = 'Done. You can close this window and return to the app.';

// Each test's flow has a nonce of its own: a relay of an earlier test may still wait on the channel.
let NONCE: string;
let STATE: string;
let closed: ReturnType<typeof vi.fn>;
beforeEach(() => {
  NONCE = crypto.randomUUID().replaceAll('-', '');
  STATE = `${NONCE}.user-42`;
  history.replaceState(null, '', `/connect/callback${QUERY}&state=${STATE}#keep`);
  closed = vi.fn();
  vi.stubGlobal('close', closed);
  // The relay's own timer runs on a fake clock, so no relay outlives its test; channels still deliver in real time.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  document.body.innerHTML = '';
});

/** What the app wrote before it opened the popup: this tab's copy of its sessionStorage holds it. */
const rememberedByTheApp = () => sessionStorage.setItem('smartcar-connect:popups', JSON.stringify([{ nonce: NONCE, clientId: 'app-id' }]));
const kept = () => localStorage.getItem(`smartcar-connect:kept:${NONCE}`);

/** Waits for the channel's first message on the page's own BroadcastChannel, or says nothing came. */
function nextOnChannel(): Promise<unknown> {
  const heard = new Promise((resolve) => {
    const channel = new NativeChannel('smartcar-connect');
    channel.onmessage = (e) => {
      channel.close();
      resolve(e.data);
    };
  });
  return Promise.race([heard, realDelay(1000).then(() => 'nothing')]);
}

describe('relayConnectResponse() on the callback page', () => {
  it('posts the raw query to the opener, restricted to its own origin, and leaves closing to the app that takes it', () => {
    const postMessage = vi.fn();
    vi.stubGlobal('opener', { closed: false, postMessage });
    expect(relayConnectResponse()).toBe('opener');
    expect(postMessage).toHaveBeenCalledExactlyOnceWith({ type: 'smartcar-connect:response', version: 1, search: `${QUERY}&state=${STATE}` }, location.origin);
    expect(closed).not.toHaveBeenCalled();
  });

  it('removes Connect’s parameters from the address bar, keeping the path and hash', () => {
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() });
    relayConnectResponse();
    expect(location.pathname + location.search + location.hash).toBe('/connect/callback#keep');
  });

  it('keeps the answer for the app’s tab when nothing takes it within the moment, and says so in plain text a moment later', () => {
    rememberedByTheApp();
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() }); // the app reloaded: nobody listens
    relayConnectResponse();
    vi.advanceTimersByTime(ACK_MS - 1);
    expect([kept(), document.body.textContent]).toEqual([null, '']);
    vi.advanceTimersByTime(1);
    expect(JSON.parse(kept()!)).toEqual({ search: `${QUERY}&state=${STATE}`, at: Date.now() });
    // A live page of the app may still take what was kept, and close this window: not "Done" yet.
    vi.advanceTimersByTime(DONE_MS - 1);
    expect(document.body.textContent).toBe('');
    vi.advanceTimersByTime(1);
    expect(document.body.textContent).toBe(KEPT_TEXT);
    expect(closed).not.toHaveBeenCalled();
  });

  it('closes itself, without a word, when a page of the app takes what it kept and says so on the channel (also under an opener)', async () => {
    rememberedByTheApp();
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() }); // an opener that is leaving: it takes nothing
    const app = new NativeChannel('smartcar-connect');
    relayConnectResponse();
    vi.advanceTimersByTime(ACK_MS);
    expect(kept()).not.toBeNull();
    app.postMessage({ type: 'smartcar-connect:ack', version: 1, state: STATE }); // the app's tab took it, later
    for (let waited = 0; !closed.mock.calls.length && waited < 5000; waited += 10) await realDelay(10);
    app.close();
    expect(closed).toHaveBeenCalledOnce();
    expect(document.body.textContent).toBe('');
  });

  it('keeps nothing for a window the app did not open (no record of the flow in its sessionStorage), whatever its state', () => {
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() });
    relayConnectResponse();
    vi.advanceTimersByTime(ACK_MS + DONE_MS);
    expect(kept()).toBeNull();
    history.replaceState(null, '', `/connect/callback?code=c&state=${encodeURIComponent('__proto__')}`);
    relayConnectResponse();
    vi.advanceTimersByTime(ACK_MS + DONE_MS);
    expect(localStorage.length).toBe(0);
    expect(document.body.textContent).toBe(''); // nothing was kept or taken: no "Done"
  });

  it('delivers through the BroadcastChannel when there is no opener (COOP, noopener, a new tab)', async () => {
    vi.stubGlobal('opener', null);
    const received = nextOnChannel();
    expect(relayConnectResponse()).toBe('channel');
    await expect(received).resolves.toEqual({ type: 'smartcar-connect:response', version: 1, search: `${QUERY}&state=${STATE}` });
  });

  it('closes itself and keeps nothing once a flow acknowledges its answer on the channel (saying "Done" only if the window stays open); another state’s acknowledgement changes nothing', async () => {
    rememberedByTheApp();
    vi.stubGlobal('opener', null);
    const app = new NativeChannel('smartcar-connect');
    app.onmessage = () => {
      app.postMessage({ type: 'smartcar-connect:ack', version: 1, state: `${'f'.repeat(32)}.user-42` });
      app.postMessage({ type: 'smartcar-connect:ack', version: 1, state: STATE });
    };
    relayConnectResponse();
    for (let waited = 0; !closed.mock.calls.length && waited < 5000; waited += 10) await realDelay(10);
    app.close();
    expect(closed).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(DONE_MS - 1);
    expect([kept(), document.body.textContent]).toEqual([null, '']);
    vi.advanceTimersByTime(ACK_MS);
    expect([kept(), document.body.textContent]).toEqual([null, KEPT_TEXT]); // jsdom keeps the window open
  });

  it('uses the channel when the opener is already closed', () => {
    const postMessage = vi.fn();
    vi.stubGlobal('opener', { closed: true, postMessage });
    expect(relayConnectResponse()).toBe('channel');
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('relays nothing, keeps nothing and closes when framed by another page (no opener, not top-level)', () => {
    rememberedByTheApp();
    vi.stubGlobal('opener', null);
    vi.stubGlobal('top', {});
    expect(relayConnectResponse()).toBe('none');
    expect(closed).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(ACK_MS + DONE_MS);
    expect([kept(), document.body.textContent]).toEqual([null, '']);
  });

  it('never throws: an opener that refuses, no channel, a history that throws', () => {
    vi.stubGlobal('opener', {
      closed: false,
      postMessage: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    expect(relayConnectResponse()).toBe('none');
    vi.stubGlobal('opener', null);
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(relayConnectResponse()).toBe('none');
    vi.spyOn(history, 'replaceState').mockImplementation(() => {
      throw new Error('blocked');
    });
    expect(() => relayConnectResponse()).not.toThrow();
  });

  it('renders nothing from the URL, whatever it holds, and keeps it only as the raw query', () => {
    rememberedByTheApp();
    const markup = '<img src=x onerror=alert(1)>';
    history.replaceState(null, '', `/connect/callback?error=configuration_error&error_message=${encodeURIComponent(markup)}&state=${STATE}`);
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() });
    relayConnectResponse();
    vi.advanceTimersByTime(ACK_MS + DONE_MS);
    expect(document.body.innerHTML).toBe(KEPT_TEXT);
    expect(document.querySelector('img')).toBeNull();
    expect(new URLSearchParams((JSON.parse(kept()!) as { search: string }).search).get('error_message')).toBe(markup);
  });
});
