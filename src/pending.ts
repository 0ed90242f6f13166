import type { Expected } from './flow';
import { KEPT_PREFIX, LATE_MS, PENDING_PREFIX, type KeptAnswer } from './protocol';

// The popup flows this tab is waiting on, remembered in its sessionStorage so that they outlive a
// reload or a navigation, and the answers the callback page kept for them in localStorage when
// no live flow acknowledged one. A record holds the nonce, the app's state and the flow's kind,
// never a code; it is written before the popup opens, so the popup's copy of this tab's
// sessionStorage proves to the callback page that the app itself opened it.

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

/** Records the storage refused (full, or blocked), kept for this page's lifetime instead. */
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

/** Remembers a popup flow (or moves its deadline). Never throws: a storage that refuses keeps it in memory. */
export function rememberFlow(flow: PendingFlow): void {
  const value = JSON.stringify(flow);
  try {
    sessionStorage.setItem(PENDING_PREFIX + flow.nonce, value);
  } catch {
    memory.set(PENDING_PREFIX + flow.nonce, value);
  }
}

/** Forgets a flow; true when it was still remembered, so of two takers only the first gets true. */
export function forgetFlow(nonce: string): boolean {
  const key = PENDING_PREFIX + nonce;
  const had = read(key) !== null;
  memory.delete(key);
  try {
    sessionStorage.removeItem(key);
  } catch {
    // only the memory held it
  }
  return had;
}

/**
 * The flows this tab still waits on that the client `owner` of `clientId` may take (its own, and
 * those no live client of this page owns), soonest deadline first; expired ones are forgotten.
 */
export function pendingFlows(clientId: string, owner: string): PendingFlow[] {
  const keys = new Set(memory.keys());
  try {
    for (let i = 0; i < sessionStorage.length; i++) keys.add(sessionStorage.key(i)!);
  } catch {
    // a storage that cannot be read holds nothing of ours
  }
  const flows: PendingFlow[] = [];
  for (const key of keys) {
    if (!key.startsWith(PENDING_PREFIX)) continue;
    const flow = parse<PendingFlow>(read(key));
    if (!flow || typeof flow.nonce !== 'string' || PENDING_PREFIX + flow.nonce !== key || !(flow.until > Date.now())) forgetFlow(key.slice(PENDING_PREFIX.length));
    else if (flow.clientId === clientId && (flow.owner === owner || !live.has(flow.owner))) flows.push(flow);
  }
  return flows.sort((a, b) => a.until - b.until);
}

/**
 * The answer the callback page kept for this nonce, removed as it is read (one use); nothing when
 * there is none, or when it is older than an authorization code's life. Expired answers of any
 * flow are removed on the way.
 */
export function takeKept(nonce: string): string | undefined {
  let found: string | undefined;
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i)!;
      if (!key.startsWith(KEPT_PREFIX)) continue;
      const kept = parse<KeptAnswer>(localStorage.getItem(key));
      const age = Date.now() - Number(kept?.at);
      const fresh = typeof kept?.search === 'string' && age >= 0 && age < LATE_MS;
      if (key === KEPT_PREFIX + nonce && fresh) found = kept.search;
      if (key === KEPT_PREFIX + nonce || !fresh) localStorage.removeItem(key);
    }
  } catch {
    // no storage, no kept answer
  }
  return found;
}

function parse<T>(text: string | null): T | undefined {
  try {
    const value = JSON.parse(text ?? 'null') as unknown;
    return value && typeof value === 'object' ? (value as T) : undefined;
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
