import { ERROR_CODES, PopupBlockedError, PopupClosedError, TimeoutError, type AnyConnectError, type ConnectErrorCode } from './errors';
import { createEmitter, type ConnectEventName, type ConnectEvents, type ConnectListener } from './events';
import { openPopup, watchPopup, type PopupSize, type PopupWatch } from './popup';
import { preflight } from './preflight';
import type { ConnectResponse, ConnectSuccess } from './response';
import { createNonce, wireState, type Expected } from './state';
import { attachTo, type AttachTarget } from './buttons';
import { readRedirect, startRedirect } from './redirect';
import { badOption, buildConnectUrl, checkAppOptions, checkOptions, CONNECT_ORIGIN, type AppOptions, type FlowOptions } from './url';

/** What `createConnect` takes: the application's side of Connect. */
export interface ConnectOptions extends AppOptions {
  /** Popup size; defaults to 500 × 700, kept on screen. */
  popup?: PopupSize;
  /** Give up after this many milliseconds (default: never; logging in to a carmaker takes time). */
  timeoutMs?: number;
}

/** What `popup()` takes besides the flow's own options. */
export interface PopupOptions extends FlowOptions {
  /** Cancels the flow: the popup closes and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Overrides the constructor's `timeoutMs` for this flow. */
  timeoutMs?: number;
  /** `'redirect'`: when the browser blocks the popup, continue in this window instead of failing. */
  fallback?: 'redirect';
}

/** What `attach()` takes: the flow to start, and that flow's options. */
export interface AttachOptions extends PopupOptions {
  /** `'popup'` (default) or `'redirect'` (the same window). */
  flow?: 'popup' | 'redirect';
}

/** One Connect client: flows, events and their clean-up. */
export interface Connect {
  /**
   * Opens Connect in a popup. Call it straight from a click handler. While a
   * popup is open, another call focuses it and returns the same promise.
   *
   * @example
   * button.onclick = async () => {
   *   try { const { code } = await connect.popup({ state: 'user-42' }); await sendToServer(code); }
   *   catch (e) { if (isConnectError(e)) show(e.description); }
   * };
   */
  popup(options?: PopupOptions): Promise<ConnectSuccess>;
  /**
   * Sends this window to Connect. The flow (its nonce and your state) waits
   * in sessionStorage for `handleRedirect()` on the return route, for an hour
   * at most. Resolves once the navigation starts; rejects, without leaving,
   * on a bad option or a VIN the preflight refuses.
   *
   * @example
   * link.onclick = (e) => { e.preventDefault(); void connect.redirect({ state: 'user-42' }); };
   */
  redirect(options?: FlowOptions): Promise<void>;
  /**
   * On the return route: reads Connect's answer from the URL (default
   * `location.href`), checks it against the stored flow, consumes the flow,
   * cleans Connect's parameters out of the address bar, and emits the events.
   * Resolves with null when the URL carries no answer. Calls with the same
   * URL share one answer.
   *
   * @example
   * const result = await connect.handleRedirect();
   * if (result) await sendToServer(result.code);
   */
  handleRedirect(url?: string): Promise<ConnectSuccess | null>;
  /**
   * Starts a flow from clicks on `target` (a selector, an element or a list)
   * and from Enter or Space on elements that are not buttons or links. The
   * element carries `aria-busy="true"` while its flow is pending; results and
   * errors arrive through the events. Returns `detach`.
   *
   * @example
   * const detach = connect.attach('#connect-car', { flow: 'popup', fallback: 'redirect' });
   * connect.on('success', ({ code }) => sendToServer(code));
   */
  attach(target: AttachTarget, options?: AttachOptions): () => void;
  /**
   * Subscribes to an event; returns the function that unsubscribes.
   *
   * @example
   * const off = connect.on('configuration_error', (e) => show(e.errorMessage));
   */
  on<K extends ConnectEventName>(type: K, listener: ConnectListener<K>): () => void;
  /**
   * The authorize URL with this client's options, for apps that navigate
   * themselves. It starts no flow: `state` is sent exactly as given.
   *
   * @example
   * link.href = connect.url({ state: 'user-42' });
   */
  url(options?: FlowOptions): string;
  /**
   * Ends everything: closes the popup, rejects a pending flow with an
   * `AbortError`, removes every listener. Later flows reject with an `AbortError` too.
   *
   * @example
   * onUnmount(() => connect.destroy());
   */
  destroy(): void;
}

type Outcome = ConnectResponse | { abort: unknown };

interface PendingPopup {
  promise: Promise<ConnectSuccess>;
  watch?: PopupWatch;
  settle: (outcome: Outcome) => void;
  /** Ends the flow as closed (its own PopupClosedError, with the app's state). */
  closed?: () => void;
}

const abortError = (): DOMException => new DOMException('Connect was cancelled', 'AbortError');

/**
 * Creates a Connect client. Throws `TypeError` naming the first bad option.
 * Touches no browser global until a flow starts, so it is safe under SSR.
 *
 * @example
 * const connect = createConnect({
 *   clientId: 'app-id',
 *   redirectUri: 'https://app.example/connect/callback',
 *   scope: ['read_vehicle_info', 'required:read_odometer'],
 *   mode: 'test',
 * });
 */
export function createConnect(options: ConnectOptions): Connect {
  const clientId = checkAppOptions(options);
  const app: ConnectOptions = { ...options, clientId, applicationId: undefined };
  const redirectUri = app.redirectUri && new URL(app.redirectUri);
  const emitter = createEmitter();
  let current: PendingPopup | undefined;
  let destroyed = false;
  // The last answer read, under the URL it came from and the clean URL it left in the address bar.
  let handled: { urls: string[]; answer: Promise<ConnectSuccess | null> } | undefined;

  /** Emits a settled response's events; returns the success or throws the error. */
  function report(flow: ConnectSuccess['flow'], response: ConnectResponse): ConnectSuccess {
    if (!response.ok) {
      const error = response.error;
      // Only the table's codes have events: a code spelled 'success', 'open' or 'error' emits error alone.
      if (ERROR_CODES.includes(error.code as ConnectErrorCode)) emitter.emit(error.code as ConnectErrorCode, error as never);
      emitter.emit('error', error);
      throw error;
    }
    const success: ConnectSuccess = { flow, ...response.result };
    emitter.emit('success', success);
    return success;
  }

  // report() throws the error after emitting it; a throwing executor rejects the promise.
  const fail = (error: AnyConnectError, flow: ConnectSuccess['flow'] = 'popup'): Promise<never> =>
    new Promise(() => report(flow, { ok: false, error }));

  const url = (flow: FlowOptions = {}): string => buildConnectUrl({ ...flow, ...app });

  /** What every flow checks before it starts; returns the preflight's refusal, if any. */
  function prepare(flow: FlowOptions) {
    if (destroyed) throw abortError();
    checkOptions(flow);
    return preflight(app.mode, typeof flow.singleSelect === 'object' ? flow.singleSelect.vin : undefined);
  }

  // A throw inside a promise's executor rejects it: no method that returns a promise throws.
  const redirect = (flow: FlowOptions = {}): Promise<void> =>
    new Promise((resolve) => {
      const refused = prepare(flow);
      if (refused) report('redirect', { ok: false, error: refused });
      const expected: Expected = { nonce: createNonce(), appState: flow.state };
      const href = url({ ...flow, state: wireState(expected) });
      emitter.emit('open', { flow: 'redirect', url: href });
      startRedirect(clientId, expected, href);
      resolve();
    });

  function handleRedirect(href: string = location.href): Promise<ConnectSuccess | null> {
    if (!handled?.urls.includes(href)) {
      const own = new URL(href, location.href).href === location.href;
      const answer = new Promise<ConnectSuccess | null>((resolve) => {
        const response = readRedirect(clientId, href);
        resolve(response && report('redirect', response));
      });
      const urls = [href];
      handled = { urls, answer };
      // A second call at once (React's StrictMode runs effects twice) sees the cleaned address bar:
      // it shares the answer instead of finding none, so neither caller can lose it. Later calls on
      // that clean URL (a page back from the cache, a later visit) find no answer there.
      if (own) {
        urls.push(location.href);
        setTimeout(() => urls.pop());
      }
    }
    return handled.answer;
  }

  function popup(flow: PopupOptions = {}): Promise<ConnectSuccess> {
    if (current?.watch && !current.watch.severed) {
      current.watch.win.focus();
      return current.promise;
    }

    // Who may answer: the callback page on this origin; a hosted page (such as the official SDK's)
    // whose redirect URI names this origin in app_origin; Connect itself when there is no redirect URI.
    const answerOrigin = redirectUri ? redirectUri.origin : new URL(app.connectOrigin || CONNECT_ORIGIN).origin;
    let refused: AnyConnectError | undefined;
    let href: string;
    const { state, signal, fallback } = flow;
    const expected: Expected = { nonce: createNonce(), appState: state };
    try {
      refused = prepare(flow);
      if (redirectUri && answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
        throw badOption('redirectUri', "on this page's origin (or name it in app_origin)");
      }
      href = refused ? '' : buildConnectUrl({ ...flow, ...app, state: wireState(expected), appOrigin: location.origin });
    } catch (e) {
      return Promise.reject(e);
    }
    if (refused) return fail(refused);
    if (signal?.aborted) return Promise.reject(signal.reason ?? abortError());
    // A severed popup cannot be focused: the user asking again gets a new window, and the old flow ends.
    current?.closed?.();

    const win = openPopup(href, app.popup);
    if (!win && fallback && redirectUri) {
      // The page is leaving for Connect: this promise stays pending, handleRedirect() answers on return.
      void redirect(flow);
      return new Promise(() => undefined);
    }
    if (!win) return fail(new PopupBlockedError(undefined, { state }));

    const cleanups: (() => void)[] = [];
    let resolve!: (s: ConnectSuccess) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<ConnectSuccess>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: PendingPopup = (current = {
      promise,
      settle: (outcome) => {
        if (current !== pending) return;
        current = undefined;
        cleanups.forEach((c) => c());
        win.close();
        if ('abort' in outcome) reject(outcome.abort);
        else {
          try {
            resolve(report('popup', outcome));
          } catch (e) {
            reject(e);
          }
        }
      },
    });
    const ends = (error: AnyConnectError) => () => pending.settle({ ok: false, error });
    pending.closed = ends(new PopupClosedError(undefined, { state }));
    const watch = (pending.watch = watchPopup(win, answerOrigin, expected, pending.settle, pending.closed));
    cleanups.push(watch.dispose);

    const timeoutMs = flow.timeoutMs ?? app.timeoutMs;
    if (timeoutMs) {
      const timer = setTimeout(ends(new TimeoutError(undefined, { state })), timeoutMs);
      cleanups.push(() => clearTimeout(timer));
    }
    if (signal) {
      const onAbort = () => pending.settle({ abort: signal.reason ?? abortError() });
      signal.addEventListener('abort', onAbort);
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    emitter.emit('open', { flow: 'popup', url: href });
    return promise;
  }

  function attach(target: AttachTarget, options: AttachOptions = {}): () => void {
    checkOptions(options);
    const { flow = 'popup', ...rest } = options;
    const start = (): Promise<unknown> =>
      flow === 'popup'
        ? popup(rest)
        : // The same-window flow stays busy until the page leaves (or comes back from the cache).
          redirect(rest).then(() => new Promise(() => undefined));
    return attachTo(target, start, flow === 'popup');
  }

  return {
    popup,
    redirect,
    handleRedirect,
    attach,
    on: emitter.on,
    url,
    destroy() {
      destroyed = true;
      current?.settle({ abort: abortError() });
      emitter.clear();
    },
  };
}

export type { ConnectEvents };
