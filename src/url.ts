import { authorizeUrl, type UrlOptions } from './authorize';
import { badOption, MAIN_RULES, readAppOptions, type ConnectUrlOptions } from './options';
import { otherPageUrl } from './pages';
import { preflight } from './preflight';

// Connect's URLs, every page of it, built from options already read and checked. Pure.

export { CONNECT_ORIGIN } from './authorize';

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
export const buildConnectUrl = (options: ConnectUrlOptions): string => connectUrl(readAppOptions(options, MAIN_RULES));

/** The URL for options already read by {@link readAppOptions}, in an object without a prototype. */
export function connectUrl(o: UrlOptions): string {
  const refused = preflight(o.mode, typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined);
  if (refused) throw Object.assign(badOption('singleSelect.vin', "a real vehicle's VIN in live mode"), { cause: refused });
  return otherPageUrl(o) ?? authorizeUrl(o);
}
