// What Connect sends back for each outcome, as its documentation describes it: shared by the
// browser kit (simulateConnect, connectAnswer) and the Connect stand-in. No Node imports.

/** A UUID like the ids Connect hands out. */
export const uuid = (): string => globalThis.crypto.randomUUID();

export const CONFIGURATION_DESCRIPTION = 'There has been an error in the configuration of your application.';
export const TEST_VIN_MESSAGE = 'You have entered a test mode VIN. Please enter a VIN that belongs to a real vehicle.';

/**
 * Each outcome's redirect parameters (without state), and a label for the stand-in's pages.
 * Allow answers as today's Connect does, with a code and the owner's user_id.
 */
export const OUTCOMES: Record<string, { label: string; params: () => Record<string, string> }> = {
  allow: { label: 'Allow', params: () => ({ code: uuid(), user_id: uuid() }) },
  allow_user_id: { label: 'Answer with user_id alone (no code)', params: () => ({ user_id: uuid() }) },
  access_denied: {
    label: 'Deny access',
    params: () => ({ error: 'access_denied', error_description: 'User denied access to application.' }),
  },
  configuration_error: {
    label: 'Error page, then Exit',
    params: () => ({
      error: 'configuration_error',
      error_description: CONFIGURATION_DESCRIPTION,
      status_code: '400',
      error_message: TEST_VIN_MESSAGE,
    }),
  },
  invalid_subscription: {
    label: 'Inactive subscription',
    params: () => ({
      error: 'invalid_subscription',
      error_description: 'User does not have an active connected vehicle subscription.',
    }),
  },
  no_vehicles: {
    label: 'No vehicles on the account',
    params: () => ({ error: 'no_vehicles', error_description: 'User does not have any vehicles.' }),
  },
  vehicle_incompatible: {
    label: 'Incompatible vehicle',
    params: () => ({
      error: 'vehicle_incompatible',
      error_description: "The user's vehicle is not compatible.",
      vin: '0SCAUDI012FE3B132',
      make: 'AUDI',
      model: 'A4',
      year: '2019',
    }),
  },
  server_error: {
    label: 'Connect fails',
    params: () => ({
      error: 'server_error',
      error_description: 'Unexpected server error.',
      status_code: '500',
      error_message: 'Something went wrong. Please try again later.',
    }),
  },
  user_manually_returned_to_application: {
    label: 'Back to application',
    params: () => ({
      error: 'user_manually_returned_to_application',
      error_description: 'User returned to the application.',
    }),
  },
  user_cancelled: {
    label: "User cancelled at the carmaker's login",
    params: () => ({ error: 'user_cancelled', error_description: "User cancelled or denied login at OEM's login screen" }),
  },
  oem_cancelled_login: {
    label: "Left the carmaker's own authorization",
    params: () => ({ error: 'oem_cancelled_login', error_description: 'The user did not complete authorization with the OEM' }),
  },
  battery_capacity_no_selection: {
    label: "I don't know the battery capacity",
    params: () => ({ error: 'battery_capacity_no_selection', error_description: 'user did not know battery capacity' }),
  },
  unknown_error: {
    label: 'An error code this SDK does not know',
    params: () => ({ error: 'rate_limited_by_oem', error_description: 'Too many attempts. Try again in an hour.' }),
  },
};

/** Smartcar's test-mode VINs break ISO 3779 (I, O, Q) or start with 0, which no real VIN does. */
export const isTestModeVin = (vin: string): boolean => /[IOQ]/i.test(vin) || vin.startsWith('0');

/** Redirect parameters, by name. */
export type Params = Record<string, string>;

/** Connect's pages that send the user back with an answer. */
export type ConnectPage = 'authorize' | 'reauthenticate' | 'battery-capacity';

/** Which page a Connect URL's path is. */
export const pageAt = (pathname: string): ConnectPage =>
  pathname.endsWith('/battery-capacity') ? 'battery-capacity' : pathname.endsWith('/reauthenticate') ? 'reauthenticate' : 'authorize';

/** The battery capacity the docs' example answers with, in kWh. */
export const DOCS_CAPACITY = '80.9';

/**
 * What Connect answers for an outcome on a page: an error as it is (the battery-capacity page's
 * with the vehicle it asked about); a re-authentication's success with the vehicle's id; the
 * battery-capacity page's with the vehicle, the capacity chosen and its reason; response_type=none's
 * success with user_id and no code. A success carries the external id it was given
 * (external_id=null clears it, so nothing comes back).
 */
export function answerFor(page: ConnectPage, q: URLSearchParams, params: Params): Params {
  const vehicle = q.get('vehicle_id')!;
  if (page === 'battery-capacity') {
    return params.error
      ? { ...params, vehicle_id: vehicle }
      : { vehicle_id: vehicle, selected_capacity: params.selected_capacity ?? DOCS_CAPACITY, reason: 'battery_capacity' };
  }
  if (params.error) return params;
  const answer: Params = page === 'reauthenticate' ? { vehicle_id: vehicle } : { ...params };
  delete answer.selected_capacity;
  if (q.get('response_type') === 'none') delete answer.code;
  const external = q.get('external_id');
  if (external !== null && external !== 'null') answer.external_id = external;
  return answer;
}

/**
 * Where Connect sends the user back: the redirect URI (its own query kept) with the answer and the
 * state; the battery-capacity page answers without state, as its documentation shows.
 */
export function redirectTarget(page: ConnectPage, q: URLSearchParams, params: Params): string {
  const target = new URL(q.get('redirect_uri')!);
  for (const [k, v] of Object.entries(answerFor(page, q, params))) target.searchParams.append(k, v);
  if (q.has('state') && page !== 'battery-capacity') target.searchParams.append('state', q.get('state')!);
  return target.href;
}

/** Connect's redirect parameters and the SmartcarAuthMessage fields that carry them. */
export const AUTH_FIELDS: Params = {
  code: 'code', error: 'error', error_description: 'errorDescription', state: 'state', vin: 'vin', make: 'make',
  model: 'model', year: 'year', virtual_key_url: 'virtualKeyUrl', user_id: 'userId', external_id: 'externalId',
};

/** Turns redirect parameters into a SmartcarAuthMessage (Connect's own, or the hosted page's). */
export function authMessage(params: Params, q: URLSearchParams): Record<string, string | null> {
  const message: Record<string, string | null> = { name: 'SmartcarAuthMessage', state: q.get('state') };
  for (const [k, v] of Object.entries(params)) if (AUTH_FIELDS[k] && k !== 'state') message[AUTH_FIELDS[k]] = v;
  return message;
}
