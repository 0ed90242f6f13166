import { createCleanup } from './cleanup';
import { deliver, keptArrival, listenForArrivals } from './door';
import { hold, isHeld, isWanted, letGoAll, type LockAnswer } from './locks';
import { waitingFlows, type Engine } from './engine';
import { forget, readKept } from './records';
import type { ConnectSuccess } from './response';

// What a client waits on, and how it waits: while it has a flow in progress or remembered, it listens
// at the door, wants each flow's lock, and follows the page's comings and goings. A page that may be
// leaving or is hidden takes no answer and lets go of its locks; back, it takes what was kept meanwhile.

/**
 * How long a page that may be leaving (from `beforeunload`) takes no answer. A navigation that unloads
 * the page ends it before this; one that never does (a `mailto:` link, a download) leaves it alive.
 */
export const LEAVING_MS = 5000;

/**
 * Brings what the client listens to and the locks it wants in line with the flows it waits on (the
 * one in progress and those it remembers), and looks again when the soonest remembered one's time is
 * up. `returning`: the page is back, and takes what the callback page kept while it was away.
 */
export function refresh(engine: Engine, returning = false): void {
  const remembered = engine._destroyed() ? [] : waitingFlows(engine);
  const nonces = [...(engine._current ? [engine._current.nonce] : []), ...remembered.map((r) => r.nonce)];
  engine._expiry?.();
  engine._expiry = undefined;
  if (!nonces.length) return stopListening(engine);
  const listening = (engine._listening ??= startListening(engine));
  if (remembered.length) engine._expiry = listening._after(Math.min(...remembered.map((r) => r.until)) - Date.now(), () => refresh(engine));
  if (engine._presence.is !== 'here') return;
  for (const nonce of nonces) {
    // Where there are no Web Locks every flow is held at once: what was kept is taken as the page shows.
    if (returning && isHeld(nonce)) void deliver(engine, keptArrival(nonce));
    else if (!isWanted(nonce)) void hold(nonce).then((got) => lockAnswered(engine, nonce, got, returning));
  }
}

/**
 * The page holds flow `nonce` now: a returning page takes what was kept for it meanwhile. Another page
 * kept it: that page's tab has the flow, and a remembered record of it here is a copy (a duplicated tab).
 */
function lockAnswered(engine: Engine, nonce: string, got: LockAnswer, returning: boolean): void {
  if (got === 'held' && returning) void deliver(engine, keptArrival(nonce));
  if (got === 'elsewhere' && engine._current?.nonce !== nonce && forget(nonce)) refresh(engine);
}

function startListening(engine: Engine) {
  const listening = createCleanup();
  listenForArrivals(engine, listening);
  listening._on(window, 'beforeunload', () => away(engine, 'leaving'));
  listening._on(window, 'pagehide', () => away(engine, 'hidden'));
  listening._on(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && back(engine));
  return listening;
}

function stopListening(engine: Engine): void {
  engine._listening?._end();
  engine._listening = engine._channel = undefined;
  engine._presence = { is: 'here' };
}

/**
 * The page may be leaving, or is hidden: it lets go of its locks (its tab's next page, or this page back from the
 * cache, takes over).
 */
function away(engine: Engine, why: 'leaving' | 'hidden'): void {
  if (engine._presence.is === 'leaving') engine._presence.cancelReturn();
  engine._presence = why === 'hidden' ? { is: 'hidden' } : { is: 'leaving', cancelReturn: engine._listening!._after(LEAVING_MS, () => back(engine)) };
  letGoAll();
}

/** The page is here again (still alive after `beforeunload`, or shown from the back/forward cache). */
function back(engine: Engine): void {
  if (engine._presence.is === 'leaving') engine._presence.cancelReturn();
  engine._presence = { is: 'here' };
  refresh(engine, true);
}

/** An answer the callback page kept for a flow of this tab (the app reloaded meanwhile), delivered once; or null. */
export async function keptAnswer(engine: Engine): Promise<ConnectSuccess | null> {
  const record = waitingFlows(engine).find((r) => readKept(r.nonce) !== undefined);
  // Once this page holds the flow (the page it reloaded from lets go as it leaves).
  if (!record || (await hold(record.nonce)) !== 'held') return null;
  return (await deliver(engine, keptArrival(record.nonce))) ?? null;
}
