import { attachTo, type AttachTarget } from './buttons';
import { warnOtherOrigin, warnUnknownCode } from './dev';
import { ERROR_CODES, type ConnectErrorCode } from './errors';
import { createEmitter, type ConnectEventName, type ConnectListener } from './events';
import { cancelled, noWindow } from './flow';
import { readAppOptions, readOptions, type AttachOptions, type ConnectOptions, type FlowOptions, type PopupOptions } from './options';
import { createPopups } from './popup';
import { createRedirects } from './redirect';
import type { ConnectResponse, ConnectSuccess } from './response';
import { connectUrl } from './url';

/** One Connect client: flows, events and their clean-up. */
export interface Connect {
  /**
   * Opens Connect in a popup. Call it straight from a click handler. While a
   * popup is open, another call focuses it and returns the same promise. Where
   * there is no browser window (a server, a worker) it rejects with an
   * `InvalidStateError`.
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

/**
 * Creates a Connect client. Throws `TypeError` naming the first bad option and
 * what it must be, and for any option named like a secret (`clientSecret`: a
 * client secret never belongs in browser code). An option it does not know is
 * ignored, with a development warning naming the one meant. Touches no browser
 * global until a flow starts, so it is safe under SSR.
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
  const app = readAppOptions(options);
  const emitter = createEmitter();
  const detaches = new Set<() => void>();
  let destroyed = false;

  /** Emits a settled response's events; returns the success or throws the error. `late`: after its flow ended. */
  const report =
    (flow: ConnectSuccess['flow']) =>
    (response: ConnectResponse, late?: boolean): ConnectSuccess => {
      if (!response.ok) {
        const error = response.error;
        if (late) (error as { late?: true }).late = true;
        // Only the table's codes have events: a code spelled 'success', 'open' or 'error' emits error alone.
        if (ERROR_CODES.includes(error.code as ConnectErrorCode)) emitter.emit(error.code as ConnectErrorCode, error as never);
        else if (error.params) warnUnknownCode(error.code);
        emitter.emit('error', error);
        throw error;
      }
      const success: ConnectSuccess = { flow, ...response.result, ...(late && { late }) };
      emitter.emit('success', success);
      return success;
    };
  const opened = (flow: ConnectSuccess['flow']) => (url: string) => emitter.emit('open', { flow, url });

  warnOtherOrigin(app.redirectUri);
  const redirects = createRedirects({
    _app: app,
    _report: report('redirect'),
    _opened: opened('redirect'),
    _destroyed: () => destroyed,
    _kept: () => popups.kept(),
  });
  const popups = createPopups({ _app: app, _report: report('popup'), _opened: opened('popup'), _redirect: redirects.redirect, _destroyed: () => destroyed });

  return {
    popup: popups.popup,
    redirect: redirects.redirect,
    handleRedirect: redirects.handleRedirect,
    attach(target, input) {
      const { flow = 'popup', ...rest } = readOptions(input);
      if (destroyed) throw cancelled();
      if (typeof window !== 'object') throw noWindow();
      const start = (): Promise<unknown> =>
        flow === 'popup'
          ? popups.popup(rest)
          : // The same-window flow stays busy until the page leaves (or comes back from the cache).
            redirects.redirect(rest).then(() => new Promise(() => undefined));
      const detach = attachTo(target, start, flow === 'popup');
      detaches.add(detach);
      return () => {
        detaches.delete(detach);
        detach();
      };
    },
    on: emitter.on,
    url: (input) => connectUrl(Object.assign(Object.create(null) as typeof app, readOptions(input), app)),
    destroy() {
      destroyed = true;
      popups.destroy();
      detaches.forEach((detach) => detach());
      detaches.clear();
      emitter.clear();
    },
  };
}
