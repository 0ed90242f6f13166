import type { Expected } from './flow';
import { KEPT_PREFIX, LATE_MS, PENDING_KEY, type KeptAnswer } from './protocol';

// The popup flows this tab is waiting on, remembered in its sessionStorage so that they outlive a
// reload or a navigation, and the answers the callback page kept for them in localStorage when
// no live flow took one. A record holds the nonce, the app's state and the flow's kind, never a
// code; it is written before the popup opens, so the popup's copy of this tab's sessionStorage
// proves to the callback page that the app itself opened it.

/** A popup flow this tab is waiting on. */
export interface PendingFlow extends Expected {
  /** The application it belongs to: a client takes answers only for its own application's flows. */
  clientId: string;
  /** The client that started it; once that client is gone (destroyed, or the page reloaded), any client of the application may take it. */
  owner: string;
  /** Until when an answer for it still counts (ms since the epoch). */
  until: number;
}

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

function load(): PendingFlow[] {
  if (memory) return memory;
  const list = parse<PendingFlow[]>(sessionStorageItem());
  return Array.isArray(list) ? list : [];
}

function sessionStorageItem(): string | null {
  try {
    return sessionStorage.getItem(PENDING_KEY);
  } catch {
    return null;
  }
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
 * those no live client of this page owns. Expired ones (and malformed ones) are forgotten.
 */
export function pendingFlows(clientId: string, owner: string): PendingFlow[] {
  const list = load();
  const valid = list.filter((f) => typeof f?.nonce === 'string' && f.until > Date.now());
  if (valid.length < list.length) save(valid);
  return valid.filter((f) => f.clientId === clientId && (f.owner === owner || !live.has(f.owner)));
}

/**
 * The answer the callback page kept for this nonce, removed as it is read (one use); nothing when
 * there is none, or when it is older than an authorization code's life. Expired answers of any
 * flow are removed on the way.
 */
export function takeKept(nonce: string): string | undefined {
  let found: string | undefined;
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(KEPT_PREFIX)) continue;
      const kept = parse<KeptAnswer>(localStorage.getItem(key));
      const age = Date.now() - Number(kept?.at);
      const fresh = typeof kept?.search === 'string' && age >= 0 && age < LATE_MS;
      if (key === KEPT_PREFIX + nonce) found = fresh ? kept.search : undefined;
      if (key === KEPT_PREFIX + nonce || !fresh) localStorage.removeItem(key);
    }
  } catch {
    // no storage, no kept answer
  }
  return found;
}

function parse<T>(text: string | null): T | undefined {
  try {
    return JSON.parse(text!) as T;
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
