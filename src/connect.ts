import { PopupBlockedError, PopupClosedError, TimeoutError, type AnyConnectError } from './errors';
import { createEmitter, type ConnectEventName, type ConnectEvents, type ConnectListener } from './events';
import { openPopup, watchPopup, type PopupSize, type PopupWatch } from './popup';
import { preflight } from './preflight';
import type { ConnectResponse, ConnectSuccess } from './response';
import { createNonce, wireState, type Expected } from './state';
import { badOption, buildConnectUrl, checkAppOptions, checkOptions, type AppOptions, type FlowOptions } from './url';

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
  const app: ConnectOptions = { ...options, clientId: checkAppOptions(options), applicationId: undefined };
  const emitter = createEmitter();
  let current: PendingPopup | undefined;
  let destroyed = false;

  /** Emits a settled response's events; returns the success or throws the error. */
  function report(flow: ConnectSuccess['flow'], response: ConnectResponse): ConnectSuccess {
    if (!response.ok) {
      const error = response.error;
      if (emitter.has(error.code)) emitter.emit(error.code, error);
      emitter.emit('error', error);
      throw error;
    }
    const success: ConnectSuccess = { flow, ...response.result };
    emitter.emit('success', success);
    return success;
  }

  // report() throws the error after emitting it; a throwing executor rejects the promise.
  const fail = (error: AnyConnectError): Promise<never> => new Promise(() => report('popup', { ok: false, error }));

  const url = (flow: FlowOptions = {}): string => buildConnectUrl({ ...flow, ...app });

  function popup(flow: PopupOptions = {}): Promise<ConnectSuccess> {
    if (current?.watch && !current.watch.severed) {
      current.watch.win.focus();
      return current.promise;
    }
    // A severed popup cannot be focused: the user asking again gets a new window.
    current?.settle({ ok: false, error: new PopupClosedError() });

    const redirectOrigin = app.redirectUri && new URL(app.redirectUri).origin;
    try {
      if (destroyed) throw abortError();
      checkOptions(flow);
      if (redirectOrigin !== location.origin) throw badOption('redirectUri', "on this page's origin for the popup flow");
    } catch (e) {
      return Promise.reject(e);
    }
    const { state, signal } = flow;
    const refused = preflight(app.mode, typeof flow.singleSelect === 'object' ? flow.singleSelect.vin : undefined);
    if (refused) return fail(refused);
    if (signal?.aborted) return Promise.reject(signal.reason ?? abortError());

    const expected: Expected = { nonce: createNonce(), appState: state };
    const href = url({ ...flow, state: wireState(expected) });
    const win = openPopup(href, app.popup);
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
    const watch = (pending.watch = watchPopup(win, redirectOrigin, expected, pending.settle, ends(new PopupClosedError(undefined, { state }))));
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

  return {
    popup,
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
