import { FLOW_TTL_MS, readExpected, type Expected } from './flow';
import { KEPT_PREFIX, LATE_MS, PENDING_KEY, type KeptAnswer } from './protocol';

// The popup flows this tab is waiting on, remembered in its sessionStorage so that they outlive a
// reload or a navigation; the answers the callback page kept for them in localStorage when no live
// flow took one; and, beside those, which answers a page already took. A record holds the nonce,
// the app's state and the flow's kind, never a code; it is written before the popup opens, so the
// popup's copy of this tab's sessionStorage proves to the callback page that the app itself opened
// it. Everything read back is checked by shape and type first: what another script, another
// version or a broken disk left there is dropped, never thrown.

/** A popup flow this tab is waiting on. */
export interface PendingFlow extends Expected {
  /** The application it belongs to: a client takes answers only for its own application's flows. */
  clientId: string;
  /** The client that started it; once that client is gone (destroyed, or the page reloaded), any client of the application may take it. */
  owner: string;
  /** Until when an answer for it still counts (ms since the epoch). */
  until: number;
}

/**
 * The localStorage key that says a page took the answer of a flow, by its nonce: a duplicated tab
 * holds a copy of the flow and must never take it again. Its value is when (ms since the epoch).
 */
const TAKEN_PREFIX = 'smartcar-connect:taken:';

/** The clients alive in this page, by owner id: their flows are theirs alone. */
const live = new Set<string>();

/** A new client's owner id, alive until {@link retire}. */
export function enlist(owner: string): string {
  live.add(owner);
  return owner;
}

/** A destroyed client's flows become any client's to take. */
export const retire = (owner: string): void => void live.delete(owner);

/** Set once the storage refused (full, or blocked): this page then keeps the records itself. */
let memory: PendingFlow[] | undefined;

/** A record as this package writes it, with its deadline no later than a flow's life from now; or nothing. */
function readFlow(value: unknown): PendingFlow | undefined {
  const f = value as Record<string, unknown> | null;
  const expected = readExpected(f);
  if (!expected || typeof f!.clientId !== 'string' || typeof f!.owner !== 'string' || !Number.isFinite(f!.until)) return undefined;
  return { ...expected, clientId: f!.clientId, owner: f!.owner, until: Math.min(f!.until as number, Date.now() + FLOW_TTL_MS) };
}

function load(): PendingFlow[] {
  if (memory) return memory;
  const text = item('sessionStorage', PENDING_KEY);
  const raw = parse(text);
  const list = Array.isArray(raw) ? raw.map(readFlow).filter((f): f is PendingFlow => !!f) : [];
  // What is malformed is dropped for good, the well-formed records beside it kept.
  if (text !== null && (!Array.isArray(raw) || list.length < raw.length)) save(list);
  return list;
}

function save(list: PendingFlow[]): void {
  if (!memory) {
    try {
      if (list.length) sessionStorage.setItem(PENDING_KEY, JSON.stringify(list));
      else sessionStorage.removeItem(PENDING_KEY);
      return;
    } catch {
      // refused: from now on this page keeps them
    }
  }
  memory = list;
}

/** Remembers a popup flow, or moves its deadline. Never throws. */
export const rememberFlow = (flow: PendingFlow): void => save([...load().filter((f) => f.nonce !== flow.nonce), flow]);

/** Forgets a flow; true when it was still remembered, so of two takers only the first gets true. */
export function forgetFlow(nonce: string): boolean {
  const list = load();
  const rest = list.filter((f) => f.nonce !== nonce);
  save(rest);
  return rest.length < list.length;
}

/**
 * The flows this tab still waits on that the client `owner` of `clientId` may take: its own, and
 * those no live client of this page owns. Expired and malformed ones are forgotten.
 */
export function pendingFlows(clientId: string, owner: string): PendingFlow[] {
  const list = load();
  const valid = list.filter((f) => f.until > Date.now());
  if (valid.length < list.length) save(valid);
  return valid.filter((f) => f.clientId === clientId && (f.owner === owner || !live.has(f.owner)));
}

/** The kept answer's query when `value` is one, written less than an authorization code's life ago. */
function freshKept(value: unknown): string | undefined {
  const kept = value as KeptAnswer | null;
  const age = Date.now() - (kept?.at as number);
  return typeof kept?.search === 'string' && typeof kept.at === 'number' && age >= 0 && age < LATE_MS ? kept.search : undefined;
}

/** The answer the callback page kept for this nonce, when there is a fresh one; it stays until {@link takeOnce}. */
export const readKept = (nonce: string): string | undefined => freshKept(parse(item('localStorage', KEPT_PREFIX + nonce)));

/**
 * Marks the answer of flow `nonce` taken, for every page of this origin, and removes what the
 * callback page kept of it; false when a page took it already (so of two takers only the first
 * gets true). Where localStorage is refused, every call is the first.
 */
export function takeOnce(nonce: string): boolean {
  if (item('localStorage', TAKEN_PREFIX + nonce) !== null) return false;
  try {
    localStorage.setItem(TAKEN_PREFIX + nonce, String(Date.now()));
    localStorage.removeItem(KEPT_PREFIX + nonce);
  } catch {
    // full or refused: nothing to mark, and nothing kept to remove
  }
  return true;
}

/** Removes kept answers and taken marks that are malformed or past their time, for any flow. Never throws. */
export function sweep(): void {
  try {
    for (const key of Object.keys(localStorage)) {
      const value = localStorage.getItem(key);
      const stale = key.startsWith(KEPT_PREFIX)
        ? !freshKept(parse(value))
        : key.startsWith(TAKEN_PREFIX) && !(/^\d+$/.test(value!) && Date.now() - Number(value) < FLOW_TTL_MS);
      if (stale) localStorage.removeItem(key);
    }
  } catch {
    // storage refused while sweeping: what is left expires on its own reading
  }
}

/** An item of a storage, or null where reading it throws (blocked cookies, an opaque origin). */
function item(area: 'localStorage' | 'sessionStorage', key: string): string | null {
  try {
    return globalThis[area].getItem(key);
  } catch {
    return null;
  }
}

function parse(text: string | null | undefined): unknown {
  try {
    return JSON.parse(text!) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Whether this page runs in a popup that a page of its own origin opened: the app as its own
 * callback page (an SPA whose routes all serve the app). There, every popup flow's answer is the
 * opener's to take, from this window's address bar: this page takes none, not even from its copy
 * of the opener's sessionStorage.
 */
export function inOwnPopup(): boolean {
  try {
    const opener = window.opener as Window | null;
    return !!opener && opener !== window && opener.location.origin === location.origin;
  } catch {
    return false; // an opener of another origin
  }
}
