import { badOption, readAppOptions, readBatteryCapacity, readReauthenticate, type ConnectUrlOptions } from './options';
import { preflight } from './preflight';

// Connect's URLs, built from options already read and checked. Pure.

/** Where Connect runs for real. */
export const CONNECT_ORIGIN = 'https://connect.smartcar.com';

/**
 * The URL of Connect's page for these options: `/oauth/authorize`, or
 * `/oauth/reauthenticate` with `reauthenticate`, or `/battery-capacity` with
 * `batteryCapacity`. Pure: works in Node, workers and browsers. Throws
 * `TypeError` naming the option when one is wrong, including a test-mode
 * single-select VIN in live mode (Connect would refuse it).
 *
 * @example
 * buildConnectUrl({ clientId: 'app-id', redirectUri: 'https://app.example/callback', scope: ['read_odometer'] });
 * // https://connect.smartcar.com/oauth/authorize?response_type=code&client_id=app-id&...
 */
export const buildConnectUrl = (options: ConnectUrlOptions): string => connectUrl(readAppOptions(options));

/** The URL for options already read by {@link readAppOptions}, in an object without a prototype. */
export function connectUrl(o: ConnectUrlOptions & { clientId: string }): string {
  const clientId = o.clientId;
  const origin = o.connectOrigin ? new URL(o.connectOrigin).origin : CONNECT_ORIGIN;
  const battery = o.batteryCapacity === undefined ? undefined : readBatteryCapacity(o, origin);
  const vehicleId = o.reauthenticate === undefined ? undefined : readReauthenticate(o, origin);
  const vin = typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined;
  const refused = preflight(o.mode, vin);
  if (refused) throw Object.assign(badOption('singleSelect.vin', "a real vehicle's VIN in live mode"), { cause: refused });
  const flags = Object.entries(o.flags || {}).map((pair) => pair.join(':'));
  // Re-authentication and the battery-capacity page take only the parameters Connect documents
  // for them, in its documented order; neither takes the client's scope or mode.
  const params: Record<string, unknown> = battery
    ? { vehicle_id: battery.vehicleId, client_id: clientId, token: battery.token, response_type: 'vehicle_id', redirect_uri: o.redirectUri }
    : vehicleId
      ? { response_type: 'vehicle_id', client_id: clientId, vehicle_id: vehicleId, redirect_uri: o.redirectUri }
      : {
          response_type: o.responseType || 'code',
          client_id: clientId,
          redirect_uri: o.redirectUri,
          app_origin: o.redirectUri ? undefined : o.appOrigin,
          scope: o.scope?.join(' ') || undefined,
        };
  Object.assign(
    params,
    { state: o.state },
    !vehicleId &&
      !battery && {
        mode: o.mode || 'live',
        approval_prompt: o.forcePrompt ? 'force' : undefined,
        make: o.make,
        single_select: o.singleSelect ? 'true' : undefined,
        single_select_vin: vin,
        flags: flags.join(' ') || undefined,
      },
    // null is Connect's documented way to clear the stored external id.
    { user: o.user, external_id: o.externalId },
  );
  const query = Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${encodeURIComponent(String(params[k]))}`)
    .join('&');
  return `${origin}/${battery ? 'battery-capacity' : vehicleId ? 'oauth/reauthenticate' : 'oauth/authorize'}?${query}`;
}
