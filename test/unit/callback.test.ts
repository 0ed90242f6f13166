import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { relayConnectResponse } from '../../src/callback';
import { CONFIGURATION_ERROR_URL } from '../fixtures/connect';
import { realDelay } from './harness';

const QUERY = CONFIGURATION_ERROR_URL.slice(CONFIGURATION_ERROR_URL.indexOf('?'));

let closed: ReturnType<typeof vi.fn>;
beforeEach(() => {
  history.replaceState(null, '', `/connect/callback${QUERY}&state=abc#keep`);
  closed = vi.fn();
  vi.stubGlobal('close', closed);
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('relayConnectResponse() on the callback page', () => {
  it('posts the raw query to the opener, restricted to its own origin, then closes the window', () => {
    const postMessage = vi.fn();
    vi.stubGlobal('opener', { closed: false, postMessage });
    expect(relayConnectResponse()).toBe('opener');
    expect(postMessage).toHaveBeenCalledExactlyOnceWith(
      { type: 'smartcar-connect:response', version: 1, search: `${QUERY}&state=abc` },
      location.origin,
    );
    expect(closed).toHaveBeenCalledOnce();
  });

  it('removes Connect’s parameters from the address bar, keeping the path and hash', () => {
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() });
    relayConnectResponse();
    expect(location.pathname + location.search + location.hash).toBe('/connect/callback#keep');
  });

  it('delivers through the BroadcastChannel when there is no opener (COOP, noopener, a new tab)', async () => {
    vi.stubGlobal('opener', null);
    const received = new Promise((resolve) => {
      const channel = new BroadcastChannel('smartcar-connect');
      channel.onmessage = (e) => {
        channel.close();
        resolve(e.data);
      };
    });
    expect(relayConnectResponse()).toBe('channel');
    await expect(Promise.race([received, realDelay(1000).then(() => 'nothing')])).resolves.toEqual({
      type: 'smartcar-connect:response',
      version: 1,
      search: `${QUERY}&state=abc`,
    });
  });

  it('uses the channel when the opener is already closed', () => {
    const postMessage = vi.fn();
    vi.stubGlobal('opener', { closed: true, postMessage });
    expect(relayConnectResponse()).toBe('channel');
    expect(postMessage).not.toHaveBeenCalled();
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

  it('renders nothing from the URL, whatever it holds', () => {
    history.replaceState(null, '', `/connect/callback?error=configuration_error&error_message=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    vi.stubGlobal('opener', { closed: false, postMessage: vi.fn() });
    const before = document.documentElement.outerHTML;
    relayConnectResponse();
    expect(document.documentElement.outerHTML).toBe(before);
    expect(document.querySelector('img')).toBeNull();
  });
});
