import { pageUrl, originOf, type UrlOptions } from './authorize';
import type { Expected } from './records';
import { fixOf } from './dev';
import { badOption, safeUrl, type ConnectUrlOptions, type FlowOptions } from './options';

// Connect's re-authentication and battery-capacity pages: what their options must be, their URLs,
// and what a flow that opens one expects back. The main entry's alone: the popup entry opens only
// the authorize page.

/** A Smartcar vehicle id: letters, digits, dashes and underscores. */
const VEHICLE_ID = /^[\w-]{1,200}$/;

/** Refuses the options that do not go with `option` (Connect's page for it has no such parameter). */
function refuseBeside(o: ConnectUrlOptions, option: string, names: readonly (keyof ConnectUrlOptions)[]): void {
  for (const name of names) if (o[name] !== undefined) throw badOption(name, `left out with ${option}`);
  if (!o.redirectUri) throw badOption(option, 'used with a redirectUri');
}

/**
 * A URL on Connect's `origin`, at `path`, for this client (or none named), with a vehicle id: its
 * query. Anything else is nothing.
 */
function connectPage(value: unknown, origin: string, path: string, clientId: string): URLSearchParams | undefined {
  const url = safeUrl(value);
  const query = url?.searchParams;
  const named = query?.get('client_id') ?? query?.get('application_id');
  const id = query?.get('vehicle_id');
  return url?.origin === origin && url.pathname === path && id && VEHICLE_ID.test(id) && (!named || named === clientId) ? query : undefined;
}

/**
 * The vehicle a re-authentication is for: `reauthenticate` itself when it is
 * a vehicle id, else the `vehicle_id` of a re-authentication URL on Connect's
 * `origin` (for this client, when it names one), given as it is or as the API
 * error's resolution. The options that do not apply beside it, a missing
 * redirect URI, and anything else are a `TypeError` that says what to do.
 */
function readReauthenticate(o: UrlOptions, origin: string): string {
  refuseBeside(o, 'reauthenticate', ['forcePrompt', 'make', 'singleSelect', 'flags']);
  let value = o.reauthenticate;
  const must = 'a vehicle id, a re-authentication URL or a REAUTHENTICATE resolution with a url';
  if (typeof value === 'object' && value) {
    if (value.type !== 'REAUTHENTICATE') throw badOption('reauthenticate', `${must}, not ${String(value.type)}`);
    if (!value.url) throw badOption('reauthenticate', must + fixOf('noUrl'));
    value = value.url;
  }
  if (VEHICLE_ID.test(value as string)) return value as string;
  const query = connectPage(value, origin, '/oauth/reauthenticate', o.clientId);
  if (query) return query.get('vehicle_id')!;
  if (safeUrl(value)?.searchParams.has('make')) throw badOption('reauthenticate', must + fixOf('permissionUpdate'));
  throw badOption('reauthenticate', must);
}

/**
 * The vehicle and token of a battery-capacity URL (the `url` of `GET /battery/nominal_capacity`)
 * on Connect's `origin`, for this client or none named. The options that do not apply beside it,
 * a missing redirect URI, and anything else are a `TypeError`.
 */
function readBatteryCapacity(o: UrlOptions, origin: string): { vehicleId: string; token?: string | undefined } {
  refuseBeside(o, 'batteryCapacity', ['forcePrompt', 'make', 'singleSelect', 'flags', 'reauthenticate', 'user', 'externalId']);
  const query = connectPage(o.batteryCapacity, origin, '/battery-capacity', o.clientId);
  if (!query) throw badOption('batteryCapacity', 'the url of GET /battery/nominal_capacity, for this client');
  return { vehicleId: query.get('vehicle_id')!, token: query.get('token') ?? undefined };
}

/**
 * The URL of the re-authentication or battery-capacity page these options open, each with only
 * the parameters Connect documents for it, in its documented order (neither takes the client's
 * scope or mode); nothing when they open the authorize page.
 */
export function otherPageUrl(o: UrlOptions): string | undefined {
  const origin = originOf(o);
  if (o.batteryCapacity !== undefined) {
    const battery = readBatteryCapacity(o, origin);
    const params = { vehicle_id: battery.vehicleId, client_id: o.clientId, token: battery.token, response_type: 'vehicle_id', redirect_uri: o.redirectUri };
    return pageUrl(o, 'battery-capacity', params);
  }
  if (o.reauthenticate === undefined) return undefined;
  const vehicleId = readReauthenticate(o, origin);
  return pageUrl(o, 'oauth/reauthenticate', { response_type: 'vehicle_id', client_id: o.clientId, vehicle_id: vehicleId, redirect_uri: o.redirectUri });
}

/**
 * Which page a flow with these options opens, and for a battery-capacity page, its vehicle (checked whole when the URL
 * is built).
 */
export function expectedOf(o: FlowOptions): Pick<Expected, 'kind' | 'vehicleId'> {
  if (o.reauthenticate !== undefined) return { kind: 'reauthenticate' };
  if (o.batteryCapacity === undefined) return { kind: 'authorize' };
  let vehicleId: string | undefined;
  try {
    vehicleId = new URL(o.batteryCapacity).searchParams.get('vehicle_id') ?? undefined;
  } catch {
    // not a URL: the flow's URL is refused as it is built
  }
  return { kind: 'battery-capacity', vehicleId };
}
