import { attachTo, type AttachTarget } from './buttons';
import { createClient } from './client';
import { popupUnavailable } from './environment';
import type { ConnectEventName, ConnectListener } from './events';
import { cancelled, noWindow, type Pages } from './flow';
import { MAIN_RULES, readOptions, type AttachOptions, type ConnectOptions, type FlowOptions, type PopupOptions } from './options';
import { expectedOf } from './pages';
import { createPopups } from './popup';
import { preflight } from './preflight';
import { createRedirects } from './redirect';
import type { ConnectSuccess } from './response';
import { connectUrl } from './url';

/** Where a popup cannot come back to the app: the PopupBlockedError's description, naming the same-window flow. */
function unavailable(): string | undefined {
  const why = popupUnavailable();
  if (why) return `Popups cannot come back to the app in ${why}: use the same-window flow (redirect(), or popup() with fallback: 'redirect')`;
}

/** Every Connect page, and the VIN refused before Connect opens: what the main entry's flows carry. */
const PAGES: Pages = { _url: connectUrl, _expect: expectedOf, _preflight: preflight, _rules: MAIN_RULES };

/** One Connect client: flows, events and their clean-up. */
export interface Connect {
  /**
   * Opens Connect in a popup. Call it straight from a click handler. While a
   * popup is open, another call focuses it and returns the same promise. Where
   * there is no browser window (a server, a worker) it rejects with an
   * `InvalidStateError`. Given a promise of its options (they come from your
   * server, or from an answer of Smartcar's API), the popup opens at once on a
   * page that says Connect is opening, and goes to Connect when they come; if
   * the promise rejects, the popup closes and `popup()` rejects with its reason.
   *
   * @example
   * button.onclick = async () => {
   *   try { const { code } = await connect.popup({ state: 'user-42' }); await sendToServer(code); }
   *   catch (e) { if (isConnectError(e)) show(e.description); }
   * };
   * // options that need a request first: no await before popup()
   * button.onclick = () => connect.popup(fetch('/api/connect-options').then((r) => r.json()));
   */
  popup(options?: PopupOptions | PromiseLike<PopupOptions | undefined>): Promise<ConnectSuccess>;
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
   * errors arrive through the events. Returns `detach`. Given a function, it
   * calls it on each activation for the popup flow's options or their promise.
   *
   * @example
   * const detach = connect.attach('#connect-car', { flow: 'popup', fallback: 'redirect' });
   * connect.on('success', ({ code }) => sendToServer(code));
   */
  attach(target: AttachTarget, options?: AttachOptions | (() => PopupOptions | PromiseLike<PopupOptions | undefined>)): () => void;
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
  const client = createClient(options);
  const app = client._app;
  const detaches = new Set<() => void>();
  const redirects = createRedirects({ ...client._host('redirect'), _pages: PAGES, _kept: () => popups.kept() });
  const popups = createPopups({ ...client._host('popup'), _unavailable: unavailable, _pages: PAGES, _redirect: redirects.redirect });

  return {
    popup: popups.popup,
    redirect: redirects.redirect,
    handleRedirect: redirects.handleRedirect,
    attach(target, input) {
      const later = typeof input === 'function' ? input : undefined;
      const { flow = 'popup', ...rest }: AttachOptions = later ? {} : readOptions(input as AttachOptions | undefined, MAIN_RULES);
      if (client._destroyed()) throw cancelled();
      if (typeof window !== 'object') throw noWindow();
      const start = (): Promise<unknown> =>
        later
          ? popups.popup(new Promise<PopupOptions | undefined>((resolve) => resolve(later())))
          : flow === 'popup'
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
    on: client._emitter.on,
    url: (input) => connectUrl(Object.assign(Object.create(null) as typeof app, readOptions(input, MAIN_RULES), app)),
    destroy() {
      client._destroy();
      popups.destroy();
      detaches.forEach((detach) => detach());
      detaches.clear();
    },
  };
}
