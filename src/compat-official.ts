// The byte-for-byte copy of what @smartcar/auth 2.14.1 writes: its Connect URL and its state codec.
// getAuthUrl() gives this URL as it is; the drop-in's popup flow writes the same URL with `client_id`
// and the engine's own state. Nothing here reads the page.

/** What `getAuthUrl()` takes. */
export interface AuthUrlOptions {
  /** The app's own state, handed back to `onComplete`. */
  state?: string | undefined;
  /** Always show the approval screen. */
  forcePrompt?: boolean | undefined;
  /** `make` skips the brand selection (for example `'TESLA'`). */
  vehicleInfo?: { make?: string | undefined } | undefined;
  /** `true`: one vehicle only; `{ vin }`: only that vehicle. */
  singleSelect?: boolean | { vin?: string | undefined } | undefined;
  /** Feature flags, each `'name:value'` (for example `'country:DE'`). */
  flags?: string[] | undefined;
  /** Groups one owner's Connect sessions in Smartcar's analytics. */
  user?: string | undefined;
}

/** The hosted redirect page of `@smartcar/auth`. */
export const HOSTED = 'https://javascript-sdk.smartcar.com';

/** What the official URL is made of: the instance's settings, the flow's options, and how its client id and state are written. */
export interface OfficialUrl {
  connectOrigin: string;
  responseType: string;
  /** `application_id` as @smartcar/auth writes it, or `client_id` (the drop-in's popup flow). */
  clientIdParam: 'application_id' | 'client_id';
  clientId: string;
  redirectUri?: string | undefined;
  scope?: readonly string[] | undefined;
  mode: string;
  externalId?: string | null | undefined;
  /** Sent as `app_origin` with `responseType` none and no redirect URI (read then only: a server has no page). */
  appOrigin: () => string;
  /** As it goes into the URL (the official state is not percent-encoded). */
  state: string;
  options: AuthUrlOptions;
}

/** The Connect URL `@smartcar/auth` writes, parameter for parameter, in its order. */
export function officialAuthUrl(u: OfficialUrl): string {
  const o = u.options;
  let link = `${u.connectOrigin}/oauth/authorize?response_type=${u.responseType}&${u.clientIdParam}=${u.clientId}`;
  if (u.redirectUri) link += `&redirect_uri=${encodeURIComponent(u.redirectUri)}`;
  link += `&approval_prompt=${o.forcePrompt === true ? 'force' : 'auto'}`;
  if (u.scope) link += `&scope=${encodeURIComponent(u.scope.join(' '))}`;
  link += `&mode=${u.mode}`;
  const single = o.singleSelect;
  if (single !== undefined && single !== null) {
    if (typeof single === 'object') link += 'vin' in single ? `&single_select_vin=${single.vin}&single_select=true` : '&single_select=false';
    else link += `&single_select=${single === true}`;
  }
  link += `&state=${u.state}`;
  if (o.vehicleInfo && 'make' in o.vehicleInfo) link += `&make=${encodeURIComponent(o.vehicleInfo.make!)}`;
  if (o.flags) link += `&flags=${encodeURIComponent(o.flags.join(' '))}`;
  if (o.user) link += `&user=${encodeURIComponent(o.user)}`;
  if (u.externalId !== undefined) link += `&external_id=${u.externalId === null ? 'null' : encodeURIComponent(u.externalId)}`;
  if (u.responseType === 'none' && !u.redirectUri) link += `&app_origin=${encodeURIComponent(u.appOrigin())}`;
  return link;
}

/** `btoa` of JSON, with what is not Latin-1 written as JSON escapes (where `@smartcar/auth` throws). */
export const encodeState = (value: object): string =>
  btoa(JSON.stringify(value).replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** The official state's fields, or nothing when `state` is not one. */
export function decodeState(state: unknown): { instanceId?: unknown; originalState?: unknown } | undefined {
  try {
    const value = JSON.parse(atob(state as string)) as unknown;
    return typeof value === 'object' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The popup's position and size (CSS pixels, as numbers or strings). */
export interface WindowOptions {
  top?: string | number | undefined;
  left?: string | number | undefined;
  width?: string | number | undefined;
  height?: string | number | undefined;
}

/** One side of `windowOptions` as `@smartcar/auth` reads it: a number (width and height at least 100), or none. */
export function windowSide(w: WindowOptions | undefined, side: keyof WindowOptions): number | undefined {
  const n = parseFloat(String(w?.[side]));
  if (isNaN(n)) return undefined;
  return side === 'width' || side === 'height' ? Math.max(n, 100) : n;
}

/**
 * The `window.open` features `@smartcar/auth` writes: the given sides, else 30 % of the screen's width and 75 % of
 * its height, placed near the app window's top. A side given as 0 is written as 0, as `@smartcar/auth` writes it.
 */
export function officialWindowFeatures(w: WindowOptions): string {
  const given = (side: keyof WindowOptions): string => String(windowSide(w, side) ?? '');
  const width = screen.width * 0.3;
  const height = screen.height * 0.75;
  return (
    `top=${given('top') || screenY + (outerHeight - height) / 8},` +
    `left=${given('left') || screenX + (outerWidth - width) / 2},` +
    `width=${given('width') || width},` +
    `height=${given('height') || height},`
  );
}
