import { explain } from './dev';

/** Parameters exactly as Connect sent them, first value of each name. */
export type ConnectParams = Readonly<Record<string, string>>;

/** A vehicle Connect reported as incompatible (each field only when the user shared it). */
export interface IncompatibleVehicle {
  vin?: string | undefined;
  make?: string | undefined;
  model?: string | undefined;
  year?: number | undefined;
}

/** Context an error may carry; each field is set on the error only when given. */
export interface ConnectErrorInit {
  /** The app's own state, as it was given to the flow. */
  state?: string | undefined;
  /** Connect's raw redirect parameters, when Connect reported the error. */
  params?: ConnectParams | undefined;
  cause?: unknown;
  /** `configuration_error`, `server_error`: the HTTP status Connect met. */
  statusCode?: number | undefined;
  /** `configuration_error`, `server_error`: the message the user saw. */
  errorMessage?: string | undefined;
  /** `configuration_error`: refused by this package before Connect opened. */
  preflight?: boolean | undefined;
  /** `vehicle_incompatible`: what the user shared of the vehicle. */
  vehicle?: IncompatibleVehicle | undefined;
  /** `battery_capacity_no_selection`: the vehicle whose battery capacity the owner did not know. */
  vehicleId?: string | undefined;
}

// Symbol.for is shared by every realm and every copy of this bundle, so the
// brand survives iframes and duplicated installs where instanceof does not.
const BRAND = Symbol.for('smartcar-connect-browser.error');

/**
 * The base of every error this package rejects with or emits. `code` is the
 * discriminant: Connect's own `error` parameter, or one of this package's
 * codes (`popup_blocked`, `popup_closed`, `timeout`, `state_mismatch`,
 * `invalid_response`). A code this version does not know stays a plain
 * `ConnectError` with the code as Connect sent it.
 *
 * @example
 * try { await connect.popup(); }
 * catch (e) { if (isConnectError(e)) console.log(e.code, e.description); }
 */
export class ConnectError<C extends string = string, N extends string = 'ConnectError'> extends Error {
  override readonly name: N;
  readonly code: C;
  /** Connect's `error_description`, or this package's explanation. */
  readonly description: string;
  readonly state?: string;
  readonly params?: ConnectParams;
  /** True when the answer came after its popup flow had ended as `popup_closed` (COOP cut the popup off). */
  readonly late?: true;
  declare readonly cause?: unknown;

  constructor(code: C, description?: string, init: ConnectErrorInit = {}) {
    super(description || code);
    this.name = 'ConnectError' as N;
    this.code = code;
    this.description = description || code;
    for (const [field, value] of Object.entries(init)) {
      if (value !== undefined) (this as Record<string, unknown>)[field] = value;
    }
  }

  /** @internal The brand `isConnectError` reads. */
  get [BRAND](): true {
    return true;
  }
}

/** A class of this package: `new`, `instanceof` and `extends` work as for any class. */
export interface ConnectErrorClass<E extends ConnectError<string, string>> {
  new (description?: string, init?: ConnectErrorInit): E;
  readonly prototype: E;
}

/** Every class, by the code it stands for. */
export const CLASSES = Object.create(null) as Record<string, ConnectErrorClass<ConnectError<string, string>> | undefined>;

/** A code's class name: access_denied is AccessDeniedError, server_error ServerError. */
export const className = (code: string): string =>
  `${code.replace(/^user_manually_|_error$/g, '').replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase())}Error`;

function define<E extends ConnectError<string, string>>(code: E['code'], fallback?: string): ConnectErrorClass<E> {
  const name = className(code);
  return (CLASSES[code] = class extends ConnectError<string, string> {
    constructor(description = fallback, init?: ConnectErrorInit) {
      super(code, description, init);
      (this as { name: string }).name = name;
    }
  } as unknown as ConnectErrorClass<E>);
}

/** An instance of {@link ConfigurationError}. */
export interface ConfigurationError extends ConnectError<'configuration_error', 'ConfigurationError'> {
  readonly statusCode?: number;
  readonly errorMessage?: string;
  readonly preflight?: boolean;
}
/**
 * The user met Connect's Error page and chose "Exit". `statusCode` is the
 * HTTP status Connect met, `errorMessage` the text the user saw, `preflight`
 * true when this package refused the flow before Connect opened.
 *
 * @example
 * connect.on('configuration_error', (e) => banner(`${e.statusCode}: ${e.errorMessage}`));
 */
export const ConfigurationError = define<ConfigurationError>('configuration_error');

/** An instance of {@link AccessDeniedError}. */
export type AccessDeniedError = ConnectError<'access_denied', 'AccessDeniedError'>;
/**
 * The user denied the requested permissions.
 * @example connect.on('access_denied', () => say('No problem, you can connect later.'));
 */
export const AccessDeniedError = define<AccessDeniedError>('access_denied');

/** An instance of {@link InvalidSubscriptionError}. */
export type InvalidSubscriptionError = ConnectError<'invalid_subscription', 'InvalidSubscriptionError'>;
/**
 * The vehicle is compatible but its connected-services subscription is inactive.
 * @example connect.on('invalid_subscription', () => say('Activate your carmaker\'s app first.'));
 */
export const InvalidSubscriptionError = define<InvalidSubscriptionError>('invalid_subscription');

/** An instance of {@link NoVehiclesError}. */
export type NoVehiclesError = ConnectError<'no_vehicles', 'NoVehiclesError'>;
/**
 * The owner's connected-services account has no vehicles.
 * @example connect.on('no_vehicles', () => say('No cars were found on that account.'));
 */
export const NoVehiclesError = define<NoVehiclesError>('no_vehicles');

/** An instance of {@link VehicleIncompatibleError}. */
export interface VehicleIncompatibleError extends ConnectError<'vehicle_incompatible', 'VehicleIncompatibleError'> {
  readonly vehicle?: IncompatibleVehicle;
}
/**
 * The user tried to authorize a vehicle Connect does not support.
 * @example connect.on('vehicle_incompatible', (e) => say(`${e.vehicle?.make ?? 'This car'} is not supported yet`));
 */
export const VehicleIncompatibleError = define<VehicleIncompatibleError>('vehicle_incompatible');

/** An instance of {@link ServerError}. */
export interface ServerError extends ConnectError<'server_error', 'ServerError'> {
  readonly statusCode?: number;
  readonly errorMessage?: string;
}
/**
 * Connect failed unexpectedly; it may report `statusCode` and `errorMessage`.
 * @example connect.on('server_error', (e) => retryLater(e.statusCode));
 */
export const ServerError = define<ServerError>('server_error');

/** An instance of {@link ReturnedToApplicationError}. */
export type ReturnedToApplicationError = ConnectError<'user_manually_returned_to_application', 'ReturnedToApplicationError'>;
/**
 * The user left Connect by "Back to application" before granting access.
 * @example connect.on('user_manually_returned_to_application', () => say('Connect again any time.'));
 */
export const ReturnedToApplicationError = define<ReturnedToApplicationError>('user_manually_returned_to_application');

/** An instance of {@link UserCancelledError}. */
export type UserCancelledError = ConnectError<'user_cancelled', 'UserCancelledError'>;
/**
 * The user cancelled or refused the carmaker's login screen inside Connect.
 * @example connect.on('user_cancelled', () => say('You can log in to your carmaker later.'));
 */
export const UserCancelledError = define<UserCancelledError>('user_cancelled');

/** An instance of {@link OemCancelledLoginError}. */
export type OemCancelledLoginError = ConnectError<'oem_cancelled_login', 'OemCancelledLoginError'>;
/**
 * The user went to authorize with the carmaker directly and left that flow without completing it.
 * @example connect.on('oem_cancelled_login', () => say('You can finish with your carmaker later.'));
 */
export const OemCancelledLoginError = define<OemCancelledLoginError>('oem_cancelled_login', 'The user did not complete authorization with the OEM');

/** An instance of {@link BatteryCapacityNoSelectionError}. */
export interface BatteryCapacityNoSelectionError extends ConnectError<'battery_capacity_no_selection', 'BatteryCapacityNoSelectionError'> {
  readonly vehicleId?: string;
}
/**
 * On Connect's battery-capacity page the owner chose "I don't know the battery capacity";
 * `vehicleId` is the vehicle it was asked for.
 * @example connect.on('battery_capacity_no_selection', (e) => useNominalCapacityUnknown(e.vehicleId));
 */
export const BatteryCapacityNoSelectionError = define<BatteryCapacityNoSelectionError>('battery_capacity_no_selection');

/** An instance of {@link PopupBlockedError}. */
export type PopupBlockedError = ConnectError<'popup_blocked', 'PopupBlockedError'>;
/**
 * The browser refused to open the popup. Usually `popup()` ran outside the click's own task (after
 * an await): call it straight from the click handler.
 * @example connect.on('popup_blocked', () => showLink(connect.url()));
 */
export const PopupBlockedError = define<PopupBlockedError>('popup_blocked', explain('Popup blocked'));

/** An instance of {@link PopupClosedError}. */
export type PopupClosedError = ConnectError<'popup_closed', 'PopupClosedError'>;
/**
 * The user closed the popup before Connect answered.
 * @example connect.on('popup_closed', () => enableButton());
 */
export const PopupClosedError = define<PopupClosedError>('popup_closed', 'Popup closed');

/** An instance of {@link TimeoutError}. */
export type TimeoutError = ConnectError<'timeout', 'TimeoutError'>;
/**
 * `timeoutMs` passed before Connect answered; the popup was closed.
 * @example await connect.popup({ timeoutMs: 600_000 });
 */
export const TimeoutError = define<TimeoutError>('timeout', 'Timed out');

/** An instance of {@link StateMismatchError}. */
export type StateMismatchError = ConnectError<'state_mismatch', 'StateMismatchError'>;
/**
 * A response came back whose state is missing, stale, used or not this flow's.
 * @example connect.on('state_mismatch', () => say('Please start again.'));
 */
export const StateMismatchError = define<StateMismatchError>('state_mismatch', 'Not this flow’s response');

/** An instance of {@link InvalidResponseError}. */
export type InvalidResponseError = ConnectError<'invalid_response', 'InvalidResponseError'>;
/**
 * A callback URL with none of `code`, `user_id`, `vehicle_id` or `error`.
 * @example parseConnectResponse('?foo=bar').ok === false;
 */
export const InvalidResponseError = define<InvalidResponseError>('invalid_response', 'Not an answer from Connect');

/** Every error class with its own `code`. */
export type KnownConnectError =
  | ConfigurationError
  | AccessDeniedError
  | InvalidSubscriptionError
  | NoVehiclesError
  | VehicleIncompatibleError
  | ServerError
  | ReturnedToApplicationError
  | UserCancelledError
  | OemCancelledLoginError
  | BatteryCapacityNoSelectionError
  | PopupBlockedError
  | PopupClosedError
  | TimeoutError
  | StateMismatchError
  | InvalidResponseError;

/**
 * A code Connect sent that this version does not know: a plain `ConnectError`.
 * The fields of the other classes are declared absent so that a
 * `switch (err.code)` over {@link AnyConnectError} types them in each case.
 */
export interface UnknownConnectError extends ConnectError<string> {
  readonly statusCode?: undefined;
  readonly errorMessage?: undefined;
  readonly preflight?: undefined;
  readonly vehicle?: undefined;
  readonly vehicleId?: undefined;
}

/** What every flow rejects with (besides `signal.reason`) and what `error` events carry. */
export type AnyConnectError = KnownConnectError | UnknownConnectError;

/** Codes with an event and a class of their own. */
export type ConnectErrorCode = KnownConnectError['code'];

/** The codes that have a class (and an event) of their own. */
export const ERROR_CODES = Object.keys(CLASSES) as ConnectErrorCode[];

/** The error for a code: its own class, or a plain `ConnectError` that keeps an unknown code. */
export function errorFor(code: string, description?: string, init?: ConnectErrorInit): AnyConnectError {
  const Class = CLASSES[code];
  return (Class ? new Class(description, init) : new ConnectError<string>(code, description, init)) as AnyConnectError;
}

/**
 * True for every error of this package, from any copy of the bundle and any
 * realm (iframe, worker), where `instanceof` would fail.
 *
 * @example
 * catch (e) { if (isConnectError(e) && e.code === 'configuration_error') show(e.errorMessage); }
 */
export function isConnectError(value: unknown): value is AnyConnectError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
