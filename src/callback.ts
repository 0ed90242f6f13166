import { ACK_MS, CHANNEL, DONE_MS, isAck, KEPT_PREFIX, PENDING_KEY, responseMessage } from './protocol';

/** How the response left the callback page. */
export type RelayRoute = 'opener' | 'channel' | 'none';

/** What the page says when no live flow took the answer: plain text, nothing from the URL. */
const KEPT_TEXT = 'Done. You can close this window and return to the app.';

/**
 * Runs on the popup's `redirectUri` page: sends Connect's redirect to the app
 * that opened the popup. The query goes to `window.opener`, restricted to this
 * page's own origin; when there is no opener (Cross-Origin-Opener-Policy,
 * noopener, a navigation the browser started in the popup, a new tab) and the
 * page is a top-level window (not framed by another page), it goes through a
 * BroadcastChannel of this origin. Connect's parameters are removed from the
 * address bar first.
 *
 * A live flow takes the answer and closes the window (a flow that cannot,
 * says so on the channel, and the page closes itself). Without that within two
 * seconds (the app reloaded or left while the user was in Connect), the page
 * keeps the answer in this origin's localStorage for the app's tab to pick up
 * (10 minutes at most, once), but only when the app itself opened this window.
 * It tells the user in plain text that they can return to the app only once the
 * answer is kept (and no page took it meanwhile) or taken by a page that could
 * not close this window. It renders nothing from the URL and never throws.
 *
 * @example
 * import { relayConnectResponse } from 'smartcar-connect-browser/callback';
 * relayConnectResponse();
 */
export function relayConnectResponse(): RelayRoute {
  let route: RelayRoute = 'none';
  try {
    const search = location.search;
    const state = new URLSearchParams(search).get('state');
    const message = responseMessage(search);
    history.replaceState(history.state, '', location.pathname + location.hash);
    const opener = window.opener as Window | null;
    const topLevel = top === self && typeof BroadcastChannel === 'function';
    // One timer at a time: keeping the answer, then telling the user (a flow that took it may still close this window).
    const tell = () => (timer = setTimeout(() => document.body.append(KEPT_TEXT), DONE_MS));
    let timer = setTimeout(() => keep(search, state) && tell(), ACK_MS);
    if (opener && !opener.closed) {
      // A live flow takes the answer and closes this window: that is its acknowledgement.
      opener.postMessage(message, location.origin);
      route = 'opener';
    } else if (topLevel) route = 'channel';
    else {
      clearTimeout(timer);
      close();
    }
    if (topLevel) {
      // A flow that takes the answer but cannot close this window says so on the channel.
      const channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (e) => {
        if (!isAck(e.data, state)) return;
        clearTimeout(timer);
        close();
        tell(); // seen only where the browser keeps the window open
      };
      if (route === 'channel') channel.postMessage(message);
    }
  } catch {
    // a page that cannot relay still must not break: the app's flow ends by its own watch
  }
  return route;
}

/**
 * Keeps the answer for this origin, only for a flow the app remembered before it opened this window (this tab's copy
 * of its sessionStorage lists the flow's nonce): a window anyone else opened keeps nothing, and says nothing.
 */
function keep(search: string, state: string | null): true | undefined {
  try {
    const nonce = `${state}`.split('.')[0];
    if (sessionStorage.getItem(PENDING_KEY)?.includes(`"nonce":"${nonce}"`)) {
      localStorage.setItem(KEPT_PREFIX + nonce, JSON.stringify({ search, at: Date.now() }));
      return true;
    }
  } catch {
    // no storage: the answer cannot outlive this page
  }
}
