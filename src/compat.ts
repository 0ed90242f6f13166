// smartcar-connect-browser/compat: the API of @smartcar/auth 2.14.1 (`new Smartcar({ … onComplete })`,
// getAuthUrl, openDialog, addClickHandler, unmount) as a thin class over this package's popup engine:
// its flow, parser and callback pages. An app changes one import (or one script tag) and keeps its code.
// compat-official.ts holds what @smartcar/auth writes (its URL, state and window), compat-errors.ts its errors.
import { originOf } from './authorize';
import { attachTo } from './buttons';
import {
  decodeState,
  encodeState,
  HOSTED,
  officialAuthUrl,
  officialWindowFeatures,
  windowSide,
  type AuthUrlOptions,
  type WindowOptions,
} from './compat-official';
import { AccessDenied, InvalidSubscription, officialError, VehicleIncompatible } from './compat-errors';
import { warnOfficialFlow } from './dev';
import { readMessage } from './door';
import {
  BatteryCapacityNoSelectionError,
  type ConnectParams,
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
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
} from './errors';
import type { ConnectEventName, ConnectListener } from './events';
import type { Pages } from './flow';
import type { ConnectMode, PopupOptions, PopupSize } from './options';
import { createPopupClient, type PopupClient } from './popup-client';
import { CONNECT_ORIGIN } from './authorize';
import { parseConnectResponse, type ConnectResult } from './response';

export type { AuthUrlOptions, WindowOptions } from './compat-official';
export type { VehicleInfo } from './compat-errors';
export { AccessDenied, InvalidSubscription, VehicleIncompatible } from './compat-errors';

/**
 * What `onComplete` receives once Connect answered: an error (`null` on success) and the answer's fields, as
 * `@smartcar/auth` passes them from Smartcar's redirect pages (`null` where Connect sent none, also beside an error).
 * `state` is the app's own state, as given to the flow.
 */
export type OnComplete = {
  // A method's parameters are checked both ways, so a callback typed `code?: string` still compiles.
  /** The error (`null` on success), then the answer's fields. */
  onComplete(
    error: Error | null,
    code?: string | null,
    state?: string,
    virtualKeyUrl?: string | null,
    userId?: string | null,
    externalId?: string | null,
  ): void;
}['onComplete'];

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

/** Whether the deprecation of `clientId` was said already: once per page, as @smartcar/auth says it. */
let warnedClientId = false;

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
  /** Called once Connect answered; it may be replaced at any time, as in `@smartcar/auth`. */
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
  private _client: PopupClient | undefined;
  /** Why the engine leaves this instance's dialogs to @smartcar/auth's way, when it does. */
  private _officialOnly: string | undefined;
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
    this.instanceId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
    this._connectOrigin = o.connectOrigin ?? CONNECT_ORIGIN;

    let answerOrigin: string | undefined;
    try {
      answerOrigin = this.redirectUri ? new URL(this.redirectUri).origin : new URL(this._connectOrigin).origin;
    } catch {
      // a redirect URI that is no URL: no page can answer as it
    }
    const seen = new Set<string>();
    this.messageHandler = (event) => {
      if (event.origin !== answerOrigin) return;
      const search = readMessage(event.data);
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
      else this._complete(officialError(Object.assign(response.error, { state: originalState })), fieldsOf(response.error.params, originalState));
    };
    if (typeof window !== 'object') return;
    window.addEventListener('message', this.messageHandler);
    this._officialOnly = answersElsewhere(this.redirectUri);
    try {
      const app = { clientId: this.applicationId, redirectUri: this.redirectUri, scope: this.scope, mode: this.mode, responseType: this.responseType };
      this._client = createPopupClient({ ...app, connectOrigin: o.connectOrigin }, undefined, officialPages());
    } catch (e) {
      warnOfficialFlow(e);
      return;
    }
    // Connect's answers, whichever way they came (the popup, a click, late, kept while the app reloaded).
    this._client.on('success', (s) => this._complete(null, s));
    this._client.on('error', (e) => e.params && this._complete(officialError(e), fieldsOf(e.params, e.state)));
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
    return officialAuthUrl({
      connectOrigin: this._connectOrigin,
      responseType: this.responseType,
      clientIdParam: 'application_id',
      clientId: this.applicationId,
      redirectUri: this.redirectUri,
      scope: this.scope,
      mode: this.mode,
      externalId: this.externalId,
      appOrigin: () => location.origin,
      state: encodeState({ instanceId: this.instanceId, ...(o.state && { originalState: o.state }) }),
      options: o,
    });
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
    open(this.getAuthUrl(o), 'Connect your car', officialWindowFeatures({ ...o.windowOptions }));
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

  /**
   * Calls `onComplete` with an answer of Connect and its fields, `null` where Connect sent none, as @smartcar/auth
   * passes them from Smartcar's redirect pages (whichever way the answer came). A throw in `onComplete` is reported,
   * as in an event listener.
   */
  private _complete(error: Error | null, r: ConnectResult): void {
    try {
      this.onComplete?.(error, r.code ?? null, r.state, r.virtualKeyUrl ?? null, r.userId ?? null, r.externalId ?? null);
    } catch (e) {
      (typeof reportError === 'function' ? reportError : console.error)(e);
    }
  }

  /**
   * The engine's options for a dialog, or nothing where the engine does not take them (they then go to Connect as
   * `@smartcar/auth` sends them).
   */
  private _flowOptions(o: DialogOptions): PopupOptions | undefined {
    if (!this._client) return undefined;
    if (this._officialOnly) return void warnOfficialFlow(this._officialOnly);
    const single = o.singleSelect;
    const flow: PopupOptions = {
      state: o.state || undefined,
      forcePrompt: o.forcePrompt === true || undefined,
      make: o.vehicleInfo?.make,
      // As the official URL has it: single_select=true or false, or single_select_vin for { vin }.
      singleSelect: typeof single === 'object' && single ? ('vin' in single ? { vin: single.vin! } : false) : (single ?? undefined),
      user: o.user || undefined,
      externalId: this.externalId,
      popup: popupSize(o.windowOptions),
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
}

/** The popup's size from `windowOptions`, as `@smartcar/auth` reads it; the engine centres it. */
const popupSize = (w: WindowOptions | undefined): PopupSize => ({ width: windowSide(w, 'width'), height: windowSide(w, 'height') });

/**
 * Why this page cannot hear an answer to its redirect URI, when it cannot: the redirect page is on another origin
 * and names no `app_origin` of this page (the app's server there takes the code, as with @smartcar/auth).
 */
function answersElsewhere(redirectUri: string | undefined): string | undefined {
  try {
    const uri = redirectUri ? new URL(redirectUri) : undefined;
    if (!uri || uri.origin === location.origin || uri.searchParams.get('app_origin') === location.origin) return undefined;
    return `the redirect URI ${redirectUri} is on another origin than this page, which does not hear its answer (onComplete is not called; the page there takes it)`;
  } catch {
    return undefined; // not a URL: the engine refuses it with its reason
  }
}

/** The engine's popup flow writing Connect's URL as @smartcar/auth does, with `client_id` and the engine's own state. */
function officialPages(): Pages {
  return {
    _url: (o) =>
      officialAuthUrl({
        connectOrigin: originOf(o),
        responseType: o.responseType ?? 'code',
        clientIdParam: 'client_id',
        clientId: o.clientId,
        redirectUri: o.redirectUri,
        scope: o.scope,
        mode: o.mode ?? 'live',
        externalId: o.externalId,
        appOrigin: () => o.appOrigin ?? location.origin,
        state: encodeURIComponent(o.state ?? ''),
        options: {
          forcePrompt: o.forcePrompt,
          singleSelect: o.singleSelect,
          vehicleInfo: o.make === undefined ? undefined : { make: o.make },
          flags: o.flags && Object.entries(o.flags).map((pair) => pair.join(':')),
          user: o.user,
        },
      }),
    _expect: () => ({ kind: 'authorize' }),
    _preflight: () => undefined,
  };
}

/** The answer's fields `onComplete` takes beside an error, from the raw parameters of Connect's redirect. */
const fieldsOf = (p: ConnectParams | undefined, state: string | undefined): ConnectResult => ({
  code: p?.code,
  virtualKeyUrl: p?.virtual_key_url,
  userId: p?.user_id,
  externalId: p?.external_id,
  state,
});
