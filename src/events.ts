import { ERROR_CODES, type AnyConnectError, type KnownConnectError } from './errors';
import type { ConnectSuccess } from './response';

/** Every event, by name, with what its listeners receive: one per error code, typed by its class. */
export type ConnectEvents = {
  /** A flow sent the user to Connect. */
  open: { flow: 'popup' | 'redirect'; url: string };
  success: ConnectSuccess;
  /** Every `ConnectError`, whatever its code. */
  error: AnyConnectError;
} & { [E in KnownConnectError as E['code']]: E };

/** The name of an event `on()` accepts. */
export type ConnectEventName = keyof ConnectEvents;
/** A listener of event `K`, given that event's payload. */
export type ConnectListener<K extends ConnectEventName> = (payload: ConnectEvents[K]) => void;

const NAMES: readonly string[] = ['open', 'success', 'error', ...ERROR_CODES];

/** Reports an error where developers look (the page's error event and console), without throwing. */
export const reportAside = (e: unknown): void => (typeof reportError === 'function' ? reportError : console.error)(e);

export interface Emitter {
  on: <K extends ConnectEventName>(type: K, listener: ConnectListener<K>) => () => void;
  emit: <K extends ConnectEventName>(type: K, payload: ConnectEvents[K]) => void;
  clear: () => void;
}

/**
 * The typed emitter behind `connect.on`. A listener that throws is reported
 * (`reportError`, or `console.error` where that is missing) and the others
 * still run, so no listener can break a flow.
 */
export function createEmitter(): Emitter {
  type Stored = (payload: unknown) => void;
  let listeners: Partial<Record<ConnectEventName, Stored[]>> = {};
  const has = (type: string): type is ConnectEventName => NAMES.includes(type);
  return {
    on: (type, listener) => {
      if (!has(type) || typeof listener !== 'function') throw new TypeError(`smartcar-connect: no event '${String(type)}' or no listener`);
      (listeners[type] ||= [] as Stored[]).push(listener as Stored);
      return () => {
        const list = listeners[type];
        const at = list ? list.indexOf(listener as Stored) : -1;
        if (at >= 0) list!.splice(at, 1);
      };
    },
    emit: (type, payload) => {
      for (const listener of (listeners[type] || []).slice()) {
        try {
          listener(payload);
        } catch (e) {
          reportAside(e);
        }
      }
    },
    clear: () => {
      listeners = {};
    },
  };
}
