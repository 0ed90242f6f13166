import { matchAnswer } from './door';
import type { PopupHost } from './engine';
import { ConnectError, StateMismatchError } from './errors';
import { emitAndReject, noWindow, prepare } from './flow';
import { badOption, type FlowOptions } from './options';
import { inFrame, inOwnPopup } from './popup-window';
import { NAVIGATE, nonceOf } from './protocol';
import { FLOW_TTL_MS, forget, redirectFlow, remember, remembers } from './records';
import { ANSWER_PARAMS, CONNECT_PARAMS, type ConnectResponse, type ConnectSuccess } from './response';

// The same-window flow: redirect() remembers the flow in this tab (one per client id) and leaves for
// Connect; handleRedirect() reads the answer on return.

/** What the same-window flow needs of the client: its options and events, as the popup flows do. */
export interface RedirectHost extends Pick<PopupHost, '_app' | '_owner' | '_emitOrThrow' | '_opened' | '_destroyed' | '_pages'> {
  /** A popup flow's answer the callback page kept while the app reloaded, delivered once; or null. */
  _kept: () => Promise<ConnectSuccess | null>;
}

/** The last answer handleRedirect() read: under the URL it came from and the clean URL it left in the address bar. */
interface Handled {
  _urls: string[];
  _answer: Promise<ConnectSuccess | null>;
}

/** The same-window flows of one client. */
export function createRedirects(host: RedirectHost) {
  let handled: Handled | undefined;
  return {
    redirect: (input?: FlowOptions): Promise<void> => redirect(host, input),
    handleRedirect: (url?: string): Promise<ConnectSuccess | null> => {
      if (typeof window !== 'object') return Promise.reject(noWindow());
      const href = url === undefined ? location.href : url;
      let target: URL;
      try {
        target = new URL(typeof href === 'string' ? href : '//[', location.href);
      } catch (cause) {
        return Promise.reject(badOption('url', 'a URL', cause));
      }
      if (!handled?._urls.includes(href)) handled = readOnce(host, href, target);
      return handled._answer;
    },
  };
}

/** Remembers the flow and sends this window to Connect; never throws: a refusal rejects, without leaving. */
function redirect(host: RedirectHost, input: FlowOptions | undefined): Promise<void> {
  // A throw inside a promise's executor rejects it.
  return new Promise((resolve) => {
    const app = host._app;
    const { _options: o, _refused: preflightRefusal, _expected: expected, _href: to } = prepare(app, input, host._destroyed(), host._pages);
    if (inFrame()) throw inFrameError();
    if (preflightRefusal) return resolve(emitAndReject(host._emitOrThrow, preflightRefusal));
    const href = to();
    const refused = remember({ ...expected, clientId: app.clientId, owner: host._owner, until: Date.now() + FLOW_TTL_MS, flow: 'redirect' });
    if (refused) {
      // Storage full or blocked: the flow could never be checked on return, so it does not start.
      forget(expected.nonce);
      const error = new ConnectError('storage_unavailable', 'sessionStorage is unavailable', { state: o.state, cause: refused });
      return resolve(emitAndReject(host._emitOrThrow, error));
    }
    const simulated = (globalThis as { [NAVIGATE]?: (href: string) => void })[NAVIGATE];
    if (simulated) simulated(href);
    else location.assign(href);
    host._opened(href);
    resolve();
  });
}

/** What redirect() (and so `fallback: 'redirect'`) rejects with in a frame, which it never sends to Connect. */
const inFrameError = (): DOMException =>
  new DOMException(
    "smartcar-connect: in a frame the same-window flow would send the frame itself to Connect, and the answer would come back into it. Use popup() from a click, or url() and navigate the top window yourself",
    'InvalidStateError',
  );

/**
 * Reads the answer in `href` once. A second call at once (React's StrictMode runs effects twice) sees the
 * cleaned address bar: it shares the answer instead of finding none. Later calls on that clean URL (a page
 * back from the cache, a later visit) find no answer there, and a URL that carried none is read anew.
 */
function readOnce(host: RedirectHost, href: string, target: URL): Handled {
  const own = target.href === location.href;
  const carries = ANSWER_PARAMS.some((name) => target.searchParams.has(name));
  const handled = { _urls: [href], _answer: answerIn(host, target) };
  if (own) {
    handled._urls.push(location.href);
    setTimeout(() => handled._urls.splice(carries ? 1 : 0));
  }
  return handled;
}

/** Connect's answer in `target`: the app's own flow's, a kept popup answer when there is none, or null where it is not this page's. */
function answerIn(host: RedirectHost, target: URL): Promise<ConnectSuccess | null> {
  const params = target.searchParams;
  // No answer in the URL: perhaps one the callback page kept while the app reloaded.
  if (!ANSWER_PARAMS.some((name) => params.has(name))) return host._kept();
  // Another provider's redirect, an email link's code: left as it is, for the app's own handler.
  if (!isConnectAnswer(host, target)) return Promise.resolve(null);
  // The app in a popup of its own origin: an answer that is not this tab's own same-window flow is the
  // opener's to read from this window's address bar; it is left as it is.
  if (inOwnPopup() && redirectFlow(host._app.clientId)?.nonce !== nonceOf(params.get('state'))) return Promise.resolve(null);
  return new Promise((resolve) => resolve(host._emitOrThrow(read(host, target))));
}

/**
 * Whether the answer in `target` is this SDK's: its state names a flow this tab remembers, or it is the redirect
 * URI's page (same origin and path), where a wrong or missing state is a StateMismatchError.
 */
function isConnectAnswer(host: RedirectHost, target: URL): boolean {
  const nonce = nonceOf(target.searchParams.get('state'));
  if (nonce !== null && remembers(nonce)) return true;
  const uri = host._app.redirectUri ? new URL(host._app.redirectUri) : undefined;
  return uri?.origin === target.origin && uri.pathname === target.pathname;
}

/**
 * Reads Connect's answer from a return URL: forgets the remembered flow, checks the state against it, and, when the
 * URL is the page's own, removes Connect's parameters from the address bar (keeping the app's own and the hash), so
 * neither a reload nor going back presents it again.
 */
function read(host: RedirectHost, target: URL): ConnectResponse {
  const flow = redirectFlow(host._app.clientId);
  if (flow) forget(flow.nonce);
  const search = target.search;
  if (target.href === location.href) {
    for (const name of CONNECT_PARAMS) target.searchParams.delete(name);
    history.replaceState(history.state, '', target.href);
  }
  return (flow && matchAnswer(search, flow, true)) || { ok: false, error: new StateMismatchError(undefined, { state: flow?.appState }) };
}
