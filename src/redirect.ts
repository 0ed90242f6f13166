import { ConnectError, StateMismatchError } from './errors';
import { fail, FLOW_TTL_MS, matchResponse, noWindow, nonceOf, prepare, readExpected, type Expected } from './flow';
import { badOption, type FlowOptions } from './options';
import { inOwnPopup } from './pending';
import type { PopupHost } from './popup';
import { NAVIGATE } from './protocol';
import { ANSWER_PARAMS, CONNECT_PARAMS, type ConnectResponse, type ConnectSuccess } from './response';

/** What the same-window flow needs of the client: its options and reporting, as the popup flows do. */
export interface RedirectHost extends Pick<PopupHost, '_app' | '_report' | '_opened' | '_destroyed' | '_pages'> {
  /** A popup flow's answer the callback page kept while the app reloaded, reported once; or null. */
  _kept: () => Promise<ConnectSuccess | null>;
}

/**
 * The same-window flows of one client: `redirect()` keeps the flow in this tab's sessionStorage
 * (one flow per client id) and leaves for Connect; `handleRedirect()` reads the answer on return.
 */
export function createRedirects(host: RedirectHost) {
  const app = host._app;
  const key = `smartcar-connect:${app.clientId}`;
  // The last answer read, under the URL it came from and the clean URL it left in the address bar.
  let handled: { _urls: string[]; _answer: Promise<ConnectSuccess | null> } | undefined;

  /** The stored flow; with `take`, removed before it is read (a flow answers once). Missing, stale or malformed gives nothing. */
  function storedFlow(take?: boolean): Expected | undefined {
    try {
      const stored = sessionStorage.getItem(key);
      if (take) sessionStorage.removeItem(key);
      const flow = JSON.parse(stored ?? 'null') as { at?: unknown } | null;
      const age = Date.now() - (flow?.at as number);
      return typeof flow?.at === 'number' && age >= 0 && age < FLOW_TTL_MS ? readExpected(flow) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Reads Connect's answer from a return URL that carries one: consumes the stored flow, checks
   * the state against it, and, when the URL is the page's own, removes Connect's parameters from
   * the address bar (keeping the app's own parameters and hash), so that neither a reload nor
   * going back can present the answer again.
   */
  function read(target: URL): ConnectResponse {
    const params = target.searchParams;
    const search = target.search;
    const flow = storedFlow(true);
    if (target.href === location.href) {
      for (const name of CONNECT_PARAMS) params.delete(name);
      history.replaceState(history.state, '', target.href);
    }
    return (flow && matchResponse(search, flow, true)) || { ok: false, error: new StateMismatchError(undefined, { state: flow?.appState }) };
  }

  return {
    redirect: (input?: FlowOptions): Promise<void> =>
      // A throw inside a promise's executor rejects it: this method never throws.
      new Promise((resolve) => {
        const { _o: o, _refused: refused, _expected: expected, _href: to } = prepare(app, input, host._destroyed(), host._pages);
        if (refused) return resolve(fail(host._report, refused));
        const href = to();
        try {
          sessionStorage.setItem(key, JSON.stringify({ ...expected, at: Date.now() }));
        } catch (cause) {
          // Storage full or blocked: the flow could never be checked on return, so it does not start.
          const error = new ConnectError('storage_unavailable', 'sessionStorage is unavailable', { state: o.state, cause });
          return resolve(fail(host._report, error));
        }
        const simulated = (globalThis as { [NAVIGATE]?: (href: string) => void })[NAVIGATE];
        if (simulated) simulated(href);
        else location.assign(href);
        host._opened(href);
        resolve();
      }),

    handleRedirect: (url?: string): Promise<ConnectSuccess | null> => {
      if (typeof window !== 'object') return Promise.reject(noWindow());
      const href = url === undefined ? location.href : url;
      let target: URL;
      try {
        target = new URL(typeof href === 'string' ? href : '//[', location.href);
      } catch (cause) {
        return Promise.reject(badOption('url', 'a URL', cause));
      }
      if (!handled?._urls.includes(href)) {
        const own = target.href === location.href;
        const params = target.searchParams;
        const carries = ANSWER_PARAMS.some((name) => params.has(name));
        const answer = new Promise<ConnectSuccess | null>((resolve) => {
          // No answer in the URL: perhaps one the callback page kept while the app reloaded.
          if (!carries) return resolve(host._kept());
          // The app in a popup of its own origin: an answer that is not this tab's own same-window
          // flow is the opener's to read from this window's address bar; it is left as it is.
          if (inOwnPopup() && storedFlow()?.nonce !== nonceOf(params.get('state'))) return resolve(null);
          resolve(host._report(read(target)));
        });
        const urls = [href];
        handled = { _urls: urls, _answer: answer };
        // A second call at once (React's StrictMode runs effects twice) sees the cleaned address bar:
        // it shares the answer instead of finding none, so neither caller can lose it. Later calls on
        // that clean URL (a page back from the cache, a later visit) find no answer there, and a URL
        // that carried none is read anew.
        if (own) {
          urls.push(location.href);
          setTimeout(() => urls.splice(carries ? 1 : 0));
        }
      }
      return handled._answer;
    },
  };
}
