import { StateMismatchError } from './errors';
import { parseConnectResponse, type ConnectResponse } from './response';

/** What a pending flow expects back: its nonce and the app's own state. */
export interface Expected {
  nonce: string;
  appState?: string;
}

/** 128 random bits from the platform's CSPRNG, as 32 hex digits. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
}

/** The `state` sent to Connect: the nonce, then the app's state after a dot. */
export const wireState = (e: Expected): string => (e.appState === undefined ? e.nonce : `${e.nonce}.${e.appState}`);

/**
 * Matches a redirect's query to a pending flow and parses it with the app's
 * own state restored in place of the wire state.
 *
 * Returns undefined when the response is not this flow's (its nonce differs),
 * unless `trusted` says it came from this flow's own window: then a wrong or
 * missing state is a `StateMismatchError`, except that an error Connect sent
 * without any state is taken, with the flow's own state (it can only fail
 * the flow, and Connect documents `configuration_error` redirects without one).
 */
export function matchResponse(search: string, expected: Expected, trusted: boolean): ConnectResponse | undefined {
  const params = new URLSearchParams(search);
  const wire = params.get('state');
  const dot = wire === null ? -1 : wire.indexOf('.');
  const nonce = dot < 0 ? wire : wire!.slice(0, dot);
  if (nonce !== expected.nonce) {
    if (!trusted) return undefined;
    if (wire !== null || !params.get('error')) return mismatch(expected);
  } else if (wire !== wireState(expected)) return mismatch(expected);
  if (expected.appState === undefined) params.delete('state');
  else params.set('state', expected.appState);
  return parseConnectResponse(params);
}

const mismatch = (e: Expected): ConnectResponse => ({ ok: false, error: new StateMismatchError(undefined, { state: e.appState }) });
