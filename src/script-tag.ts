// The script-tag build's entry: the global SmartcarConnect holds what src/index.ts exports,
// the error classes gathered from their registry by name (test/dist checks the two lists agree).
import { createConnect, type Connect } from './connect';
import { CLASSES, className, ConnectError, ERROR_CODES, isConnectError } from './errors';
import { reportAside } from './events';
import type { ConnectOptions } from './options';
import { popupUnavailable } from './environment';
import { parseConnectResponse } from './response';
import { buildConnectUrl, CONNECT_ORIGIN } from './url';

/**
 * A client that could not be made: a page's script that wires its buttons at load goes on. Its
 * flows reject with the reason when a user starts one; it hands over nothing and attaches nothing.
 */
const refusing = (reason: unknown): Connect => ({
  popup: () => Promise.reject(reason),
  redirect: () => Promise.reject(reason),
  handleRedirect: () => Promise.resolve(null),
  attach: () => () => undefined,
  on: () => () => undefined,
  url: () => {
    throw reason;
  },
  destroy: () => undefined,
});

/**
 * In the script tag, a bad option is one clear error in the console as the page loads (the
 * TypeError naming it, through `reportError`), not an exception that stops the page's script.
 */
function createConnectOrReport(options: ConnectOptions): Connect {
  try {
    return createConnect(options);
  } catch (e) {
    reportAside(e);
    return refusing(e);
  }
}

const api: Record<string, unknown> = { createConnect: createConnectOrReport, buildConnectUrl, CONNECT_ORIGIN, parseConnectResponse, popupUnavailable, isConnectError, ConnectError };
for (const code of ERROR_CODES) api[className(code)] = CLASSES[code];

export default api;
