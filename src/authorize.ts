import type { ConnectUrlOptions } from './options';

// The URL of Connect's authorize page, built from options already read and checked, and how every
// Connect URL is written. Pure.

/** Where Connect runs for real. */
export const CONNECT_ORIGIN = 'https://connect.smartcar.com';

/** Options already read and checked, with the client id under `clientId`. */
export type UrlOptions = ConnectUrlOptions & { clientId: string };

/** The origin these options send the user to. */
export const originOf = (o: UrlOptions): string => (o.connectOrigin ? new URL(o.connectOrigin).origin : CONNECT_ORIGIN);

/** A Connect URL: its parameters in the order given, each encoded, those left undefined left out. */
export function pageUrl(o: UrlOptions, path: string, params: Record<string, unknown>): string {
  // null is Connect's documented way to clear the stored external id: it is sent, as `null`.
  Object.assign(params, { state: o.state }, path === 'oauth/authorize' && authorizeExtras(o), { user: o.user, external_id: o.externalId });
  const query = Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${encodeURIComponent(String(params[k]))}`)
    .join('&');
  return `${originOf(o)}/${path}?${query}`;
}

/** What only the authorize page takes, after the state. */
function authorizeExtras(o: UrlOptions): Record<string, unknown> {
  const flags = Object.entries(o.flags || {}).map((pair) => pair.join(':'));
  return {
    mode: o.mode || 'live',
    approval_prompt: o.forcePrompt ? 'force' : undefined,
    make: o.make,
    single_select: o.singleSelect ? 'true' : undefined,
    single_select_vin: typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined,
    flags: flags.join(' ') || undefined,
  };
}

/** The authorize page (`/oauth/authorize`) for these options. */
export const authorizeUrl = (o: UrlOptions): string =>
  pageUrl(o, 'oauth/authorize', {
    response_type: o.responseType || 'code',
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    app_origin: o.redirectUri ? undefined : o.appOrigin,
    scope: o.scope?.join(' ') || undefined,
  });
