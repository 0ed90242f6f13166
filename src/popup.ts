import { CONNECT_ORIGIN } from './authorize';
import { createCleanup } from './cleanup';
import { explain, warnNoAnswer, warnOutsideClick } from './dev';
import { deliver, settle } from './door';
import { recordOf, type Engine, type PopupFlow, type PopupHost } from './engine';
import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors';
import { cancelled, emitAndReject, prepare } from './flow';
import { badOption, type PopupOptions } from './options';
import { openPopup, readHref } from './popup-window';
import { LATE_MS } from './protocol';
import { FLOW_TTL_MS, forget, remember, retire, sweep } from './records';
import { ANSWER_PARAMS, type ConnectResponse, type ConnectSuccess } from './response';
import { keptAnswer, refresh } from './waiting';

// A client's popup flows: at most one in progress, each ending exactly once (with Connect's answer,
// popup_blocked, popup_closed, timeout, its signal or destroy()), its popup watched while it runs.
// Answers come in through the door (door.ts); docs/delivery.md follows one from the callback page.

export { LATE_MS };

/** How often the popup's `closed` flag and address bar are read. */
export const POLL_MS = 100;
/** How long an answer may still be in flight after the popup closed. */
export const GRACE_MS = 250;
/** A popup seen on another origin for less than this when it vanished was cut off by COOP, not closed. */
export const SEVER_MS = 500;

/** The popup flows of one client, and the answers of its flows that ended while Connect still ran. */
export function createPopups(host: PopupHost) {
  const redirectUri = host._app.redirectUri ? new URL(host._app.redirectUri) : undefined;
  const engine: Engine = Object.assign(host, {
    _redirectUri: redirectUri,
    // A hosted page (the official SDK's) whose redirect URI names this origin in app_origin answers from its own.
    _answerOrigin: redirectUri ? redirectUri.origin : new URL(host._app.connectOrigin || CONNECT_ORIGIN).origin,
    _presence: { is: 'here' } as const,
    _refresh: (returning?: boolean) => refresh(engine, returning),
  });
  // In a browser, flows this tab remembers from before a reload are listened for at once, and what
  // any page of this origin kept or marked past its time is removed.
  if (typeof window === 'object') {
    sweep();
    refresh(engine);
  }
  return {
    popup: (input?: PopupOptions): Promise<ConnectSuccess> => {
      try {
        return start(engine, input);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    kept: () => keptAnswer(engine),
    destroy: () => {
      if (engine._current) settle(engine, engine._current, { abort: cancelled() });
      retire(engine._owner);
      refresh(engine);
    },
  };
}

/** Starts a flow, or shares the one whose popup is still in view. Throws only before any window opens. */
function start(engine: Engine, input: PopupOptions | undefined): Promise<ConnectSuccess> {
  const { _options: o, _refused: refused, _expected: expected, _href: href } = prepare(engine._app, input, engine._destroyed(), engine._pages);
  const shown = engine._current;
  // A popup still in view is focused and its flow shared; a closed or severed one is never "open".
  if (shown && shown._phase.is !== 'severed' && !shown._win.closed) {
    shown._win.focus();
    return shown._promise;
  }
  const redirectUri = engine._redirectUri;
  if (redirectUri && engine._answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
    throw badOption('redirectUri', `on this page's origin${explain('appOrigin')}`);
  }
  if (refused) return emitAndReject(engine._emitOrThrow, refused);
  if (o.signal?.aborted) return Promise.reject(o.signal.reason ?? cancelled());
  const url = href({ appOrigin: location.origin });
  warnOutsideClick();

  // Everything that can throw happens before the window opens; nothing after it throws.
  const flow = Object.assign(expected, { _phase: { is: 'opening', looked: false }, _cleanup: createCleanup() }) as PopupFlow;
  if (o.fallback && redirectUri && engine._redirect) flow._fallback = () => engine._redirect!(o);
  onAbort(engine, flow, o.signal);
  // Remembered before the window opens: the popup's copy of this tab's sessionStorage then holds it.
  remember(recordOf(engine, expected, FLOW_TTL_MS));
  const win = openPopup(url, o.popup ?? engine._app.popup);
  if (!win) return blocked(engine, flow, o.state);
  run(engine, flow, win, o.timeoutMs ?? engine._app.timeoutMs);
  engine._opened(url);
  // Asked again after a closed or severed popup: a new window, and the old flow ends as closed, once
  // the new one is current (a listener that calls popup() then finds the new window).
  if (shown) settle(engine, shown, closedError(shown), true);
  return flow._promise;
}

/** The flow ends on its signal's abort. Throws a `TypeError` for a signal that cannot be listened to. */
function onAbort(engine: Engine, flow: PopupFlow, signal: AbortSignal | undefined): void {
  if (!signal) return;
  try {
    flow._cleanup._on(signal, 'abort', () => settle(engine, flow, { abort: signal.reason ?? cancelled() }));
  } catch (cause) {
    throw badOption('signal', 'an AbortSignal', cause);
  }
}

/** The flow in progress: its promise, its watch, its timeout. */
function run(engine: Engine, flow: PopupFlow, win: Window, timeoutMs: number | undefined): void {
  flow._win = win;
  flow._promise = new Promise<ConnectSuccess>((resolve, reject) => {
    flow._resolve = resolve;
    flow._reject = reject;
  });
  flow._stopWatch = flow._cleanup._every(POLL_MS, () => watch(engine, flow));
  try {
    // The app's blank page, the popup's first, is this origin's: it tells when it goes, and why.
    win.addEventListener('pagehide', () => blankGone(engine, flow));
  } catch {
    // a window that takes no listener: its watch alone tells
  }
  const state = flow.appState;
  if (timeoutMs) flow._cleanup._after(timeoutMs, () => settle(engine, flow, { ok: false, error: new TimeoutError(undefined, { state }) }));
  engine._current = flow;
  refresh(engine);
}

/**
 * The popup's blank page went away: for Connect (the popup left this origin), or with the window, closed
 * before the app had even looked at it, as only the browser or an extension closes it (a blocked popup).
 */
function blankGone(engine: Engine, flow: PopupFlow): void {
  const phase = flow._phase;
  if (!flow._win.closed) {
    if (phase.is === 'opening') flow._phase = { is: 'away', since: Date.now() };
  } else if ((phase.is === 'opening' || phase.is === 'closed') && !phase.looked) {
    const state = flow.appState;
    settle(engine, flow, flow._fallback ? { handOver: handOver(flow._fallback()) } : { ok: false, error: new PopupBlockedError(undefined, { state }) });
  }
}

/**
 * The browser refused the popup. With `fallback: 'redirect'` the flow goes on in this window (its
 * promise stays pending: the page leaves, and handleRedirect() answers on return). Otherwise the user
 * may still allow it from the browser's prompt, which opens the same URL from this page: this page
 * alone remembers the flow for a while, and its answer then comes late.
 */
function blocked(engine: Engine, flow: PopupFlow, state: string | undefined): Promise<ConnectSuccess> {
  flow._cleanup._end();
  forget(flow.nonce);
  if (flow._fallback) return handOver(flow._fallback());
  remember({ ...recordOf(engine, flow, LATE_MS), here: true });
  refresh(engine);
  return emitAndReject(engine._emitOrThrow, new PopupBlockedError(undefined, { state }));
}

/** The same-window flow a popup flow hands over to: the page leaves, so its promise never settles but by a refusal. */
const handOver = (redirect: Promise<void>): Promise<never> => redirect.then(() => new Promise<never>(() => undefined));

/**
 * Every {@link POLL_MS}, while the page is here: notes where the popup is, reads its address bar once
 * it is back on this origin (Connect's answer there counts, with or without a script on the page),
 * and once the popup is gone decides how its flow ends.
 */
function watch(engine: Engine, flow: PopupFlow): void {
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
  if (!ANSWER_PARAMS.some((name) => url.searchParams.has(name))) return warnNoAnswer(flow._win, url);
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

const closedError = (flow: PopupFlow): ConnectResponse => ({ ok: false, error: new PopupClosedError(undefined, { state: flow.appState }) });
