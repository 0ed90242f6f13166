import { KEPT_PREFIX, LATE_MS, PENDING_KEY, TAKEN_PREFIX, type KeptAnswer } from './protocol';

// Everything of a flow that outlives a task: the record of every flow a tab waits on (popup and same-window,
// one list in sessionStorage), the answers the callback page kept in localStorage, the marks of answers taken,
// and the sweep. A record holds a nonce and the app's state, never a code. Everything read back is checked by
// shape first: what another script, another version or a broken disk left is dropped, never thrown.

/** How long a started flow is remembered in this tab: a carmaker login can take a while. */
export const FLOW_TTL_MS = 60 * 60 * 1000;

/** Which of Connect's pages a flow opens. */
export type FlowKind = 'authorize' | 'reauthenticate' | 'battery-capacity';

/** What a flow expects back: its nonce, the app's own state, the page it opened, and that page's vehicle. */
export interface Expected {
  nonce: string;
  appState?: string | undefined;
  kind?: FlowKind | undefined;
  vehicleId?: string | undefined;
}

/** A flow this tab waits on. */
export interface FlowRecord extends Expected {
  /** The application it belongs to: a client takes answers only for its own application's flows. */
  clientId: string;
  /** The client that started it; once that client is gone, any client of the application may take it. */
  owner: string;
  /** Until when an answer for it still counts (ms since the epoch). */
  until: number;
  /** `'redirect'` for a same-window flow; a popup flow's record has none, as records always had. */
  flow?: 'redirect' | undefined;
  /** Kept in this page alone, never in the tab's storage: a blocked popup's flow (only its prompt brings it back). */
  here?: true | undefined;
}

/** The clients alive in this page, by owner id: the flows they started are theirs alone. */
const live = new Set<string>();

/** A new client's owner id, alive until {@link retire}. */
export function enlist(owner: string): string {
  live.add(owner);
  return owner;
}

/** A destroyed client's flows become any client's to take, but those kept in this page alone, which end with it. */
export function retire(owner: string): void {
  live.delete(owner);
  save(load().filter((r) => !(r.here && r.owner === owner)));
}

/** The tab's records while sessionStorage refuses them, and why; the records kept in this page alone. */
let memory: FlowRecord[] | undefined;
let refusal: unknown;
let pageOnly: FlowRecord[] = [];

const KINDS: readonly unknown[] = ['authorize', 'reauthenticate', 'battery-capacity', undefined];
const optionalText = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** A record as this package writes it, its deadline no later than a flow's life from now; else nothing. */
function readRecord(value: unknown): FlowRecord | undefined {
  const { nonce, appState, kind, vehicleId, clientId, owner, until, flow } = (value ?? {}) as Record<string, unknown>;
  const texts = optionalText(appState) && optionalText(vehicleId) && typeof clientId === 'string' && typeof owner === 'string';
  const shaped = typeof nonce === 'string' && /^[\da-f]{32}$/.test(nonce) && texts && KINDS.includes(kind) && (flow === undefined || flow === 'redirect');
  if (!shaped || !Number.isFinite(until)) return undefined;
  return { nonce, appState, kind, vehicleId, clientId, owner, until: Math.min(until as number, Date.now() + FLOW_TTL_MS), flow } as FlowRecord;
}

/** Every record, the tab's then the page's own; a malformed one is dropped for good, those beside it kept. */
function load(): FlowRecord[] {
  let list = memory;
  if (!list) {
    const text = item('sessionStorage', PENDING_KEY);
    const raw = parse(text);
    list = Array.isArray(raw) ? raw.map(readRecord).filter((r): r is FlowRecord => !!r) : [];
    if (text !== null && (!Array.isArray(raw) || list.length < raw.length)) save([...list, ...pageOnly]);
  }
  return [...list, ...pageOnly];
}

function save(list: FlowRecord[]): void {
  pageOnly = list.filter((r) => r.here);
  const tab = list.filter((r) => !r.here);
  try {
    if (tab.length) sessionStorage.setItem(PENDING_KEY, JSON.stringify(tab));
    else sessionStorage.removeItem(PENDING_KEY);
    memory = refusal = undefined;
  } catch (e) {
    // refused: this page keeps them until the storage takes them again
    memory = tab;
    refusal = e;
  }
}

/**
 * Remembers a flow (a same-window one replaces its client's earlier one). Returns why sessionStorage
 * refused it, when it did: the record then lives in this page alone.
 */
export function remember(record: FlowRecord): unknown {
  save([...load().filter((r) => r.nonce !== record.nonce && !(record.flow && r.flow && r.clientId === record.clientId)), record]);
  return record.here ? undefined : refusal;
}

/** Forgets a flow; true when it was still remembered, so of two takers only the first gets true. */
export function forget(nonce: string): boolean {
  const list = load();
  const rest = list.filter((r) => r.nonce !== nonce);
  save(rest);
  return rest.length < list.length;
}

/** The records still in their time, of popup flows or of same-window ones; expired ones are forgotten. */
function current(flow: FlowRecord['flow']): FlowRecord[] {
  const list = load();
  const fresh = list.filter((r) => r.until > Date.now());
  if (fresh.length < list.length) save(fresh);
  return fresh.filter((r) => r.flow === flow);
}

/** The popup flows the client `owner` of `clientId` may take: its own, and those no live client of this page owns. */
export const popupFlows = (clientId: string, owner: string): FlowRecord[] =>
  current(undefined).filter((r) => r.clientId === clientId && (r.owner === owner || !live.has(r.owner)));

/** Whether this tab remembers the flow `nonce` (popup or same-window, still in its time). */
export const remembers = (nonce: string): boolean => [...current(undefined), ...current('redirect')].some((r) => r.nonce === nonce);

/** The same-window flow of `clientId`, without forgetting it. */
export const redirectFlow = (clientId: string): FlowRecord | undefined => current('redirect').find((r) => r.clientId === clientId);

/** The answer kept for flow `nonce`: fresh, that flow's and not taken; anything else there is removed. */
export function readKept(nonce: string): string | undefined {
  const text = item('localStorage', KEPT_PREFIX + nonce);
  if (text === null) return undefined;
  const search = keptSearch(nonce, parse(text));
  if (search === undefined || isTaken(nonce)) remove(KEPT_PREFIX + nonce);
  return isTaken(nonce) ? undefined : search;
}

/** The query of a kept answer the callback page wrote for `nonce` less than an authorization code's life ago. */
function keptSearch(nonce: string, value: unknown): string | undefined {
  const kept = value as KeptAnswer | null;
  const age = Date.now() - (kept?.at as number);
  if (typeof kept?.search !== 'string' || typeof kept.at !== 'number' || !(age >= 0 && age < LATE_MS)) return undefined;
  return new URLSearchParams(kept.search).get('state')?.split('.')[0] === nonce ? kept.search : undefined;
}

const isTaken = (nonce: string): boolean => item('localStorage', TAKEN_PREFIX + nonce) !== null;

/**
 * Marks the answer of flow `nonce` taken, for every page of this origin, and removes what the
 * callback page kept of it; false when a page took it already. Where localStorage refuses, every
 * call is the first: forgetting the flow then stops a second take in this page.
 */
export function markTaken(nonce: string): boolean {
  if (isTaken(nonce)) return false;
  try {
    localStorage.setItem(TAKEN_PREFIX + nonce, String(Date.now()));
  } catch {
    // full or refused: nothing to mark
  }
  remove(KEPT_PREFIX + nonce);
  return true;
}

/** Removes kept answers malformed, expired or taken, and taken marks past a flow's life. Never throws. */
export function sweep(): void {
  try {
    for (const key of Object.keys(localStorage)) {
      const value = localStorage.getItem(key);
      if (key.startsWith(KEPT_PREFIX)) readKept(key.slice(KEPT_PREFIX.length));
      else if (key.startsWith(TAKEN_PREFIX) && !(/^\d+$/.test(value!) && Date.now() - Number(value) < FLOW_TTL_MS)) remove(key);
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

function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // refused: it expires on its own reading
  }
}

function parse(text: string | null): unknown {
  try {
    return JSON.parse(text!) as unknown;
  } catch {
    return undefined;
  }
}
