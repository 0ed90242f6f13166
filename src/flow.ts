import { authorizeUrl, type UrlOptions } from './authorize';
import { explain } from './dev';
import { StateMismatchError, type AnyConnectError, type ConfigurationError } from './errors';
import { readOptions, type App, type ConnectMode, type ConnectUrlOptions, type FlowOptions } from './options';
import { parseConnectResponse, type ConnectResponse, type ConnectSuccess } from './response';

// How every flow starts (its options, nonce and URL) and how an answer is matched to it.

/** How long a started flow is remembered in this tab: a carmaker login can take a while. */
export const FLOW_TTL_MS = 60 * 60 * 1000;

/** What `popup()` and `redirect()` reject with after `destroy()`. */
export const cancelled = (): DOMException => new DOMException('Connect was cancelled', 'AbortError');

/** What a flow rejects with where there is no browser window (a server, a worker). */
export const noWindow = (): DOMException => new DOMException(`smartcar-connect: no browser window here${explain('noWindow')}`, 'InvalidStateError');

/** A throw inside a promise's executor rejects it: reporting an error this way emits it and rejects. */
export const fail = (report: (response: ConnectResponse) => ConnectSuccess, error: AnyConnectError): Promise<never> =>
  new Promise(() => report({ ok: false, error }));

/** A flow about to start: its options, read and checked; the preflight's refusal, if any; what it expects back; its URL. */
export interface Prepared<O> {
  _o: O;
  _refused?: ConfigurationError | undefined;
  _expected: Expected;
  _href: (extra?: ConnectUrlOptions) => string;
}

/**
 * What the main entry adds to every flow: Connect's other pages (re-authentication, battery
 * capacity) and the VIN it refuses before Connect opens. Without it, a flow opens the authorize page.
 */
export interface Pages {
  /** The URL of the Connect page these options open. */
  _url: (o: UrlOptions) => string;
  /** Which page that is, and what the flow expects back of it. */
  _expect: (o: FlowOptions) => Pick<Expected, 'kind' | 'vehicleId'>;
  /** The error Connect would answer a single-select VIN with, before it opens. */
  _preflight: (mode: ConnectMode | undefined, vin: string | undefined, state?: string) => ConfigurationError | undefined;
}

/** What every flow does first; throws a `TypeError` naming a bad option, or the cancellation after `destroy()`. */
export function prepare<O extends FlowOptions>(app: App, input: O | undefined, destroyed: boolean, pages?: Pages): Prepared<O> {
  const o = readOptions(input);
  if (destroyed) throw cancelled();
  if (typeof window !== 'object') throw noWindow();
  const expected: Expected = { nonce: createNonce(), appState: o.state, ...pages?._expect(o) };
  return {
    _o: o,
    _expected: expected,
    _refused: pages?._preflight(app.mode, typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined, o.state),
    // Merged without a prototype: a polluted Object.prototype cannot add a parameter.
    _href: (extra) => (pages?._url ?? authorizeUrl)(Object.assign(Object.create(null) as App, o, app, { state: wireState(expected) }, extra) as App),
  };
}

/** Which of Connect's pages a flow opens. */
export type FlowKind = 'authorize' | 'reauthenticate' | 'battery-capacity';

/** What a pending flow expects back: its nonce and the app's own state; which page it opened, and for a battery-capacity page, its vehicle. */
export interface Expected {
  nonce: string;
  appState?: string | undefined;
  kind?: FlowKind | undefined;
  vehicleId?: string | undefined;
}

const KINDS: readonly (FlowKind | undefined)[] = ['authorize', 'reauthenticate', 'battery-capacity', undefined];
const optionalText = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/**
 * What a flow read back from storage expects, when `value` has the shape this package writes: a
 * nonce of 32 hex digits, and text (or nothing) for the rest. Anything else gives nothing.
 */
export function readExpected(value: unknown): Expected | undefined {
  const e = value as Record<string, unknown> | null;
  if (typeof e !== 'object' || !e || typeof e.nonce !== 'string' || !/^[\da-f]{32}$/.test(e.nonce)) return undefined;
  const { appState, kind, vehicleId } = e;
  if (!optionalText(appState) || !optionalText(vehicleId) || !KINDS.includes(kind as FlowKind)) return undefined;
  return { nonce: e.nonce, appState, kind: kind as FlowKind | undefined, vehicleId };
}

/** 128 random bits from the platform's CSPRNG, as 32 hex digits. */
function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
}

/** The `state` sent to Connect: the nonce, then the app's state after a dot. */
const wireState = (e: Expected): string => (e.appState === undefined ? e.nonce : `${e.nonce}.${e.appState}`);

/** The nonce a wire `state` starts with (whatever comes before its first dot). */
export const nonceOf = (state: string | null): string | null => (state === null ? null : state.split('.')[0]!);

/**
 * Matches a redirect's query to a pending flow and parses it with the app's
 * own state restored in place of the wire state.
 *
 * Returns undefined when the response is not this flow's (its nonce differs),
 * unless `trusted` says it came from where only this flow's answer can come
 * (its own window, or the same-window return while it waits): then a wrong or
 * missing state is a `StateMismatchError`, except that an answer Connect sent
 * without any state is taken, with the flow's own state, when it is an error
 * (it can only fail the flow; Connect documents `configuration_error` redirects
 * without one) or the battery-capacity page's answer for this flow's vehicle
 * (Connect documents both of that page's answers without one).
 */
export function matchResponse(search: string, expected: Expected, trusted: boolean): ConnectResponse | undefined {
  const params = new URLSearchParams(search);
  const wire = params.get('state');
  if (nonceOf(wire) !== expected.nonce) {
    if (!trusted) return undefined;
    const battery = expected.kind === 'battery-capacity' && params.get('vehicle_id') === expected.vehicleId;
    if (wire !== null || !(params.get('error') || battery)) return mismatch(expected);
  } else if (wire !== wireState(expected)) return mismatch(expected);
  if (expected.appState === undefined) params.delete('state');
  else params.set('state', expected.appState);
  return parseConnectResponse(params);
}

const mismatch = (e: Expected): ConnectResponse => ({ ok: false, error: new StateMismatchError(undefined, { state: e.appState }) });
