import { authorizeUrl } from './authorize';
import { createClient } from './client';
import type { Connect } from './connect';
import type { Pages } from './flow';
import { readOptions, type ConnectOptions, type FlowOptions, type PopupOptions } from './options';
import { createPopups } from './popup';
import type { ConnectSuccess } from './response';

// A client with the popup flow alone, on the one engine: the popup entry's, and the @smartcar/auth
// drop-in's (which writes Connect's URL as @smartcar/auth does).

/** A client of the popup flow: its flow, its events, the authorize URL, and its end. */
export interface PopupClient extends Pick<Connect, 'on' | 'destroy'> {
  popup(options?: PopupOptions | PromiseLike<PopupOptions | undefined>): Promise<ConnectSuccess>;
  url(options?: FlowOptions): string;
}

/**
 * Makes a popup client. `check` refuses options the entry does not carry, before anything else;
 * `pages` builds the URL (the authorize page's by default). An answer the callback page kept while
 * the app reloaded arrives through the events once the app listens (a moment after its first `on()`).
 */
export function createPopupClient(options: ConnectOptions, check?: (options?: object) => void, pages?: Pages): PopupClient {
  const client = createClient(options);
  const app = client._app;
  const popups = createPopups({ ...client._host('popup'), _check: check, _pages: pages });
  let looked = false;
  return {
    popup: popups.popup,
    on(type, listener) {
      const off = client._emitter.on(type, listener);
      // What was kept while the app reloaded, once the listeners of this task are all in.
      if (!looked && typeof window === 'object') queueMicrotask(() => void popups.kept().catch(() => undefined));
      looked = true;
      return off;
    },
    url(input) {
      check?.(input);
      return (pages?._url ?? authorizeUrl)(Object.assign(Object.create(null) as typeof app, readOptions(input), app));
    },
    destroy() {
      client._destroy();
      popups.destroy();
    },
  };
}
