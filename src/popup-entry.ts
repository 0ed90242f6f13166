/**
 * `smartcar-connect-browser/popup`: `createConnect` with the popup flow alone.
 *
 * @packageDocumentation
 * @module popup
 */

// smartcar-connect-browser/popup: `createConnect` with the popup flow alone, for apps that only open
// the popup. Every delivery route and guarantee of the main entry's popup flow, every error type;
// not the same-window flow, attach(), Connect's re-authentication and battery-capacity pages, or
// the VIN refused before Connect opens (Connect itself answers that one).
import type { Connect } from './connect';
import { refusal, type ConnectOptions, type FlowOptions, type PopupOptions } from './options';
import { createPopupClient } from './popup-client';
import type { ConnectSuccess } from './response';

/** What each flow of the popup entry may set: the main entry's, but `reauthenticate` and `batteryCapacity`. */
export type PopupFlowOptions = Omit<FlowOptions, 'reauthenticate' | 'batteryCapacity'>;

/** What `popup()` of the popup entry takes: the main entry's options, but those of the main entry alone. */
export type PopupOnlyOptions = Omit<PopupOptions, 'reauthenticate' | 'batteryCapacity' | 'fallback'>;

/** A client of the popup entry: the popup flow, its events, the authorize URL, and its end. */
export interface PopupConnect extends Pick<Connect, 'on' | 'destroy'> {
  /**
   * Opens Connect in a popup; call it straight from a click handler. As the main entry's
   * `popup()`; `reauthenticate`, `batteryCapacity` and `fallback` are the main entry's alone.
   *
   * @example
   * button.onclick = () => connect.popup({ state: 'user-42' }).then(({ code }) => sendToServer(code));
   */
  popup(options?: PopupOnlyOptions | PromiseLike<PopupOnlyOptions | undefined>): Promise<ConnectSuccess>;
  /**
   * The authorize URL with this client's options. It starts no flow.
   *
   * @example
   * link.href = connect.url({ state: 'user-42' });
   */
  url(options?: PopupFlowOptions): string;
}

/** The options only the main entry carries. */
const MAIN_ONLY = ['reauthenticate', 'batteryCapacity', 'fallback'];

/** A `TypeError` for an option of the main entry's, naming it. */
function refuseMainOnly(input: object | undefined): void {
  for (const name of MAIN_ONLY) {
    if (input && (input as Record<string, unknown>)[name] !== undefined) {
      throw refusal(`${name} needs the main entry`);
    }
  }
}

/**
 * Creates a client with the popup flow alone. Throws `TypeError` naming the first bad option.
 * An answer the callback page kept while the app reloaded arrives through the events, once the
 * app listens (a moment after its first `on()`), with `late: true`.
 *
 * @example
 * import { createConnect } from 'smartcar-connect-browser/popup';
 * const connect = createConnect({ clientId: 'app-id', redirectUri: `${location.origin}/callback`, mode: 'test' });
 * connect.on('success', ({ code }) => sendToServer(code));
 * button.onclick = () => void connect.popup({ state: 'user-42' });
 */
export const createConnect = (options: ConnectOptions): PopupConnect => createPopupClient(options, refuseMainOnly);

export { parseConnectResponse } from './response';
export {
  isConnectError,
  AccessDeniedError,
  BatteryCapacityNoSelectionError,
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
  InvalidSubscriptionError,
  NoVehiclesError,
  OemCancelledLoginError,
  PopupBlockedError,
  PopupClosedError,
  ReturnedToApplicationError,
  ServerError,
  StateMismatchError,
  TimeoutError,
  UserCancelledError,
  VehicleIncompatibleError,
} from './errors';
export type { AnyConnectError, ConnectErrorCode, ConnectErrorInit, ConnectParams, IncompatibleVehicle, KnownConnectError, UnknownConnectError } from './errors';
export type { ConnectEventName, ConnectEvents, ConnectListener } from './events';
export type { ConnectMode, ConnectOptions, PopupSize } from './options';
export type { ConnectResponse, ConnectResult, ConnectSuccess } from './response';
