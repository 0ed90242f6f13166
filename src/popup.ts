import { createCleanup, type Cleanup } from './cleanup';
import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors';
import { cancelled, fail, matchResponse, prepare, type Expected } from './flow';
import { badOption, type App, type PopupOptions, type PopupSize } from './options';
import { CHANNEL, readMessage } from './protocol';
import type { ConnectResponse, ConnectSuccess } from './response';
import { CONNECT_ORIGIN } from './url';

/** How often the popup's `closed` flag and origin are read. */
export const POLL_MS = 100;
/** How long a result may still be in flight after the popup closed. */
export const GRACE_MS = 250;
/** A popup seen on a foreign origin for less than this when it vanished was cut off by COOP, not closed. */
export const SEVER_MS = 500;
/** How long a channel answer for a popup the app can still see waits for that popup to vanish. */
export const HOLD_MS = 1000;
/** An authorization code's life: a severed flow waits this long; a closed flow's late answer counts this long. */
export const LATE_MS = 600_000;

/** What the client gives the popup flows: its options and its reporting. */
export interface PopupHost {
  _app: App;
  /** Emits a response's events; returns the success or throws the error. `late` marks an answer after its flow ended. */
  _report: (response: ConnectResponse, late?: boolean) => ConnectSuccess;
  _opened: (url: string) => void;
  /** The same-window flow, for `fallback: 'redirect'`. */
  _redirect: (options: PopupOptions) => Promise<void>;
  /** Whether the client was destroyed: later flows reject with the cancellation. */
  _destroyed: () => boolean;
}

/**
 * Where a popup flow is. `opening`: the popup still shows the app's own blank page. `open`: seen
 * on Connect's origin. `severed`: gone from the app's view moments after Connect's page appeared,
 * so Cross-Origin-Opener-Policy cut it off while it may still be in front of the user. `settled`:
 * ended, nothing of it remains.
 */
type Phase = 'opening' | 'open' | 'severed' | 'settled';

/** An answer that came by channel while its popup was still in view, and when it came. */
interface HeldAnswer {
  _response: ConnectResponse;
  _at: number;
}

/** How a flow ends: with Connect's answer (or an error of this package's), or with an abort's reason. */
type Outcome = ConnectResponse | { abort: unknown };

/** One popup flow: its window, what it expects back, its promise, and everything it set up. */
interface PopupFlow {
  _win: Window;
  _expected: Expected;
  _promise: Promise<ConnectSuccess>;
  _resolve: (success: ConnectSuccess) => void;
  _reject: (reason: unknown) => void;
  _phase: Phase;
  _held?: HeldAnswer;
  /** When the popup was first seen on a foreign origin since it was last readable. */
  _foreignSince?: number;
  _cleanup: Cleanup;
  /** Stops {@link watch} once the popup is gone; the rest stays until the flow ends. */
  _unwatch: () => void;
}

/** A flow that ended as closed while Connect may still answer it by channel, and its expiry's cancel. */
interface LateFlow {
  _expected: Expected;
  _cancel: () => void;
}

/** The popup flows of one client (its host, extended): at most one current, and the late ones still listened for. */
interface Popups extends PopupHost {
  _redirectUri?: URL;
  /** Who may answer by message: see {@link createPopups}. */
  _answerOrigin: string;
  _current?: PopupFlow;
  _late: Map<string, LateFlow>;
  _lateTimers: Cleanup;
  _channel?: BroadcastChannel;
}

/**
 * The popup flows of one client: at most one at a time, each ending exactly once (with
 * Connect's answer, `popup_closed`, `timeout`, its signal or `destroy()`), and the answers of
 * flows that ended as closed while Connect was still running, delivered late through the events.
 *
 * An answer travels: the popup's `message` event ({@link onMessage}) or the channel
 * ({@link onChannel}) → {@link match} → {@link end} → the host's report → the promise.
 */
export function createPopups(host: PopupHost) {
  const redirectUri = host._app.redirectUri ? new URL(host._app.redirectUri) : undefined;
  const popups: Popups = Object.assign(host, {
    _redirectUri: redirectUri,
    // Who may answer: the callback page on this origin; a hosted page (such as the official SDK's)
    // whose redirect URI names this origin in app_origin; Connect itself when there is no redirect URI.
    _answerOrigin: redirectUri ? redirectUri.origin : new URL(host._app.connectOrigin || CONNECT_ORIGIN).origin,
    _late: new Map<string, LateFlow>(),
    _lateTimers: createCleanup(),
  });
  return {
    popup: (input?: PopupOptions): Promise<ConnectSuccess> => {
      try {
        return start(popups, input);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    destroy: () => {
      if (popups._current) end(popups, popups._current, { abort: cancelled() });
      popups._late.clear();
      popups._lateTimers._end();
      listen(popups);
    },
  };
}

/** Starts a flow, or shares the one whose popup is still in view. Throws only before any window opens. */
function start(popups: Popups, input: PopupOptions | undefined): Promise<ConnectSuccess> {
  const { _o: o, _refused: refused, _expected: expected, _href: href } = prepare(popups._app, input, popups._destroyed());
  const busy = popups._current;
  // A popup still in view is focused and its flow shared; a closed or severed one is never "open".
  if (busy && busy._phase !== 'severed' && !busy._win.closed) {
    busy._win.focus();
    return busy._promise;
  }
  const { state, signal } = o;
  const redirectUri = popups._redirectUri;
  if (redirectUri && popups._answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
    throw badOption('redirectUri', "on this page's origin (or name it in app_origin)");
  }
  if (refused) return fail(popups._report, refused);
  if (signal?.aborted) return Promise.reject(signal.reason ?? cancelled());
  const url = href({ appOrigin: location.origin });

  // Everything that can throw happens before the window opens; nothing after it throws.
  const cleanup = createCleanup();
  const flow = { _expected: expected, _phase: 'opening', _cleanup: cleanup } as PopupFlow;
  if (signal) {
    try {
      cleanup._on(signal, 'abort', () => end(popups, flow, { abort: signal.reason ?? cancelled() }));
    } catch (cause) {
      throw badOption('signal', 'an AbortSignal', cause);
    }
  }
  const win = openPopup(url, popups._app.popup);
  if (!win) {
    cleanup._end();
    return o.fallback && redirectUri
      ? // The page is leaving for Connect: this promise stays pending; handleRedirect() answers on return.
        popups._redirect(o).then(() => new Promise<never>(() => undefined))
      : fail(popups._report, new PopupBlockedError(undefined, { state }));
  }
  flow._win = win;
  flow._promise = new Promise<ConnectSuccess>((resolve, reject) => {
    flow._resolve = resolve;
    flow._reject = reject;
  });
  cleanup._on(window, 'message', (e: MessageEvent) => onMessage(popups, flow, e));
  flow._unwatch = cleanup._every(POLL_MS, () => watch(popups, flow));
  const timeoutMs = o.timeoutMs ?? popups._app.timeoutMs;
  if (timeoutMs) cleanup._after(timeoutMs, () => end(popups, flow, { ok: false, error: new TimeoutError(undefined, { state }) }));

  popups._current = flow;
  listen(popups);
  popups._opened(url);
  // Asked again after a closed or severed popup: a new window, and the old flow ends as closed,
  // once the new one is current (a listener that calls popup() then finds the new window).
  if (busy) end(popups, busy, closedError(busy), true);
  return flow._promise;
}

/** A message to this window: the flow's answer only from its own popup, on the origin that may answer. */
function onMessage(popups: Popups, flow: PopupFlow, e: MessageEvent): void {
  const response = e.origin === popups._answerOrigin && e.source === flow._win && match(e.data, flow._expected, true);
  if (response) end(popups, flow, response);
}

/**
 * A message on the channel. The channel is the COOP fallback, not a side door: an answer by
 * channel counts only for a flow whose popup the app can no longer see. One for a popup still in
 * view is held a moment, since a callback page served with COOP may speak before the app sees its
 * popup vanish. Otherwise it may be the late answer of a flow that ended as closed.
 */
function onChannel(popups: Popups, { data }: MessageEvent): void {
  const flow = popups._current;
  const response = flow && match(data, flow._expected, false);
  if (response) {
    if (flow._win.closed) end(popups, flow, response);
    else flow._held = { _response: response, _at: Date.now() };
    return;
  }
  for (const [nonce, late] of popups._late) {
    const answer = match(data, late._expected, false);
    if (answer) {
      popups._late.delete(nonce);
      late._cancel();
      listen(popups);
      try {
        popups._report(answer, true);
      } catch {
        // a late error reaches the app through its events only
      }
      return;
    }
  }
}

/**
 * Every {@link POLL_MS}: notes when the popup is on a foreign origin, lets a held channel answer
 * expire, and once the popup is gone decides whether it was closed or severed.
 */
function watch(popups: Popups, flow: PopupFlow): void {
  const now = Date.now();
  if (!flow._win.closed) {
    try {
      void flow._win.location.href;
      flow._foreignSince = undefined;
    } catch {
      flow._foreignSince ??= now;
      flow._phase = 'open';
    }
    if (flow._held && now - flow._held._at > HOLD_MS) flow._held = undefined;
    return;
  }
  flow._unwatch();
  if (flow._held) return end(popups, flow, flow._held._response);
  if (flow._foreignSince !== undefined && now - flow._foreignSince < SEVER_MS) {
    // Gone moments after Connect's page appeared: cut off by COOP, not closed by a person.
    flow._phase = 'severed';
    flow._cleanup._after(LATE_MS, () => end(popups, flow, closedError(flow)));
  } else flow._cleanup._after(GRACE_MS, () => end(popups, flow, closedError(flow), true));
}

const closedError = (flow: PopupFlow): ConnectResponse => ({ ok: false, error: new PopupClosedError(undefined, { state: flow._expected.appState }) });

/**
 * Ends a flow, once: removes what it set up, closes its popup, and settles its promise with the
 * outcome. `late` keeps listening on the channel for its answer, which then reaches the events.
 */
function end(popups: Popups, flow: PopupFlow, outcome: Outcome, late?: boolean): void {
  if (flow._phase === 'settled') return;
  flow._phase = 'settled';
  if (popups._current === flow) popups._current = undefined;
  flow._cleanup._end();
  if (late) {
    const { nonce } = flow._expected;
    const expire = () => popups._late.delete(nonce) && listen(popups);
    popups._late.set(nonce, { _expected: flow._expected, _cancel: popups._lateTimers._after(LATE_MS, expire) });
  }
  listen(popups);
  try {
    flow._win.close();
  } catch {
    // a window the browser no longer lets the app close is gone from its view anyway
  }
  if ('abort' in outcome) return flow._reject(outcome.abort);
  try {
    flow._resolve(popups._report(outcome));
  } catch (e) {
    flow._reject(e);
  }
}

/** The channel is open while a flow or a late answer may come through it. */
function listen(popups: Popups): void {
  if (!popups._current && !popups._late.size) {
    popups._channel?.close();
    popups._channel = undefined;
  } else if (!popups._channel && typeof BroadcastChannel === 'function') {
    try {
      popups._channel = new BroadcastChannel(CHANNEL);
      popups._channel.onmessage = (e) => onChannel(popups, e);
    } catch {
      // a context without channels (an opaque origin) still runs flows by postMessage
    }
  }
}

/** Reads a message into a flow's response, or nothing; never throws, whatever the message holds. */
function match(data: unknown, expected: Expected, trusted: boolean): ConnectResponse | undefined {
  try {
    const search = readMessage(data);
    return search === undefined ? undefined : matchResponse(search, expected, trusted);
  } catch {
    return undefined;
  }
}

/**
 * Opens the popup in the caller's task (browsers block popups opened after
 * an await). Returns null when the browser refused.
 */
function openPopup(url: string, size: PopupSize = {}): Window | null {
  try {
    const s = screen as Screen & { availLeft?: number; availTop?: number };
    // A screen that reports no size (headless, jsdom) leaves the popup where the browser puts it.
    const roomX = s.availWidth || 1e4;
    const roomY = s.availHeight || 1e4;
    const width = Math.min(size.width || 500, roomX);
    const height = Math.min(size.height || 700, roomY);
    // Centred on the app's window, then moved back inside the screen's available area.
    const place = (at: number, appSize: number, own: number, start = 0, room: number) =>
      Math.round(Math.min(Math.max(at + (appSize - own) / 2, start), start + room - own));
    const left = place(screenX, outerWidth, width, s.availLeft, roomX);
    const top = place(screenY, outerHeight, height, s.availTop, roomY);
    const win = open(url, '_blank', `popup,width=${width},height=${height},left=${left},top=${top}`);
    return win && !win.closed ? win : null;
  } catch {
    return null;
  }
}
