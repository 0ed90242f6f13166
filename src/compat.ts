// smartcar-connect-browser/compat: the API of @smartcar/auth 2.14.1 (`new Smartcar({ … onComplete })`,
// getAuthUrl, openDialog, addClickHandler, unmount) over this package's engine: its popup flow, parser
// and callback pages. An app changes one import (or one script tag) and keeps its code.
import { attachTo } from './buttons';
import { warnOfficialFlow } from './dev';
import {
  AccessDeniedError,
  BatteryCapacityNoSelectionError,
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
  InvalidSubscriptionError,
  isConnectError,
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
  type AnyConnectError,
  type ConnectErrorInit,
} from './errors';
import type { ConnectEventName, ConnectListener } from './events';
import type { ConnectMode } from './options';
import { createConnect, type PopupConnect, type PopupOnlyOptions } from './popup-entry';
import { readMessage } from './door';
import { parseConnectResponse, type ConnectResult } from './response';
import { CONNECT_ORIGIN } from './authorize';

/**
 * What `onComplete` receives once Connect answered: an error (`null` on success) and the answer's
 * fields. `state` is the app's own state, as given to the flow.
 */
export type OnComplete = (
  error: Error | null,
  code?: string,
  state?: string,
  virtualKeyUrl?: string,
  userId?: string,
  externalId?: string,
) => void;

/** What `new Smartcar()` takes: the options of `@smartcar/auth` 2.14.1. */
export interface SmartcarOptions {
  /** The application's id from the Smartcar Dashboard. */
  applicationId?: string | undefined;
  /** The deprecated name of `applicationId` (warned about once). */
  clientId?: string | undefined;
  /**
   * The registered redirect URI: Smartcar's hosted page
   * (`https://javascript-sdk.smartcar.com/v2/redirect?app_origin=…`) or a page of the app.
   */
  redirectUri?: string | undefined;
  /** The permissions to ask for. */
  scope?: string[] | undefined;
  /** Called once Connect answered (not for a blocked, closed or timed-out popup: see `on()`). */
  onComplete?: OnComplete | undefined;
  /** Deprecated: `mode: 'test'`. */
  testMode?: boolean | undefined;
  /** `'live'` (default), `'test'` or `'simulated'`. */
  mode?: ConnectMode | undefined;
  /** `'code'` (default) or `'none'` (redirect-less completion). */
  responseType?: 'code' | 'none' | undefined;
  /** Sent on every flow; `null` sends `external_id=null`, which clears the stored one. */
  externalId?: string | null | undefined;
  /** Where Connect runs: not an option of `@smartcar/auth`, for tests against a Connect stand-in. */
  connectOrigin?: string | undefined;
}

/** What `getAuthUrl()` takes. */
export interface AuthUrlOptions {
  /** The app's own state, handed back to `onComplete`. */
  state?: string | undefined;
  /** Always show the approval screen. */
  forcePrompt?: boolean | undefined;
  /** `make` skips the brand selection (for example `'TESLA'`). */
  vehicleInfo?: { make?: string | undefined } | undefined;
  /** `true`: one vehicle only; `{ vin }`: only that vehicle. */
  singleSelect?: boolean | { vin?: string | undefined } | undefined;
  /** Feature flags, each `'name:value'` (for example `'country:DE'`). */
  flags?: string[] | undefined;
  /** Groups one owner's Connect sessions in Smartcar's analytics. */
  user?: string | undefined;
}

/** The popup's position and size (CSS pixels, as numbers or strings). */
export interface WindowOptions {
  top?: string | number | undefined;
  left?: string | number | undefined;
  width?: string | number | undefined;
  height?: string | number | undefined;
}

/** What `openDialog()` takes. */
export interface DialogOptions extends AuthUrlOptions {
  /** The popup's size (this SDK centres the popup on the app's window itself). */
  windowOptions?: WindowOptions | undefined;
}

/** What `addClickHandler()` takes: the element(s), and the dialog's options. */
export interface ClickHandlerOptions extends DialogOptions {
  /** The element's id (a leading `#` is taken too). */
  id?: string | undefined;
  /** A CSS selector for the elements. */
  selector?: string | undefined;
}

/** The vehicle a `VehicleIncompatible` error names, as `@smartcar/auth` builds it. */
export interface VehicleInfo {
  /** Absent when the user picked an unsupported brand, or "I don't see my brand" (Connect then sends `make` alone). */
  vin?: string | undefined;
  make?: string | undefined;
  /** A whole number, never `NaN`: absent when Connect sent none. */
  year?: number | undefined;
  model?: string | undefined;
}

/**
 * `@smartcar/auth`'s `access_denied` error: the user denied access. Also an `AccessDeniedError` of
 * this package, with its `code`.
 *
 * @example
 * onComplete(err) { if (err instanceof Smartcar.AccessDenied) say('You can connect later.'); }
 */
export class AccessDenied extends AccessDeniedError {
  constructor(message?: string, init?: ConnectErrorInit) {
    super(message, init);
    (this as { name: string }).name = 'AccessDenied';
  }
}

/**
 * `@smartcar/auth`'s `invalid_subscription` error: the vehicle's connected services are inactive.
 * Also an `InvalidSubscriptionError` of this package.
 *
 * @example
 * onComplete(err) { if (err instanceof Smartcar.InvalidSubscription) say('Activate your carmaker’s app first.'); }
 */
export class InvalidSubscription extends InvalidSubscriptionError {
  constructor(message?: string, init?: ConnectErrorInit) {
    super(message, init);
    (this as { name: string }).name = 'InvalidSubscription';
  }
}

/**
 * `@smartcar/auth`'s `vehicle_incompatible` error, with `vehicleInfo`: what Connect sent of the vehicle, or `null`
 * when it sent none of it. Unlike `@smartcar/auth`, `make` alone (an unsupported brand) is kept, and a missing year is
 * left out, never `NaN`. Also a `VehicleIncompatibleError` of this package.
 *
 * @example
 * onComplete(err) { if (err instanceof Smartcar.VehicleIncompatible) say(`${err.vehicleInfo?.make ?? 'This car'} is not supported yet`); }
 */
export class VehicleIncompatible extends VehicleIncompatibleError {
  readonly vehicleInfo: VehicleInfo | null;
  constructor(message?: string, vehicleInfo: VehicleInfo | null = null, init?: ConnectErrorInit) {
    super(message, init);
    (this as { name: string }).name = 'VehicleIncompatible';
    this.vehicleInfo = vehicleInfo;
  }
}

let warnedClientId = false;

/** 128 random bits as hex: what ties an answer to this instance. */
const randomId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');

/** `btoa` of JSON, with what is not Latin-1 written as JSON escapes (where `@smartcar/auth` throws). */
const encodeState = (value: object): string =>
  btoa(JSON.stringify(value).replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** The official state's fields, or nothing when `state` is not one. */
function decodeState(state: unknown): { instanceId?: unknown; originalState?: unknown } | undefined {
  try {
    const value = JSON.parse(atob(state as string)) as unknown;
    return typeof value === 'object' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error `onComplete` receives for an error Connect reported: `@smartcar/auth`'s class where it has one, this
 * package's typed one otherwise.
 */
function officialError(e: AnyConnectError): Error {
  const description = e.params?.error_description ?? e.description;
  const init: ConnectErrorInit = { state: e.state, params: e.params, cause: e.cause };
  if (e.code === 'access_denied') return new AccessDenied(description, init);
  if (e.code === 'invalid_subscription') return new InvalidSubscription(description, init);
  if (e.code === 'vehicle_incompatible') {
    const p = e.params ?? {};
    // @smartcar/auth gives null without a VIN (dropping make) and NaN without a year; this keeps what Connect sent.
    const info = p.vin || p.make ? { ...e.vehicle } : null;
    return new VehicleIncompatible(description, info, { ...init, vehicle: e.vehicle });
  }
  // The same error with @smartcar/auth's words, so an app that matches them still matches.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as Error, e);
  copy.message = `Unexpected error: ${e.code} - ${description}`;
  if (e.stack) copy.stack = e.stack;
  return copy;
}

/** The hosted redirect page of `@smartcar/auth`. */
const HOSTED = 'https://javascript-sdk.smartcar.com';

/**
 * `@smartcar/auth` 2.14.1, on this SDK's engine. Change the import (or the script tag) and the
 * app's code runs as it did, with `configuration_error` (and every other code) typed, whole
 * (`statusCode`, `errorMessage`), exact origin checks and a popup lifecycle that knows when the
 * popup was blocked or closed (`on()`).
 *
 * @example
 * import Smartcar from 'smartcar-connect-browser/compat';
 * const smartcar = new Smartcar({
 *   applicationId: 'your-application-id',
 *   redirectUri: 'https://javascript-sdk.smartcar.com/v2/redirect?app_origin=https://app.example',
 *   scope: ['read_vehicle_info', 'read_odometer'],
 *   onComplete(err, code) { if (err) show(err.message); else sendToServer(code); },
 * });
 * smartcar.addClickHandler({ id: 'connect-car' });
 */
export default class Smartcar {
  static AccessDenied = AccessDenied;
  static InvalidSubscription = InvalidSubscription;
  static VehicleIncompatible = VehicleIncompatible;
  // This package's other classes: what onComplete receives for the codes @smartcar/auth has no class
  // for, and what on() reports.
  static ConnectError = ConnectError;
  static ConfigurationError = ConfigurationError;
  static NoVehiclesError = NoVehiclesError;
  static ServerError = ServerError;
  static ReturnedToApplicationError = ReturnedToApplicationError;
  static UserCancelledError = UserCancelledError;
  static OemCancelledLoginError = OemCancelledLoginError;
  static BatteryCapacityNoSelectionError = BatteryCapacityNoSelectionError;
  static PopupBlockedError = PopupBlockedError;
  static PopupClosedError = PopupClosedError;
  static TimeoutError = TimeoutError;
  static StateMismatchError = StateMismatchError;
  static InvalidResponseError = InvalidResponseError;
  /** True for every error of this package, across bundles and realms. */
  static isConnectError = isConnectError;

  applicationId: string;
  /** The same as `applicationId`. */
  clientId: string;
  redirectUri: string | undefined;
  scope: string[] | undefined;
  onComplete: OnComplete | undefined;
  mode: ConnectMode;
  responseType: 'code' | 'none';
  externalId: string | null | undefined;
  /** 128 random bits: what ties an answer to this instance in the URLs of `getAuthUrl()`. */
  instanceId: string;
  /**
   * The window `message` listener that takes the answer to a URL of `getAuthUrl()` the app opened
   * itself; `unmount()` removes it.
   */
  messageHandler: (event: MessageEvent) => void;
  /** The engine's client; none when it does not take these options (then flows run as `@smartcar/auth` runs them). */
  private _client: PopupConnect | undefined;
  private _connectOrigin: string;
  private _detaches: (() => void)[] = [];

  /**
   * Checks the options as `@smartcar/auth` does (the same errors), and starts listening.
   *
   * @example
   * const smartcar = new Smartcar({ applicationId: 'your-application-id', redirectUri, scope: ['read_odometer'],
   * onComplete });
   */
  constructor(options: SmartcarOptions) {
    const o = options ?? {};
    if (!o.applicationId && !o.clientId) throw new TypeError('An applicationId option must be provided');
    if (o.responseType && !['code', 'none'].includes(o.responseType)) throw new Error('The "responseType" option must be one of: code, none');
    if (typeof o.redirectUri === 'string' && o.redirectUri.startsWith(HOSTED) && (!o.onComplete || o.onComplete.length < 2)) {
      throw new Error(
        "When using Smartcar's CDN redirect an onComplete function with at least 2 parameters (error & code) is required to handle completion of Connect",
      );
    }
    if (!o.applicationId && o.clientId && !warnedClientId) {
      console.warn('The "clientId" parameter is deprecated, please use the "applicationId" parameter instead.');
      warnedClientId = true;
    }
    this.applicationId = this.clientId = (o.applicationId || o.clientId)!;
    this.redirectUri = o.redirectUri;
    this.scope = o.scope;
    this.onComplete = o.onComplete;
    this.mode = 'live';
    const has = (name: string) => Object.prototype.hasOwnProperty.call(o, name);
    if (has('testMode')) {
      console.warn('The "testMode" parameter is deprecated, please use the "mode" parameter instead.');
      this.mode = o.testMode === true ? 'test' : 'live';
    } else if (has('mode')) this.mode = o.mode!;
    if (!['test', 'live', 'simulated'].includes(this.mode)) {
      throw new Error("The \"mode\" parameter MUST be one of the following: 'test', 'live', 'simulated'");
    }
    this.responseType = o.responseType || 'code';
    this.externalId = o.externalId;
    this.instanceId = randomId();
    this._connectOrigin = o.connectOrigin ?? CONNECT_ORIGIN;

    let answerOrigin: string | undefined;
    try {
      answerOrigin = this.redirectUri ? new URL(this.redirectUri).origin : new URL(this._connectOrigin).origin;
    } catch {
      // a redirect URI that is no URL: no page can answer as it
    }
    const seen = new Set<string>();
    this.messageHandler = (event) => {
      let search: string | undefined;
      try {
        search = event.origin === answerOrigin ? readMessage(event.data) : undefined;
      } catch {
        return; // a message no page of Connect's would send
      }
      const state = decodeState(new URLSearchParams(search).get('state'));
      // Only an answer to this instance's own URL; the very same answer twice is not a new one.
      if (!search || state?.instanceId !== this.instanceId || seen.has(search)) return;
      seen.add(search);
      try {
        (event.source as Window | null)?.close();
      } catch {
        // a window that is gone, or a hosted page that closes itself
      }
      const response = parseConnectResponse(search);
      const originalState = state.originalState as string | undefined;
      if (response.ok) this._complete(null, { ...response.result, state: originalState });
      else this._complete(officialError(Object.assign(response.error, { state: originalState })), { state: originalState });
    };
    if (typeof window !== 'object') return;
    window.addEventListener('message', this.messageHandler);
    try {
      this._client = createConnect({
        clientId: this.applicationId,
        redirectUri: this.redirectUri,
        scope: this.scope,
        mode: this.mode,
        responseType: this.responseType,
        connectOrigin: o.connectOrigin,
      });
    } catch (e) {
      warnOfficialFlow(e);
      return;
    }
    // Connect's answers, whichever way they came (the popup, a click, late, kept while the app reloaded).
    this._client.on('success', (s) => this._complete(null, s));
    this._client.on('error', (e) => e.params && this._complete(officialError(e), { state: e.state }));
  }

  /**
   * The Connect URL `@smartcar/auth` gives for these options, character for character (its
   * `state` ties the answer to this instance).
   *
   * @example
   * link.href = smartcar.getAuthUrl({ state: 'user-42', forcePrompt: true });
   */
  getAuthUrl(options?: AuthUrlOptions): string {
    const o = options || {};
    let link = `${this._connectOrigin}/oauth/authorize?response_type=${this.responseType}&application_id=${this.applicationId}`;
    if (this.redirectUri) link += `&redirect_uri=${encodeURIComponent(this.redirectUri)}`;
    link += `&approval_prompt=${o.forcePrompt === true ? 'force' : 'auto'}`;
    if (this.scope) link += `&scope=${encodeURIComponent(this.scope.join(' '))}`;
    link += `&mode=${this.mode}`;
    const single = o.singleSelect;
    if (single !== undefined && single !== null) {
      if (typeof single === 'object') link += 'vin' in single ? `&single_select_vin=${single.vin}&single_select=true` : '&single_select=false';
      else link += `&single_select=${single === true}`;
    }
    link += `&state=${encodeState({ instanceId: this.instanceId, ...(o.state && { originalState: o.state }) })}`;
    if (o.vehicleInfo && 'make' in o.vehicleInfo) link += `&make=${encodeURIComponent(o.vehicleInfo.make!)}`;
    if (o.flags) link += `&flags=${encodeURIComponent(o.flags.join(' '))}`;
    if (o.user) link += `&user=${encodeURIComponent(o.user)}`;
    if (this.externalId !== undefined) link += `&external_id=${this.externalId === null ? 'null' : encodeURIComponent(this.externalId)}`;
    if (this.responseType === 'none' && !this.redirectUri) link += `&app_origin=${encodeURIComponent(location.origin)}`;
    return link;
  }

  /**
   * Opens Connect in a popup; call it from a click. `onComplete` gets Connect's answer.
   *
   * @example
   * button.onclick = () => smartcar.openDialog({ state: 'user-42' });
   */
  openDialog(options?: DialogOptions): void {
    const o = options || {};
    const flow = this._flowOptions(o);
    if (flow) return void this._client!.popup(flow).catch(() => undefined);
    const size = this._size(o.windowOptions);
    open(this.getAuthUrl(o), 'Connect your car', `popup,width=${size.width ?? 500},height=${size.height ?? 700}`);
  }

  /**
   * Opens Connect from clicks on the element with `id`, or on those that match `selector`.
   * Throws `Error` as `@smartcar/auth` does when neither is given or nothing matches.
   *
   * @example
   * smartcar.addClickHandler({ id: 'connect-car', state: 'user-42' });
   */
  addClickHandler(options: ClickHandlerOptions): void {
    const { id, selector } = options || {};
    if (!id && !selector) throw new Error('Could not add click handler: id or selector must be provided.');
    const elements: Element[] = [];
    const byId = id ? (document.getElementById(id) ?? (id.startsWith('#') ? document.getElementById(id.slice(1)) : null)) : null;
    if (byId) elements.push(byId);
    if (selector) elements.push(...Array.from(document.querySelectorAll(selector)));
    if (!elements.length) throw new Error(`Could not add click handler: element with '${id || selector}' was not found.`);
    const flow = this._flowOptions(options);
    if (flow) return void this._detaches.push(attachTo(elements, () => this._client!.popup(flow), true));
    const click = () => this.openDialog(options);
    for (const element of elements) element.addEventListener('click', click);
    this._detaches.push(() => elements.forEach((element) => element.removeEventListener('click', click)));
  }

  /**
   * Removes every listener this instance added (the window's `message` listener, the click
   * handlers) and ends a flow still running, closing its popup.
   *
   * @example
   * onDestroy(() => smartcar.unmount());
   */
  unmount(): void {
    if (typeof window === 'object') window.removeEventListener('message', this.messageHandler);
    this._detaches.splice(0).forEach((detach) => detach());
    this._client?.destroy();
  }

  /**
   * Not in `@smartcar/auth`: this SDK's typed events for the flows `openDialog()` and
   * `addClickHandler()` run, among them what `@smartcar/auth` never reports: `popup_blocked`,
   * `popup_closed`, `timeout`. Returns the function that unsubscribes.
   *
   * @example
   * smartcar.on('popup_closed', () => enableButton());
   */
  on<K extends ConnectEventName>(type: K, listener: ConnectListener<K>): () => void {
    return this._client ? this._client.on(type, listener) : () => undefined;
  }

  /** Calls `onComplete` with an answer of Connect; a throw in it is reported, as in an event listener. */
  private _complete(error: Error | null, r: ConnectResult): void {
    try {
      this.onComplete?.(error, r.code, r.state, r.virtualKeyUrl, r.userId, r.externalId);
    } catch (e) {
      (typeof reportError === 'function' ? reportError : console.error)(e);
    }
  }

  /**
   * The engine's options for a dialog, or nothing where the engine does not take them (they then go to Connect as
   * `@smartcar/auth` sends them).
   */
  private _flowOptions(o: DialogOptions): PopupOnlyOptions | undefined {
    if (!this._client) return undefined;
    const single = o.singleSelect;
    const flow: PopupOnlyOptions = {
      state: o.state || undefined,
      forcePrompt: o.forcePrompt === true || undefined,
      make: o.vehicleInfo?.make,
      singleSelect: typeof single === 'object' && single && 'vin' in single ? { vin: single.vin! } : single === true || undefined,
      user: o.user || undefined,
      externalId: this.externalId,
      popup: this._size(o.windowOptions),
    };
    try {
      // 'country:DE' is { country: 'DE' } here; a flag that is not name:value goes as it is, below.
      if (o.flags) flow.flags = Object.fromEntries(o.flags.map((f) => /^([^:]+):(.*)$/.exec(f)!.slice(1))) as Record<string, string>;
      this._client.url(flow); // the engine checks them now, in the click's own task
      return flow;
    } catch (e) {
      warnOfficialFlow(e);
      return undefined;
    }
  }

  /** The popup's size from `windowOptions`, as `@smartcar/auth` reads it (at least 100 pixels). */
  private _size(w: WindowOptions | undefined): { width?: number; height?: number } {
    const size: { width?: number; height?: number } = {};
    for (const side of ['width', 'height'] as const) {
      const n = parseFloat(String(w?.[side]));
      if (!isNaN(n)) size[side] = Math.max(n, 100);
    }
    return size;
  }
}
