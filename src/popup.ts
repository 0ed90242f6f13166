import { CONNECT_ORIGIN } from './authorize';
import { createCleanup } from './cleanup';
import { warnOutsideClick } from './dev';
import { settle } from './door';
import { recordOf, type Engine, type PopupFlow, type PopupHost } from './engine';
import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors';
import { cancelled, emitAndReject, prepare } from './flow';
import { badOption, type PopupOptions } from './options';
import { closeWindow, openPopup, showOpening } from './popup-window';
import { LATE_MS } from './protocol';
import { FLOW_TTL_MS, forget, remember, retire, sweep } from './records';
import type { ConnectSuccess } from './response';
import { keptAnswer, refresh } from './waiting';
import { blankGone, closedError, handOver, POLL_MS, watch } from './watch';

// A client's popup flows: at most one in progress, each ending exactly once (with Connect's answer,
// popup_blocked, popup_closed, timeout, its signal or destroy()), its popup watched while it runs.
// Answers come in through the door (door.ts); docs/delivery.md follows one from the callback page.

export { LATE_MS };
export { GRACE_MS, POLL_MS, SEVER_MS } from './watch';

/** What `popup()` takes: its options, or a promise of them (the popup opens at once, and goes to Connect when they come). */
export type PopupInput = PopupOptions | undefined | PromiseLike<PopupOptions | undefined>;

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
    popup: (input?: PopupInput): Promise<ConnectSuccess> => {
      try {
        return isThenable(input) ? startLater(engine, input) : start(engine, input);
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

const isThenable = (input: unknown): input is PromiseLike<PopupOptions | undefined> => typeof (input as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Starts a flow, or shares the one whose popup is still in view. Throws only before any window opens.
 * `given`: the window opened in the click's task while the options came (null when the browser refused it).
 */
function start(engine: Engine, input: PopupOptions | undefined, given?: Window | null): Promise<ConnectSuccess> {
  engine._check?.(input);
  const { _options: o, _refused: refused, _expected: expected, _href: href } = prepare(engine._app, input, engine._destroyed(), engine._pages);
  const shown = engine._current;
  // A popup still in view is focused and its flow shared; a closed or severed one is never "open".
  if (shown && shown._phase.is !== 'severed' && !shown._win.closed) {
    shown._win.focus();
    return shown._promise;
  }
  const redirectUri = engine._redirectUri;
  if (redirectUri && engine._answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
    throw badOption('redirectUri', "on this page's origin");
  }
  if (refused) return emitAndReject(engine._emitOrThrow, refused);
  if (o.signal?.aborted) return Promise.reject(o.signal.reason ?? cancelled());
  const url = href({ appOrigin: location.origin });
  warnOutsideClick(given);

  // Everything that can throw happens before the window opens; nothing after it throws.
  const flow = Object.assign(expected, { _phase: { is: 'opening', looked: false }, _cleanup: createCleanup() }) as PopupFlow;
  if (o.fallback && redirectUri && engine._redirect) flow._fallback = () => engine._redirect!(o);
  onAbort(engine, flow, o.signal);
  const why = engine._unavailable?.();
  if (why || given?.closed) return noPopup(engine, flow, why, given);
  // Remembered before the window opens: the popup's copy of this tab's sessionStorage then holds it.
  remember(recordOf(engine, expected, FLOW_TTL_MS));
  const win = given === undefined ? openPopup(url, o.popup ?? engine._app.popup) : given;
  // The window opened in the click's task goes to Connect now: a window of this origin needs no click for that.
  given?.location.replace(url);
  if (!win) return noPopup(engine, flow, undefined, given);
  run(engine, flow, win, o.timeoutMs ?? engine._app.timeoutMs);
  engine._opened(url);
  // Asked again after a closed or severed popup: a new window, and the old flow ends as closed, once
  // the new one is current (a listener that calls popup() then finds the new window).
  if (shown) settle(engine, shown, closedError(shown), true);
  return flow._promise;
}

/**
 * popup() given a promise of its options: the popup opens now, in the click's task, on the app's blank page
 * saying Connect is opening, and goes to Connect once they come; when they fail, it closes and popup()
 * rejects with why. A second call meanwhile focuses that window and shares its promise.
 */
function startLater(engine: Engine, later: PromiseLike<PopupOptions | undefined>): Promise<ConnectSuccess> {
  const waiting = engine._opening;
  if (waiting?._win && !waiting._win.closed) {
    waiting._win.focus();
    return waiting._promise;
  }
  if (engine._destroyed()) throw cancelled();
  warnOutsideClick();
  const win = engine._unavailable?.() ? null : openPopup('', engine._app.popup);
  if (win) showOpening(win);
  const promise = Promise.resolve(later).then((options) => start(engine, options, win));
  // Whatever ends it before Connect (the options' rejection, a bad option), the window opened for it closes.
  promise.catch(() => closeWindow(win));
  engine._opening = { _win: win, _promise: promise };
  return promise;
}

/**
 * No popup for this flow. A window the user closed while the options came ends it as closed. Otherwise it goes
 * on in this window with `fallback: 'redirect'`, or rejects with a PopupBlockedError: `why` a popup cannot come
 * back to the app here (an in-app browser, an installed web app), or, without a why, the browser refused it. The
 * user may still allow that one from the browser's prompt, which opens the same URL from this page: this page
 * alone remembers the flow for a while, and its answer then comes late.
 */
function noPopup(engine: Engine, flow: PopupFlow, why: string | undefined, given: Window | null | undefined): Promise<ConnectSuccess> {
  flow._cleanup._end();
  forget(flow.nonce);
  const state = flow.appState;
  if (given && !why) return emitAndReject(engine._emitOrThrow, new PopupClosedError(undefined, { state }));
  if (flow._fallback) return handOver(flow._fallback());
  closeWindow(given);
  if (!why) {
    remember({ ...recordOf(engine, flow, LATE_MS), here: true });
    refresh(engine);
  }
  return emitAndReject(engine._emitOrThrow, new PopupBlockedError(why, { state }));
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
