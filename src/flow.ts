import { authorizeUrl, type UrlOptions } from './authorize';
import { explain, warnMobileOnlyMake } from './dev';
import type { AnyConnectError, ConfigurationError } from './errors';
import { wireState } from './protocol';
import { readOptions, type App, type ConnectMode, type ConnectUrlOptions, type FlowOptions, type MAIN_RULES } from './options';
import type { Expected } from './records';
import type { ConnectResponse, ConnectSuccess } from './response';

// How every flow starts: its options read and checked, its nonce, and its URL.

/** What `popup()` and `redirect()` reject with after `destroy()`. */
export const cancelled = (): DOMException => new DOMException('Connect was cancelled', 'AbortError');

/** What a flow rejects with where there is no browser window (a server, a worker). */
export const noWindow = (): DOMException => new DOMException(explain('smartcar-connect: no browser window here'), 'InvalidStateError');

/**
 * A flow's error before any window opens: emitted, then its rejection (a throw inside a promise's executor rejects it).
 */
export const emitAndReject = (emitOrThrow: (response: ConnectResponse) => ConnectSuccess, error: AnyConnectError): Promise<never> =>
  new Promise(() => emitOrThrow({ ok: false, error }));

/**
 * A flow about to start: its options, read and checked; the preflight's refusal, if any; what it expects back; its URL.
 */
export interface Prepared<O> {
  _options: O;
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
  /** The rules of every option the entry reads (the main entry's: more than the popup entry's). */
  _rules?: typeof MAIN_RULES;
  /** The error Connect would answer a single-select VIN with, before it opens. */
  _preflight: (mode: ConnectMode | undefined, vin: string | undefined, state?: string) => ConfigurationError | undefined;
}

/** What every flow does first; throws a `TypeError` naming a bad option, or the cancellation after `destroy()`. */
export function prepare<O extends FlowOptions>(app: App, input: O | undefined, destroyed: boolean, pages?: Pages): Prepared<O> {
  const o = readOptions(input, pages?._rules);
  warnMobileOnlyMake(o.make);
  if (destroyed) throw cancelled();
  if (typeof window !== 'object') throw noWindow();
  const expected: Expected = { nonce: createNonce(), appState: o.state, ...pages?._expect(o) };
  return {
    _options: o,
    _expected: expected,
    _refused: pages?._preflight(app.mode, typeof o.singleSelect === 'object' ? o.singleSelect.vin : undefined, o.state),
    // Merged without a prototype: a polluted Object.prototype cannot add a parameter.
    _href: (extra) => (pages?._url ?? authorizeUrl)(Object.assign(Object.create(null) as App, o, app, { state: wireState(expected.nonce, expected.appState) }, extra) as App),
  };
}

/** 128 random bits from the platform's CSPRNG, as 32 hex digits. */
function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
}
