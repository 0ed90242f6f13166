import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors';
import { CHANNEL, readMessage } from './protocol';
import type { ConnectResponse, ConnectSuccess } from './response';
import { createScope } from './scope';
import { cancelled, fail, matchResponse, prepare, type App, type Expected } from './state';
import { badOption, CONNECT_ORIGIN, type FlowOptions } from './url';

/** Popup size in CSS pixels; it is centred on the app's window and kept on screen. */
export interface PopupSize {
  width?: number;
  height?: number;
}

/** What `popup()` takes besides the flow's own options. */
export interface PopupOptions extends FlowOptions {
  /** Cancels the flow: the popup closes and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Overrides the constructor's `timeoutMs` for this flow. */
  timeoutMs?: number;
  /** `'redirect'`: when the browser blocks the popup, continue in this window instead of failing. */
  fallback?: 'redirect';
}

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
  app: App;
  /** Emits a response's events; returns the success or throws the error. `late` marks an answer after its flow ended. */
  report: (response: ConnectResponse, late?: boolean) => ConnectSuccess;
  opened: (url: string) => void;
  /** The same-window flow, for `fallback: 'redirect'`. */
  redirect: (options: PopupOptions) => Promise<void>;
  /** Whether the client was destroyed: later flows reject with the cancellation. */
  destroyed: () => boolean;
}

// A popup flow's phases. OPENING: the popup still shows the app's own blank page. OPEN: seen on
// Connect's origin. SEVERED: gone from the app's view moments after Connect's page appeared, so
// Cross-Origin-Opener-Policy cut it off while it may still be in front of the user. SETTLED:
// ended, nothing of it remains.
const OPENING = 0;
const OPEN = 1;
const SEVERED = 2;
const SETTLED = 3;
type Phase = typeof OPENING | typeof OPEN | typeof SEVERED | typeof SETTLED;

interface Flow {
  win: Window;
  expected: Expected;
  promise: Promise<ConnectSuccess>;
  phase: Phase;
  /** An answer that came by channel while the popup was still in view, and when it came. */
  held?: [ConnectResponse, number];
  /** Ends the flow with an answer, an error or an abort; `late` keeps listening for a late answer. */
  end(outcome: ConnectResponse | { abort: unknown }, late?: boolean): void;
}

/**
 * The popup flows of one client: at most one at a time, each ending exactly once (with
 * Connect's answer, `popup_closed`, `timeout`, its signal or `destroy()`), and the answers of
 * flows that ended as closed while Connect was still running, delivered late through the events.
 */
export function createPopups(host: PopupHost) {
  const { app } = host;
  const redirectUri = app.redirectUri ? new URL(app.redirectUri) : undefined;
  // Who may answer: the callback page on this origin; a hosted page (such as the official SDK's)
  // whose redirect URI names this origin in app_origin; Connect itself when there is no redirect URI.
  const answerOrigin = redirectUri ? redirectUri.origin : new URL(app.connectOrigin || CONNECT_ORIGIN).origin;
  let current: Flow | undefined;
  let channel: BroadcastChannel | undefined;
  /** Flows that ended as closed, by nonce, with their timer's cancel: their answer may still come by channel. */
  const late = new Map<string, [Expected, () => void]>();
  const lateTimers = createScope();

  /** Reads a message into this flow's response, or nothing; never throws, whatever the message holds. */
  function match(data: unknown, expected: Expected, trusted: boolean): ConnectResponse | undefined {
    try {
      const search = readMessage(data);
      return search === undefined ? undefined : matchResponse(search, expected, trusted);
    } catch {
      return undefined;
    }
  }

  /** The channel is open while a flow or a late answer may come through it. */
  function listen() {
    if (!current && !late.size) {
      channel?.close();
      channel = undefined;
    } else if (!channel && typeof BroadcastChannel === 'function') {
      try {
        channel = new BroadcastChannel(CHANNEL);
        channel.onmessage = onChannel;
      } catch {
        // a context without channels (an opaque origin) still runs flows by postMessage
      }
    }
  }

  // The channel is the COOP fallback, not a side door: an answer by channel counts only for a
  // flow whose popup the app can no longer see. One for a popup still in view is held a moment,
  // since a callback page served with COOP may speak before the app sees its popup vanish.
  function onChannel({ data }: MessageEvent) {
    const flow = current;
    const response = flow && match(data, flow.expected, false);
    if (response) {
      if (flow.win.closed) flow.end(response);
      else flow.held = [response, Date.now()];
      return;
    }
    for (const [expected, cancel] of late.values()) {
      const answer = match(data, expected, false);
      if (answer) {
        late.delete(expected.nonce);
        cancel();
        listen();
        try {
          host.report(answer, true);
        } catch {
          // a late error reaches the app through its events only
        }
        return;
      }
    }
  }

  function start(input: PopupOptions | undefined): Promise<ConnectSuccess> {
    const { o, refused, expected, href } = prepare(app, input, host.destroyed());
    const busy = current;
    // A popup still in view is focused and its flow shared; a closed or severed one is never "open".
    if (busy && busy.phase !== SEVERED && !busy.win.closed) {
      busy.win.focus();
      return busy.promise;
    }
    const { state, signal } = o;
    if (redirectUri && answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
      throw badOption('redirectUri', "on this page's origin (or name it in app_origin)");
    }
    if (refused) return fail(host.report, refused);
    if (signal?.aborted) return Promise.reject(signal.reason ?? cancelled());
    const url = href({ appOrigin: location.origin });

    // Everything that can throw happens before the window opens; nothing after it throws.
    const scope = createScope();
    // eslint-disable-next-line prefer-const
    let flow: Flow;
    if (signal) {
      try {
        scope.on(signal, 'abort', () => flow.end({ abort: signal.reason ?? cancelled() }));
      } catch (cause) {
        throw badOption('signal', 'an AbortSignal', cause);
      }
    }
    const win = openPopup(url, app.popup);
    if (!win) {
      scope.end();
      return o.fallback && redirectUri
        ? // The page is leaving for Connect: this promise stays pending; handleRedirect() answers on return.
          host.redirect(o).then(() => new Promise<never>(() => undefined))
        : fail(host.report, new PopupBlockedError(undefined, { state }));
    }

    let resolve!: (s: ConnectSuccess) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<ConnectSuccess>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    flow = {
      win,
      expected,
      promise,
      phase: OPENING,
      end(outcome, keepListening) {
        if (flow.phase === SETTLED) return;
        flow.phase = SETTLED;
        if (current === flow) current = undefined;
        scope.end();
        if (keepListening) late.set(expected.nonce, [expected, lateTimers.after(LATE_MS, () => late.delete(expected.nonce) && listen())]);
        listen();
        try {
          win.close();
        } catch {
          // a window the browser no longer lets the app close is gone from its view anyway
        }
        if ('abort' in outcome) return reject(outcome.abort);
        try {
          resolve(host.report(outcome));
        } catch (e) {
          reject(e);
        }
      },
    };
    const closed = (keepListening: boolean) => () =>
      flow.end({ ok: false, error: new PopupClosedError(undefined, { state }) }, keepListening);

    scope.on(window, 'message', (e: MessageEvent) => {
      const response = e.origin === answerOrigin && e.source === win && match(e.data, expected, true);
      if (response) flow.end(response);
    });
    let foreignSince: number | undefined;
    const stop = scope.every(POLL_MS, () => {
      const now = Date.now();
      if (!win.closed) {
        try {
          void win.location.href;
          foreignSince = undefined;
        } catch {
          foreignSince ??= now;
          flow.phase = OPEN;
        }
        if (flow.held && now - flow.held[1] > HOLD_MS) flow.held = undefined;
        return;
      }
      stop();
      if (flow.held) return flow.end(flow.held[0]);
      if (foreignSince !== undefined && now - foreignSince < SEVER_MS) {
        // Gone moments after Connect's page appeared: cut off by COOP, not closed by a person.
        flow.phase = SEVERED;
        scope.after(LATE_MS, closed(false));
      } else scope.after(GRACE_MS, closed(true));
    });
    const timeoutMs = o.timeoutMs ?? app.timeoutMs;
    if (timeoutMs) scope.after(timeoutMs, () => flow.end({ ok: false, error: new TimeoutError(undefined, { state }) }));

    current = flow;
    listen();
    host.opened(url);
    // Asked again after a closed or severed popup: a new window, and the old flow ends as closed,
    // once the new one is current (a listener that calls popup() then finds the new window).
    busy?.end({ ok: false, error: new PopupClosedError(undefined, { state: busy.expected.appState }) }, true);
    return promise;
  }

  return {
    popup: (input?: PopupOptions): Promise<ConnectSuccess> => {
      try {
        return start(input);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    destroy: () => {
      current?.end({ abort: cancelled() });
      late.clear();
      lateTimers.end();
      listen();
    },
  };
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
