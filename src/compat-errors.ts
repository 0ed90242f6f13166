import {
  AccessDeniedError,
  InvalidSubscriptionError,
  VehicleIncompatibleError,
  type AnyConnectError,
  type ConnectErrorInit,
} from './errors';

// The errors @smartcar/auth 2.14.1 gives onComplete, as classes of this package too, and which one an
// error Connect reported becomes.

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

/**
 * The error `onComplete` receives for an error Connect reported: `@smartcar/auth`'s class where it has one, this
 * package's typed one otherwise.
 */
export function officialError(e: AnyConnectError): Error {
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
