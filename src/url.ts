import { badOption, readAppOptions, readReauthenticate, type ConnectUrlOptions } from './options';
import { preflight } from './preflight';

// Connect's URLs, built from options already read and checked. Pure.

/** Where Connect runs for real. */
export const CONNECT_ORIGIN = 'https://connect.smartcar.com';

/**
 * The authorize URL for Connect. Pure: works in Node, workers and browsers.
 * Throws `TypeError` naming the option when one is wrong, including a
 * test-mode single-select VIN in live mode (Connect would refuse it).
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
  const vehicleId = o.reauthenticate === undefined ? undefined : readReauthenticate(o, origin);
  const vin = typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined;
  const refused = preflight(o.mode, vin);
  if (refused) throw Object.assign(badOption('singleSelect.vin', "a real vehicle's VIN in live mode"), { cause: refused });
  const flags = Object.entries(o.flags || {}).map((pair) => pair.join(':'));
  // Re-authentication takes only the parameters Connect documents for it, in its documented order.
  const params: Record<string, unknown> = vehicleId
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
    !vehicleId && {
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
  return `${origin}/oauth/${vehicleId ? 'reauthenticate' : 'authorize'}?${query}`;
}
