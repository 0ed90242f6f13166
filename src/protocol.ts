/** The wire message the callback page sends the app: the redirect's raw query, parsed only by the app. */
export interface ResponseMessage {
  type: 'smartcar-connect:response';
  version: 1;
  search: string;
}

const MESSAGE_TYPE = 'smartcar-connect:response';

/**
 * Where smartcar-connect-browser/testing puts its navigation while it simulates Connect: jsdom
 * cannot leave the page, and no browser lets a script replace `location.assign`.
 */
export const NAVIGATE = Symbol.for('smartcar-connect-browser.navigate');

/** The BroadcastChannel that carries a response when the popup has lost its opener. */
export const CHANNEL = 'smartcar-connect';

export const responseMessage = (search: string): ResponseMessage => ({ type: MESSAGE_TYPE, version: 1, search });

/**
 * The query string a message carries: ours, or a `SmartcarAuthMessage` (what
 * the official SDK's hosted redirect page, and Connect itself in the
 * redirect-less flow, post) turned back into Connect's parameters, so both are
 * parsed the same way. Undefined for anything else.
 */
export function readMessage(data: unknown): string | undefined {
  const m = data as (ResponseMessage & { name?: unknown } & Record<string, unknown>) | null;
  if (typeof m !== 'object' || !m) return undefined;
  if (m.type === MESSAGE_TYPE && m.version === 1 && typeof m.search === 'string') return m.search;
  if (m.name !== 'SmartcarAuthMessage') return undefined;
  // Its fields are Connect's parameters in camelCase (errorDescription, virtualKeyUrl, userId, ...).
  const query = new URLSearchParams();
  for (const [field, value] of Object.entries(m)) {
    if (typeof value === 'string' || typeof value === 'number') query.set(field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), String(value));
  }
  return `?${query.toString()}`;
}
