import { StateMismatchError } from './errors';
import { ANSWER_PARAMS, CONNECT_PARAMS, type ConnectResponse } from './response';
import { matchResponse, type Expected } from './state';

/** How long a same-window flow waits for Connect's answer: a carmaker login can take a while. */
export const FLOW_TTL_MS = 60 * 60 * 1000;

const storageKey = (clientId: string) => `smartcar-connect:${clientId}`;

/** Keeps the flow in this tab's sessionStorage (the only flow of this client), then leaves for Connect. */
export function startRedirect(clientId: string, expected: Expected, href: string): void {
  sessionStorage.setItem(storageKey(clientId), JSON.stringify({ ...expected, at: Date.now() }));
  location.assign(href);
}

/** The stored flow, removed as it is read: a flow answers once. Missing, stale or malformed gives nothing. */
function takeFlow(clientId: string): Expected | undefined {
  const key = storageKey(clientId);
  try {
    const flow = JSON.parse(sessionStorage.getItem(key) ?? 'null') as (Expected & { at: number }) | null;
    sessionStorage.removeItem(key);
    const age = Date.now() - Number(flow?.at);
    return typeof flow?.nonce === 'string' && age >= 0 && age < FLOW_TTL_MS ? flow : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads Connect's answer from a return URL: null when it carries none.
 * Otherwise consumes the stored flow, checks the state against it, and, when
 * the URL is the page's own, removes Connect's parameters from the address
 * bar (keeping the app's own parameters and hash), so that neither a reload
 * nor going back can present the answer again.
 */
export function readRedirect(clientId: string, url: string): ConnectResponse | null {
  const target = new URL(url, location.href);
  const params = target.searchParams;
  if (!ANSWER_PARAMS.some((name) => params.has(name))) return null;
  const search = target.search;
  const flow = takeFlow(clientId);
  if (target.href === location.href) {
    for (const name of CONNECT_PARAMS) params.delete(name);
    history.replaceState(history.state, '', target.href);
  }
  return (
    (flow && matchResponse(search, flow, true)) || {
      ok: false,
      error: new StateMismatchError(undefined, { state: flow?.appState }),
    }
  );
}
