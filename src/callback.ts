import { CHANNEL, responseMessage } from './protocol';

/** How the response left the callback page. */
export type RelayRoute = 'opener' | 'channel' | 'none';

/**
 * Runs on the popup's `redirectUri` page: sends Connect's redirect to the app
 * that opened the popup, then closes the window. The query goes to
 * `window.opener`, restricted to this page's own origin; when there is no
 * opener (Cross-Origin-Opener-Policy, noopener, a new tab) and the page is a
 * top-level window (not framed by another page), it goes through a
 * BroadcastChannel of this origin. Connect's parameters are removed from the
 * address bar first. It renders nothing from the URL and never throws.
 *
 * @example
 * import { relayConnectResponse } from 'smartcar-connect-browser/callback';
 * relayConnectResponse();
 */
export function relayConnectResponse(): RelayRoute {
  let route: RelayRoute = 'none';
  try {
    const message = responseMessage(location.search);
    history.replaceState(history.state, '', location.pathname + location.hash);
    const opener = window.opener as Window | null;
    if (opener && !opener.closed) {
      opener.postMessage(message, location.origin);
      route = 'opener';
    } else if (top === self && typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel(CHANNEL);
      channel.postMessage(message);
      channel.close();
      route = 'channel';
    }
    close();
  } catch {
    // a page that cannot relay still must not break: the app's flow ends by its own watch
  }
  return route;
}
