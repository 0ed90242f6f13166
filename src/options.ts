import { explain, warnApiCredential, warnUnknownOption } from './dev';

// Every option this package takes: its type, its rule, and the readers that check it. Pure.

/** Connect's mode: real vehicles, Smartcar's test vehicles, or simulated ones. */
export type ConnectMode = 'live' | 'test' | 'simulated';

/** What each flow may set; `popup()`, `redirect()`, `url()` and `attach()` take these. */
export interface FlowOptions {
  /** The app's own state: returned exactly, whatever characters it holds. */
  state?: string | undefined;
  /** Always show the approval screen (`approval_prompt=force`). */
  forcePrompt?: boolean | undefined;
  /** Skip the brand selector, e.g. `'TESLA'`. */
  make?: string | undefined;
  /** Let the user pick one vehicle only, or only the one with this VIN. */
  singleSelect?: boolean | { vin: string } | undefined;
  /** Connect feature flags, sent as `name:value` pairs (e.g. `{ country: 'DE' }`). */
  flags?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Groups one owner's Connect sessions in Smartcar's analytics. */
  user?: string | undefined;
  /**
   * The app's own id for this connection; Connect returns it. `null` sends `external_id=null`, which clears the stored
   * one.
   */
  externalId?: string | null | undefined;
  /**
   * Re-authenticate one vehicle (Connect's `/oauth/reauthenticate`) instead of
   * connecting new ones: its vehicle id, the `resolution` object Smartcar's
   * API returns with `AUTHENTICATION_FAILED`, or that resolution's `url` (a
   * re-authentication URL on `connectOrigin`). The flow resolves with
   * `vehicleId`. `forcePrompt`, `make`, `singleSelect` and `flags` do not
   * apply and are refused with it.
   */
  reauthenticate?: string | ApiErrorResolution | undefined;
  /**
   * Ask the owner for the battery's capacity (Connect's `/battery-capacity`):
   * the `url` that `GET /vehicles/{id}/battery/nominal_capacity` returns when
   * it cannot tell (on `connectOrigin`, naming this client or none). The flow
   * resolves with `vehicleId` and `selectedCapacity`. Only `state` (and
   * `signal`, `timeoutMs`, `fallback`) go with it; any other flow option is
   * refused.
   */
  batteryCapacity?: string | undefined;
}

/**
 * The `resolution` of an error of Smartcar's API: what the app should do about it. Only a
 * `REAUTHENTICATE` resolution with a `url` is a Connect flow (`reauthenticate`).
 */
export interface ApiErrorResolution {
  type: 'REAUTHENTICATE' | 'ACTION_REQUIRED' | 'RETRY_LATER' | 'CONTACT_SUPPORT' | (string & Record<never, never>) | null;
  url?: string | null | undefined;
}

/** The application's side of the authorize URL. */
export interface AppOptions {
  /** The application's id. */
  clientId?: string | undefined;
  /** The older name of `clientId`. */
  applicationId?: string | undefined;
  /** Registered redirect URI: https, or http on localhost, 127.0.0.1 or [::1]. */
  redirectUri?: string | undefined;
  /** Permissions; a `required:` prefix makes one mandatory. */
  scope?: readonly string[] | undefined;
  /** `'live'` (default), `'test'` or `'simulated'`. */
  mode?: ConnectMode | undefined;
  /** `'code'` (default), or `'none'` for a completion posted by Connect itself. */
  responseType?: 'code' | 'none' | undefined;
  /** Where Connect runs; defaults to `https://connect.smartcar.com`. */
  connectOrigin?: string | undefined;
}

/** Everything `buildConnectUrl` reads. */
export interface ConnectUrlOptions extends AppOptions, FlowOptions {
  /** Sent as `app_origin` when `responseType` is `'none'` without a `redirectUri`. */
  appOrigin?: string | undefined;
}

/** Popup size in CSS pixels; it is centred on the app's window and kept on screen. */
export interface PopupSize {
  width?: number | undefined;
  height?: number | undefined;
}

/** What `popup()` takes besides the flow's own options. */
export interface PopupOptions extends FlowOptions {
  /** Cancels the flow: the popup closes and the promise rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Overrides the constructor's `timeoutMs` for this flow. */
  timeoutMs?: number | undefined;
  /** This flow's popup size; defaults to the client's `popup`. */
  popup?: PopupSize | undefined;
  /** `'redirect'`: when the browser blocks the popup, continue in this window instead of failing. */
  fallback?: 'redirect' | undefined;
}

/** What `createConnect` takes: the application's side of Connect. */
export interface ConnectOptions extends AppOptions {
  /** Popup size; defaults to 500 × 700, kept on screen. */
  popup?: PopupSize | undefined;
  /** Give up after this many milliseconds (default: never; logging in to a carmaker takes time). */
  timeoutMs?: number | undefined;
}

/** What `attach()` takes: the flow to start, and that flow's options. */
export interface AttachOptions extends PopupOptions {
  /** `'popup'` (default) or `'redirect'` (the same window). */
  flow?: 'popup' | 'redirect' | undefined;
}

/** The client's options, read and checked once, with the client id under `clientId`. */
export type App = ConnectOptions & { clientId: string };

/** A `TypeError` naming the option that is wrong. */
export function badOption(option: string, expected: string, cause?: unknown): TypeError {
  return refusal(`${option} must be ${expected}`, cause);
}

/** A `TypeError` of this package: its message, in development with what to do instead. */
export const refusal = (message: string, cause?: unknown): TypeError => new TypeError(explain(`smartcar-connect: ${message}`), { cause });

/** A string that can go into a URL: encodeURIComponent refuses unpaired surrogates. */
function isText(v: unknown): v is string {
  try {
    return typeof v === 'string' && encodeURIComponent(v) !== null;
  } catch {
    return false;
  }
}
const isWord = (v: unknown): boolean => isText(v) && /^\S+$/.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && !!v;
/** A number in (0, max): no strings, booleans, BigInts or objects with valueOf. */
const isCount = (v: unknown, max: number): boolean => typeof v === 'number' && v > 0 && v < max;
const TEXT: Rule = [isText, 'a string'];

/** Seventeen letters and digits: the shape of a VIN in every mode. */
export const VIN_SHAPE = /^[A-Z\d]{17}$/i;

/** An origin or URL this package may talk to: https, or http on loopback. */
export function safeUrl(value: unknown): URL | undefined {
  try {
    const url = new URL(value as string);
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname))
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}
const isOrigin = (v: unknown): boolean => typeof v === 'string' && safeUrl(v)?.origin === v.replace(/\/$/, '');

/** What a redirect URI must be, said for the way this one is not. */
function redirectRule(v: unknown): string {
  if (typeof v !== 'string') return 'an https URL';
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    // a path, or a host without its scheme
  }
  if (!url || /^[\w.-]+:\d/.test(v)) return 'an absolute URL (https://…)';
  if (!/^https?:$/.test(url.protocol)) return 'an https URL, not a custom scheme';
  if (!safeUrl(v)) return 'https (http only on localhost, 127.0.0.1 or [::1])';
  return 'without a #fragment';
}

// Rules check untyped input from JavaScript callers: each takes whatever the option holds, and
// never coerces it (no String(), no comparison that calls valueOf). What it must be may depend on
// what it is (a redirect URI that is a path is told so).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rule = [ok: (value: any) => unknown, expected: string | ((value: unknown) => string)];

/** Rules are tables with a null prototype: no key is inherited. */
const table = (rules: Record<string, Rule>): Record<string, Rule> => Object.assign(Object.create(null) as object, rules);

/** Every option each entry reads, with what it must be. */
const RULES = table({
  clientId: TEXT,
  applicationId: TEXT,
  responseType: [(v) => v === 'code' || v === 'none', 'code or none'],
  redirectUri: [(v) => typeof v === 'string' && !safeUrl(v)?.hash && safeUrl(v), redirectRule],
  mode: [(v: ConnectMode) => ['live', 'test', 'simulated'].includes(v), 'live, test or simulated'],
  scope: [(v) => Array.isArray(v) && v.every(isWord), 'a list of permissions'],
  connectOrigin: [isOrigin, 'an origin'],
  state: TEXT,
  make: TEXT,
  user: TEXT,
  externalId: [(v) => v === null || isText(v), 'a string or null'],
  forcePrompt: [(v) => typeof v === 'boolean', 'a boolean'],
  singleSelect: [(v) => typeof v === 'boolean' || (isObject(v) && typeof v.vin === 'string' && VIN_SHAPE.test(v.vin)), 'true or { vin }'],
  flags: [
    (v) =>
      isObject(v) &&
      !Array.isArray(v) &&
      Object.entries(v).every(([k, x]) => isWord(k) && !k.includes(':') && (typeof x === 'number' ? isFinite(x) : typeof x === 'boolean' || isWord(x))),
    '{ name: value }',
  ],
  timeoutMs: [(v) => isCount(v, 2 ** 31), 'a positive number'],
  popup: [(v) => isObject(v) && [v.width, v.height].every((n) => n === undefined || isCount(n, 1e5)), '{ width, height }'],
  signal: [(v) => isObject(v) && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function', 'an AbortSignal'],
});

/**
 * The main entry's options besides: Connect's other pages, the same-window fallback, attach()'s flow
 * and buildConnectUrl's app origin. The popup entry, which refuses them, does not carry their rules:
 * the calls are marked pure so that a bundler drops them there (about 70 B gzip).
 */
export const MAIN_RULES = /* @__PURE__ */ Object.assign(/* @__PURE__ */ table(RULES), {
  appOrigin: [isOrigin, 'an origin'],
  reauthenticate: [(v) => isText(v) || isObject(v), 'a vehicle id, a re-authentication URL or its resolution'],
  batteryCapacity: TEXT,
  fallback: [(v) => v === 'redirect', "'redirect'"],
  flow: [(v) => v === 'popup' || v === 'redirect', "'popup' or 'redirect'"],
} satisfies Record<string, Rule>);

/**
 * Reads the options this package knows from `input`, each from an own property only (so a
 * polluted `Object.prototype` adds nothing, and keys such as `constructor` are not special), and
 * checks each exactly. Returns a copy; throws a `TypeError` naming the first bad option, also
 * when reading it throws, and for any option named like a secret (a client secret never belongs
 * in a browser). Other keys it does not know are ignored, with a development warning.
 */
export function readOptions<T extends object>(input: T | undefined, rules = RULES): T {
  const out = Object.create(null) as Record<string, unknown>;
  if (input === undefined) return out as T;
  if (!isObject(input) || Array.isArray(input)) throw badOption('options', 'an object');
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch (cause) {
    throw badOption('options', 'an object', cause);
  }
  for (const key of keys) {
    if (/secret/i.test(key)) throw refusal(`${key} must never be in browser code`);
    warnUnknownOption(key, rules);
  }
  for (const name in rules) {
    let ok: unknown = true;
    let value: unknown;
    const [check, expected] = rules[name]!;
    try {
      value = Object.prototype.hasOwnProperty.call(input, name) ? input[name] : undefined;
      // An object of the app's (but its signal) is copied once, so later reads see what was checked.
      if (isObject(value) && name !== 'signal') value = Array.isArray(value) ? [...(value as unknown[])] : { ...value };
      if (value !== undefined) ok = check(value);
    } catch (cause) {
      throw badOption(name, typeof expected === 'string' ? expected : expected(undefined), cause);
    }
    if (!ok) throw badOption(name, typeof expected === 'string' ? expected : expected(value));
    if (value !== undefined) out[name] = value;
  }
  return out as T;
}

/** The application's options, read and checked, with the client id under `clientId` whichever name it came under. */
export function readAppOptions<T extends AppOptions>(input: T, rules = RULES): T & { clientId: string } {
  const o = readOptions(input, rules);
  const clientId = o.clientId ?? o.applicationId;
  if (!clientId?.trim()) throw badOption('clientId', 'a non-empty string');
  warnApiCredential(clientId);
  if (!o.redirectUri && o.responseType !== 'none') throw badOption('redirectUri', 'given');
  return Object.assign(o, { clientId });
}
