import { deliver, settle } from './door';
import type { Engine, PopupFlow } from './engine';
import { PopupBlockedError, PopupClosedError } from './errors';
import { warnNoAnswer } from './dev';
import { readHref } from './popup-window';
import { LATE_MS } from './protocol';
import { ANSWER_PARAMS, type ConnectResponse } from './response';

// What the app sees of a popup while its flow runs: where it is (its phase), its address bar once it
// is back on this origin, and, once it is gone, how its flow ends.

/** How often the popup's `closed` flag and address bar are read. */
export const POLL_MS = 100;
/** How long an answer may still be in flight after the popup closed. */
export const GRACE_MS = 250;
/** A popup seen on another origin for less than this when it vanished was cut off by COOP, not closed. */
export const SEVER_MS = 500;

/** The same-window flow a popup flow hands over to: the page leaves, so its promise never settles but by a refusal. */
export const handOver = (redirect: Promise<void>): Promise<never> => redirect.then(() => new Promise<never>(() => undefined));

/**
 * Every {@link POLL_MS}, while the page is here: notes where the popup is, reads its address bar once
 * it is back on this origin (Connect's answer there counts, with or without a script on the page),
 * and once the popup is gone decides how its flow ends.
 */
export function watch(engine: Engine, flow: PopupFlow): void {
  if (engine._presence.is !== 'here') return;
  if (flow._win.closed) return gone(engine, flow);
  const href = readHref(flow._win);
  const phase = flow._phase;
  if (href === undefined) {
    if (phase.is !== 'away') flow._phase = { is: 'away', since: Date.now() };
  } else if (href !== 'about:blank') {
    flow._phase = { is: 'back' };
    readAddressBar(engine, flow, new URL(href));
  } else if (phase.is === 'opening' && !phase.looked) flow._phase = { is: 'opening', looked: true };
}

/** The popup is back on this origin: Connect's answer in its address bar is its flow's, as its message would be. */
function readAddressBar(engine: Engine, flow: PopupFlow, url: URL): void {
  if (url.origin !== engine._answerOrigin) return;
  if (!ANSWER_PARAMS.some((name) => url.searchParams.has(name))) return warnNoAnswer(flow, url);
  void deliver(engine, { route: 'address', search: url.search });
}

/**
 * The popup is gone from the app's view. A channel answer held for it counts now. Otherwise: gone
 * moments after Connect appeared, COOP cut it off and its answer may still come; else a person (or,
 * before the app looked, the browser) closed it, and an answer in flight may still come for a moment.
 */
function gone(engine: Engine, flow: PopupFlow): void {
  flow._stopWatch();
  void deliver(engine, flow._held);
  const phase = flow._phase;
  if (phase.is === 'away' && Date.now() - phase.since < SEVER_MS) {
    flow._phase = { is: 'severed' };
    flow._cleanup._after(LATE_MS, () => settle(engine, flow, closedError(flow)));
  } else if (phase.is !== 'settled') {
    flow._phase = { is: 'closed', looked: phase.is !== 'opening' || phase.looked };
    flow._cleanup._after(GRACE_MS, () => settle(engine, flow, closedError(flow), true));
  }
}

export const closedError = (flow: PopupFlow): ConnectResponse => ({ ok: false, error: new PopupClosedError(undefined, { state: flow.appState }) });

/**
 * The popup's blank page went away: for Connect (the popup left this origin), or with the window, closed
 * before the app had even looked at it, as only the browser or an extension closes it (a blocked popup).
 */
export function blankGone(engine: Engine, flow: PopupFlow): void {
  const phase = flow._phase;
  if (!flow._win.closed) {
    if (phase.is === 'opening') flow._phase = { is: 'away', since: Date.now() };
  } else if ((phase.is === 'opening' || phase.is === 'closed') && !phase.looked) {
    const state = flow.appState;
    settle(engine, flow, flow._fallback ? { handOver: handOver(flow._fallback()) } : { ok: false, error: new PopupBlockedError(undefined, { state }) });
  }
}
