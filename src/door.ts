import type { Cleanup } from './cleanup';
import { StateMismatchError } from './errors';
import { hold, isHeld, letGo } from './locks';
import { recordOf, waitingFlows, type Arrival, type Engine, type PopupFlow, type Route } from './engine';
import { closeWindow, openedHere } from './popup-window';
import { ackMessage, CHANNEL, KEPT_PREFIX, LATE_MS, MESSAGE_TYPE, nonceOf, wireState, type ResponseMessage } from './protocol';
import { forget, markTaken, readKept, remember, type Expected, type FlowRecord } from './records';
import { parseConnectResponse, type ConnectResponse, type ConnectSuccess } from './response';

// The one door every answer comes through. Each route turns what came into an arrival; `deliver`
// finds the flow it is for, checks it as far as its route is trusted (ROUTES), takes it once, and
// settles the flow in progress or reports a remembered flow's answer late. docs/delivery.md traces it.

/** How far a route is trusted: what it may settle, and how its answer's state is checked. */
interface Trust {
  /** It may settle the flow in progress; `'out of sight'`: only once the app no longer sees that flow's popup. */
  current?: true | 'out of sight';
  /** It came from the flow's own popup: a wrong or missing state fails that flow, not someone else's. */
  own?: true;
  /** It may be the answer of a remembered flow (one that ended, or one from before a reload), reported late. */
  late?: true;
}

/** The route table: a new route is a row. Why each row is what it is: docs/delivery.md. */
export const ROUTES: Record<Route, Trust> = {
  message: { current: true, own: true },
  address: { current: true, own: true },
  opened: { late: true },
  channel: { current: 'out of sight', late: true },
  kept: { current: true, late: true },
};

/**
 * How a popup flow ends: an answer (or an error of this package's), an abort's reason, or the same-window flow it hands
 * over to.
 */
export type Outcome = ConnectResponse | { abort: unknown } | { handOver: Promise<ConnectSuccess> };

/**
 * Delivers an arrival once: to the flow in progress (a channel answer for a popup the app still sees
 * is held until the popup is gone), or late to a remembered flow. Returns the late answer's report (for
 * handleRedirect()).
 */
export function deliver(engine: Engine, arrival: Arrival | undefined): Promise<ConnectSuccess> | undefined {
  if (!arrival) return undefined;
  const { current, own, late } = ROUTES[arrival.route];
  const flow = engine._current;
  const answer = current && flow && matchAnswer(arrival.search, flow, own);
  if (answer) {
    if (current !== true && inSight(flow)) flow._held = arrival;
    else if (take(engine, flow.nonce, arrival)) settle(engine, flow, answer);
  } else if (late) {
    for (const record of waitingFlows(engine)) {
      const lateAnswer = matchAnswer(arrival.search, record);
      if (lateAnswer && take(engine, record.nonce, arrival)) return deliverLate(engine, record, lateAnswer, arrival);
    }
  }
  return undefined;
}

/** Whether the app still sees the flow's popup on its own origin: not gone, and not seen elsewhere since. */
const inSight = (flow: PopupFlow): boolean => !flow._win.closed && flow._phase.is !== 'away';

/**
 * Takes flow `nonce`'s answer, once across the tabs of this origin: only while the page is here, holds
 * the flow's lock (else the arrival is delivered again once it does), and no page took it before. The
 * callback page waiting on the channel hears that it was taken.
 */
function take(engine: Engine, nonce: string, arrival: Arrival): boolean {
  if (engine._presence.is !== 'here') return false;
  if (!isHeld(nonce)) {
    void hold(nonce).then((answer) => {
      if (answer === 'held') void deliver(engine, arrival);
    });
    return false;
  }
  if (!markTaken(nonce)) return false;
  const state = new URLSearchParams(arrival.search).get('state');
  if (state !== null) engine._channel?.postMessage(ackMessage(state));
  return true;
}

/**
 * Ends a popup flow, once: removes what it set up, closes its popup, and settles its promise. `late`:
 * the popup may still be in front of the user, so the flow stays remembered and its answer may come late.
 */
export function settle(engine: Engine, flow: PopupFlow, outcome: Outcome, late?: boolean): void {
  if (flow._phase.is === 'settled') return;
  flow._phase = { is: 'settled' };
  if (engine._current === flow) engine._current = undefined;
  flow._cleanup._end();
  if (late) remember(recordOf(engine, flow, LATE_MS));
  else done(flow.nonce);
  engine._refresh();
  closeWindow(flow._win);
  if ('abort' in outcome) return flow._reject(outcome.abort);
  if ('handOver' in outcome) return flow._resolve(outcome.handOver);
  try {
    flow._resolve(engine._emitOrThrow(outcome));
  } catch (e) {
    flow._reject(e);
  }
}

/** A remembered flow's answer: forgotten, acknowledged to the window that posted it, and emitted with `late: true`. */
function deliverLate(engine: Engine, record: FlowRecord, answer: ConnectResponse, arrival: Arrival): Promise<ConnectSuccess> {
  done(record.nonce);
  if (arrival.route === 'opened') closeWindow(arrival.from);
  engine._refresh();
  const report = new Promise<ConnectSuccess>((ok) => ok(engine._emitOrThrow(answer, true)));
  // Emitted either way; only handleRedirect() wants an error as its rejection.
  report.catch(() => undefined);
  return report;
}

/** No flow waits on `nonce` any more: its record and its lock go. */
function done(nonce: string): void {
  forget(nonce);
  letGo(nonce);
}

/** The window's messages, the storage's kept answers and the channel, each turned into an arrival at the door. */
export function listenForArrivals(engine: Engine, listening: Cleanup): void {
  listening._on(window, 'message', (e: MessageEvent) => void deliver(engine, fromMessage(engine, e)));
  listening._on(window, 'storage', (e: StorageEvent) => {
    if (e.newValue && e.key?.startsWith(KEPT_PREFIX)) void deliver(engine, keptArrival(e.key.slice(KEPT_PREFIX.length)));
  });
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e) => void deliver(engine, arrivalOf('channel', e.data));
    listening._add(() => channel.close());
    engine._channel = channel;
  } catch {
    // no channels here (an opaque origin, an old browser): flows still run by message and address bar
  }
}

/** A message from the origin that may answer: the flow's popup's, another window's this page opened, or nothing. */
function fromMessage(engine: Engine, e: MessageEvent): Arrival | undefined {
  if (e.origin !== engine._answerOrigin) return undefined;
  const source = e.source as Window | null;
  if (source && source === engine._current?._win) return arrivalOf('message', e.data);
  const opened = openedHere(source) ? arrivalOf('opened', e.data) : undefined;
  return opened && { ...opened, from: source! };
}

/** What the callback page kept for flow `nonce`, as an arrival. */
export function keptArrival(nonce: string): Arrival | undefined {
  const search = readKept(nonce);
  return search === undefined ? undefined : { route: 'kept', search };
}

const arrivalOf = (route: Route, data: unknown): Arrival | undefined => {
  const search = readMessage(data);
  return search === undefined ? undefined : { route, search };
};

/**
 * The query a message carries: ours, or a `SmartcarAuthMessage` (what the official SDK's hosted
 * redirect page, and Connect itself in the redirect-less flow, post) turned back into Connect's
 * parameters. Undefined for anything else; never throws, whatever the message holds.
 */
export function readMessage(data: unknown): string | undefined {
  try {
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
  } catch {
    return undefined;
  }
}

/**
 * `search` parsed as the answer of the flow that expects `expected`, its app state restored; nothing
 * when its nonce is another flow's. `own`: it came from where only this flow's answer can come, so a
 * wrong or missing state is a `StateMismatchError`, except that an answer without any state is taken
 * when it is an error (it can only fail the flow) or the battery-capacity page's answer for this
 * flow's vehicle (Connect documents both without one).
 */
export function matchAnswer(search: string, expected: Expected, own?: boolean): ConnectResponse | undefined {
  const params = new URLSearchParams(search);
  const wire = params.get('state');
  if (nonceOf(wire) !== expected.nonce) {
    if (!own) return undefined;
    const battery = expected.kind === 'battery-capacity' && params.get('vehicle_id') === expected.vehicleId;
    if (wire !== null || !(params.get('error') || battery)) return mismatch(expected);
  } else if (wire !== wireState(expected.nonce, expected.appState)) return mismatch(expected);
  if (expected.appState === undefined) params.delete('state');
  else params.set('state', expected.appState);
  return parseConnectResponse(params);
}

const mismatch = (e: Expected): ConnectResponse => ({ ok: false, error: new StateMismatchError(undefined, { state: e.appState }) });
