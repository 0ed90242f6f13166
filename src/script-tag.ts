// The script-tag build's entry: the global SmartcarConnect holds what src/index.ts exports,
// the error classes gathered from their registry by name (test/dist checks the two lists agree).
import { CLASSES, className, ConnectError, ERROR_CODES, isConnectError } from './errors';
import { createConnect } from './connect';
import { parseConnectResponse } from './response';
import { buildConnectUrl, CONNECT_ORIGIN } from './url';

const api: Record<string, unknown> = { createConnect, buildConnectUrl, CONNECT_ORIGIN, parseConnectResponse, isConnectError, ConnectError };
for (const code of ERROR_CODES) api[className(code)] = CLASSES[code];

export default api;
