import { errorFor, InvalidResponseError, type AnyConnectError, type ConnectErrorInit, type IncompatibleVehicle } from './errors';

/**
 * What Connect hands back on success: at least one of `code`, `userId` and
 * `vehicleId` (today's Connect may answer `user_id` with no code; a
 * re-authentication answers `vehicle_id`).
 */
export interface ConnectResult {
  /** The authorization code, for the app's server to exchange (valid for 10 minutes). */
  code?: string | undefined;
  /** The app's own state, exactly as given to the flow. */
  state?: string | undefined;
  /** The re-authenticated vehicle's id. */
  vehicleId?: string | undefined;
  /** Smartcar's id of the vehicle owner (the `sc-user-id` header of API calls). */
  userId?: string | undefined;
  /** Where a Tesla owner registers Smartcar's virtual key. */
  virtualKeyUrl?: string | undefined;
  /** The app's own id for this connection, as it was sent. */
  externalId?: string | undefined;
  /** The battery capacity the owner chose on Connect's battery-capacity page, in kWh. */
  selectedCapacity?: number | undefined;
  /** Why Connect answered, as it says (`'battery_capacity'` from its battery-capacity page). */
  reason?: string | undefined;
}

/** A settled Connect flow: which flow it was and what Connect returned. */
export interface ConnectSuccess extends ConnectResult {
  flow: 'popup' | 'redirect';
  /**
   * True on a `success` event for an answer that came after its popup flow had already ended as
   * `popup_closed` (Cross-Origin-Opener-Policy on a later Connect page cut the popup off while
   * the user went on); that flow's promise had rejected, so only the events carry it.
   */
  late?: true | undefined;
}

/** The parsed redirect: a result, or the typed error Connect reported. */
export type ConnectResponse = { ok: true; result: ConnectResult } | { ok: false; error: AnyConnectError };

/** Anything a callback URL can arrive as. */
export type ConnectResponseInput = string | URL | URLSearchParams;

/** A redirect is a success when it carries one of these and no `error`. */
const SUCCESS_PARAMS = ['code', 'user_id', 'vehicle_id'];
/** The parameters that make a URL Connect's answer, one way or the other. */
export const ANSWER_PARAMS = [...SUCCESS_PARAMS, 'error'];
/** Success parameters, each read into its camelCase field. */
const RESULT_PARAMS = [...SUCCESS_PARAMS, 'state', 'virtual_key_url', 'external_id', 'selected_capacity', 'reason'];

/** Every parameter Connect redirects with: what a return URL is cleaned of (a call marked pure: only the same-window flow carries it). */
export const CONNECT_PARAMS = /* @__PURE__ */ RESULT_PARAMS.concat('error', 'error_description', 'status_code', 'error_message', 'vin', 'make', 'model', 'year');
const camel = (name: string): string => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Reads Connect's redirect. Takes a full URL, `?query`, a bare query, a `URL`
 * or `URLSearchParams`. A success is a redirect with any of `code`, `user_id`
 * or `vehicle_id` and no `error`. Never throws: anything that is not a
 * Connect response gives `{ ok: false, error: InvalidResponseError }`. Where a
 * name repeats, its first value counts.
 *
 * @example
 * const r = parseConnectResponse(location.href);
 * if (!r.ok && r.error.code === 'configuration_error') show(r.error.errorMessage);
 */
export function parseConnectResponse(input: ConnectResponseInput): ConnectResponse {
  let params: Record<string, string>;
  try {
    params = readParams(input);
  } catch (cause) {
    return { ok: false, error: new InvalidResponseError(undefined, { cause }) };
  }
  const init: ConnectErrorInit = { state: params.state, params };
  if (params.error) {
    const code = params.error;
    const statusCode = integer(params.status_code, 100, 599);
    const extra: ConnectErrorInit =
      code === 'vehicle_incompatible'
        ? { vehicle: vehicle(params) }
        : code === 'configuration_error' || code === 'server_error'
          ? { statusCode, errorMessage: params.error_message }
          : code === 'battery_capacity_no_selection'
            ? { vehicleId: params.vehicle_id }
            : {};
    return { ok: false, error: errorFor(code, params.error_description, { ...init, ...extra }) };
  }
  if (!SUCCESS_PARAMS.some((name) => params[name])) return { ok: false, error: new InvalidResponseError(undefined, init) };
  const result: Record<string, string | number> = {};
  for (const name of RESULT_PARAMS) if (params[name] !== undefined) result[camel(name)] = params[name];
  // A capacity is a positive decimal number of kWh; anything else is left out (the raw text is not a number).
  const capacity = /^\d{1,6}(\.\d{1,6})?$/.test(params.selected_capacity ?? '') ? Number(params.selected_capacity) : 0;
  if (capacity > 0) result.selectedCapacity = capacity;
  else delete result.selectedCapacity;
  return { ok: true, result };
}

function vehicle(p: Record<string, string>): IncompatibleVehicle | undefined {
  const v: IncompatibleVehicle = { vin: p.vin, make: p.make, model: p.model, year: integer(p.year, 1, 9999) };
  for (const k of Object.keys(v) as (keyof IncompatibleVehicle)[]) if (!v[k]) delete v[k];
  return Object.keys(v).length ? v : undefined;
}

/** The integer a parameter spells in plain digits, inside [min, max]. */
function integer(raw: string | undefined, min: number, max: number): number | undefined {
  const n = raw && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  return n >= min && n <= max ? n : undefined;
}

function readParams(input: ConnectResponseInput): Record<string, string> {
  // A string's query is what follows its first '?' (all of it when there is none), up to '#'.
  // URLSearchParams from any realm is iterable, and a URL or Location has `search`.
  const source =
    typeof input === 'string'
      ? input.slice(input.indexOf('?') + 1).split('#')[0]
      : typeof (input as URL | null)?.search === 'string'
        ? (input as URL).search
        : typeof input === 'object' && input
          ? (input as URLSearchParams)
          : notAUrl();
  const params = Object.create(null) as Record<string, string>;
  new URLSearchParams(source).forEach((value, name) => {
    if (!(name in params)) params[name] = value;
  });
  return params;
}

function notAUrl(): never {
  throw new TypeError('not a URL');
}
