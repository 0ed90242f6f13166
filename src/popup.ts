import { release as releaseOne, releaseAll, whenHeld } from './claim';
import { createCleanup, type Cleanup } from './cleanup';
import { explain, warnNoAnswer, warnOutsideClick } from './dev';
import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors';
import { cancelled, fail, FLOW_TTL_MS, matchResponse, prepare, type Expected, type Pages } from './flow';
import { badOption, type App, type PopupOptions, type PopupSize } from './options';
import { enlist, forgetFlow, inOwnPopup, pendingFlows, readKept, rememberFlow, retire, sweep, takeOnce, type PendingFlow } from './pending';
import { ackMessage, CHANNEL, KEPT_PREFIX, LATE_MS, readMessage } from './protocol';
import { ANSWER_PARAMS, type ConnectResponse, type ConnectSuccess } from './response';
import { CONNECT_ORIGIN } from './authorize';

export { LATE_MS };

/** How often the popup's `closed` flag and address bar are read. */
export const POLL_MS = 100;
/** How long a result may still be in flight after the popup closed. */
export const GRACE_MS = 250;
/** A popup seen on a foreign origin for less than this when it vanished was cut off by COOP, not closed. */
export const SEVER_MS = 500;
/**
 * How long a page that may be leaving (from `beforeunload`) takes no answer. A navigation that
 * unloads the page ends it before this; one that never does (a `mailto:` link, a download, a
 * navigation cancelled) leaves the page alive, and it takes the answer then, kept meanwhile by the
 * callback page.
 */
export const LEAVING_MS = 5000;

/** What the client gives the popup flows: its options and its reporting. */
export interface PopupHost {
  _app: App;
  /** Emits a response's events; returns the success or throws the error. `late` marks an answer after its flow ended. */
  _report: (response: ConnectResponse, late?: boolean) => ConnectSuccess;
  _opened: (url: string) => void;
  /** The same-window flow, for `fallback: 'redirect'` (the main entry's). */
  _redirect?: (options: PopupOptions) => Promise<void>;
  /** Connect's other pages and the VIN preflight (the main entry's). */
  _pages?: Pages | undefined;
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
  /** An answer that came by channel while its popup was still in view: it counts once the popup is gone. */
  _held?: string | undefined;
  /** When the popup was first seen on a foreign origin since it was last readable. */
  _foreignSince?: number | undefined;
  _cleanup: Cleanup;
  /** Stops {@link watch} once the popup is gone; the rest stays until the flow ends. */
  _unwatch: () => void;
}

/** The popup flows of one client (its host, extended): the current one, and how the client listens. */
interface Popups extends PopupHost {
  /** This client's id as the owner of the flows it remembers. */
  _owner: string;
  _redirectUri?: URL | undefined;
  /** Who may answer by message: see {@link createPopups}. */
  _answerOrigin: string;
  _current?: PopupFlow | undefined;
  /** The client's listeners (message, storage, channel), while a flow is current or remembered. */
  _listening?: Cleanup | undefined;
  _channel?: BroadcastChannel | undefined;
  /** Cancels the timer that listens again when the soonest remembered flow's time is up. */
  _expiry?: (() => void) | undefined;
  /** The flows whose lock this client has asked the page to hold. */
  _locks: Set<string>;
  /** Cancels the timer that brings a page still here after `beforeunload` back. */
  _comeBack?: (() => void) | undefined;
  /**
   * Why this page takes no answer now: it may be `leaving` (`beforeunload`, for {@link LEAVING_MS}),
   * or it is `hidden` (`pagehide`: unloading, or into the back/forward cache until `pageshow`).
   */
  _away?: 'leaving' | 'hidden' | undefined;
}

/**
 * The popup flows of one client: at most one at a time, each ending exactly once (with
 * Connect's answer, `popup_closed`, `timeout`, its signal or `destroy()`), and the answers of
 * flows that ended while Connect was still running (cut off by COOP, or the app reloaded),
 * delivered late through the events, or kept for `handleRedirect()` (the popup entry: for its
 * first `on()`).
 *
 * An answer travels: the popup's address bar ({@link watch}), its `message` ({@link onMessage}),
 * the channel ({@link onChannel}) or a kept answer ({@link onKept}) → {@link claim}, which lets
 * one page take it once → {@link end} → the host's report → the promise; or, for a flow that
 * already ended, {@link take} → {@link reportLate} → the events.
 */
export function createPopups(host: PopupHost) {
  const redirectUri = host._app.redirectUri ? new URL(host._app.redirectUri) : undefined;
  const popups: Popups = Object.assign(host, {
    // Not a secret, only this client's name among the page loads of a tab.
    _owner: enlist(`${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`),
    _redirectUri: redirectUri,
    // Who may answer: the callback page on this origin; a hosted page (such as the official SDK's)
    // whose redirect URI names this origin in app_origin; Connect itself when there is no redirect URI.
    _answerOrigin: redirectUri ? redirectUri.origin : new URL(host._app.connectOrigin || CONNECT_ORIGIN).origin,
    _locks: new Set<string>(),
  });
  // In a browser, flows this tab remembers from before a reload are listened for at once, and
  // what any page of this origin kept or marked past its time is removed.
  if (typeof window === 'object') {
    sweep();
    listen(popups);
  }
  return {
    popup: (input?: PopupOptions): Promise<ConnectSuccess> => {
      try {
        return start(popups, input);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    /** An answer the callback page kept for a flow of this tab (the app reloaded meanwhile), reported once; or null. */
    kept: (): Promise<ConnectSuccess | null> =>
      new Promise((resolve) => {
        const flow = waitingFlows(popups).find((f) => readKept(f.nonce) !== undefined);
        if (!flow) return resolve(null);
        // Once this page holds the flow (a page it reloaded from lets go as it leaves).
        whenHeld(flow.nonce, (held) => {
          const answer = held ? take(popups, flow, readKept(flow.nonce)) : undefined;
          if (answer) listen(popups);
          // A throw here rejects: an error kept for the app reaches handleRedirect() as its rejection.
          resolve(answer ? new Promise<ConnectSuccess>((ok) => ok(popups._report(answer, true))) : null);
        });
      }),
    destroy: () => {
      if (popups._current) end(popups, popups._current, { abort: cancelled() });
      retire(popups._owner);
      listen(popups);
    },
  };
}

/** Starts a flow, or shares the one whose popup is still in view. Throws only before any window opens. */
function start(popups: Popups, input: PopupOptions | undefined): Promise<ConnectSuccess> {
  const { _o: o, _refused: refused, _expected: expected, _href: href } = prepare(popups._app, input, popups._destroyed(), popups._pages);
  const busy = popups._current;
  // A popup still in view is focused and its flow shared; a closed or severed one is never "open".
  if (busy && busy._phase !== 'severed' && !busy._win.closed) {
    busy._win.focus();
    return busy._promise;
  }
  const { state, signal } = o;
  const redirectUri = popups._redirectUri;
  if (redirectUri && popups._answerOrigin !== location.origin && redirectUri.searchParams.get('app_origin') !== location.origin) {
    throw badOption('redirectUri', `on this page's origin${explain('appOrigin')}`);
  }
  if (refused) return fail(popups._report, refused);
  if (signal?.aborted) return Promise.reject(signal.reason ?? cancelled());
  const url = href({ appOrigin: location.origin });
  warnOutsideClick();

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
  // Remembered before the window opens: the popup's copy of this tab's sessionStorage then holds it.
  rememberFlow(pending(popups, expected, FLOW_TTL_MS));
  const win = openPopup(url, o.popup ?? popups._app.popup);
  if (!win) {
    forgetFlow(expected.nonce);
    cleanup._end();
    return o.fallback && redirectUri && popups._redirect
      ? // The page is leaving for Connect: this promise stays pending; handleRedirect() answers on return.
        popups._redirect(o).then(() => new Promise<never>(() => undefined))
      : fail(popups._report, new PopupBlockedError(undefined, { state }));
  }
  flow._win = win;
  flow._promise = new Promise<ConnectSuccess>((resolve, reject) => {
    flow._resolve = resolve;
    flow._reject = reject;
  });
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

/**
 * A message to this window. From the current flow's own popup, on the origin that may answer:
 * that flow's answer (a wrong state is a `StateMismatchError`). From another window this one
 * opened (a popup of a flow from before the app reloaded): the answer of a flow this tab still
 * remembers, if it is one. Anything else is ignored.
 */
function onMessage(popups: Popups, e: MessageEvent): void {
  const search = e.origin === popups._answerOrigin ? readSearch(e.data) : undefined;
  if (search === undefined) return;
  const flow = popups._current;
  if (flow && e.source === flow._win) {
    if (claim(popups, flow._expected.nonce, search, () => onMessage(popups, e))) end(popups, flow, matchResponse(search, flow._expected, true)!);
    return;
  }
  const source = e.source as Window | null;
  // Closing the window is the callback page's acknowledgement: it keeps nothing.
  if (openedHere(source)) takeLate(popups, search, () => onMessage(popups, e), () => source!.close());
}

/**
 * A message on the channel. The channel is the COOP fallback, not a side door: an answer by
 * channel counts only for a flow whose popup the app can no longer see. One for a popup still in
 * view is held while its flow waits, since a callback page cut off from the app (by COOP, or by a
 * navigation the browser started in the popup) may speak before the app sees its popup vanish, or
 * while the app never does. Otherwise it may be the late answer of a flow that already ended.
 */
function onChannel(popups: Popups, e: MessageEvent): void {
  const search = readSearch(e.data);
  if (search === undefined) return;
  const flow = popups._current;
  const response = flow && matchResponse(search, flow._expected, false);
  if (!response) return takeLate(popups, search, () => onChannel(popups, e));
  if (!flow._win.closed) flow._held = search;
  else if (claim(popups, flow._expected.nonce, search, () => onChannel(popups, e))) end(popups, flow, response);
}

/** Another page of this origin wrote to localStorage: perhaps the callback page's kept answer for a flow of this client. */
function onStorage(popups: Popups, e: StorageEvent): void {
  if (e.newValue && e.key?.startsWith(KEPT_PREFIX)) onKept(popups, e.key.slice(KEPT_PREFIX.length));
}

/**
 * The answer the callback page kept for flow `nonce`, if there is one: it settles the current flow
 * when it is that flow's (its popup may be in view still: the browser cut it off from the app
 * without closing it), or is a remembered flow's late answer. Only the app's own popup keeps an
 * answer (its copy of this tab's sessionStorage proves it), so a kept answer needs no window.
 */
function onKept(popups: Popups, nonce: string): void {
  const search = readKept(nonce);
  if (search === undefined) return;
  const again = () => onKept(popups, nonce);
  const flow = popups._current;
  if (flow?._expected.nonce !== nonce) {
    const remembered = waitingFlows(popups).find((f) => f.nonce === nonce);
    if (remembered) reportLate(popups, take(popups, remembered, search, again));
    return;
  }
  const response = matchResponse(search, flow._expected, false);
  if (response && claim(popups, nonce, search, again)) end(popups, flow, response);
}

/**
 * Every {@link POLL_MS}, while the page is here: reads the popup's address bar once it is back on
 * this origin (Connect's answer there ends the flow, whether or not the callback page has a
 * script), notes when it is on a foreign origin, and once the popup is gone takes the answer held
 * from the channel, or decides whether it was closed or severed.
 */
function watch(popups: Popups, flow: PopupFlow): void {
  if (popups._away) return;
  const now = Date.now();
  const win = flow._win;
  if (!win.closed) {
    let href: string | undefined;
    try {
      href = win.location.href;
      flow._foreignSince = undefined;
    } catch {
      flow._foreignSince ??= now;
      flow._phase = 'open';
    }
    if (href && href !== 'about:blank') readAddressBar(popups, flow, new URL(href));
    return;
  }
  flow._unwatch();
  const held = flow._held;
  if (held !== undefined && claim(popups, flow._expected.nonce, held)) return end(popups, flow, matchResponse(held, flow._expected, false)!);
  if (flow._foreignSince !== undefined && now - flow._foreignSince < SEVER_MS) {
    // Gone moments after Connect's page appeared: cut off by COOP, not closed by a person.
    flow._phase = 'severed';
    flow._cleanup._after(LATE_MS, () => end(popups, flow, closedError(flow)));
  } else flow._cleanup._after(GRACE_MS, () => end(popups, flow, closedError(flow), true));
}

/**
 * The popup, readable again, is back on this origin: Connect's answer in its address bar is the
 * flow's, checked as a message from its own window is (a wrong state is a `StateMismatchError`).
 */
function readAddressBar(popups: Popups, flow: PopupFlow, url: URL): void {
  if (url.origin !== popups._answerOrigin) return;
  if (!ANSWER_PARAMS.some((name) => url.searchParams.has(name))) return warnNoAnswer(flow._win, url);
  if (claim(popups, flow._expected.nonce, url.search)) end(popups, flow, matchResponse(url.search, flow._expected, true)!);
}

const closedError = (flow: PopupFlow): ConnectResponse => ({ ok: false, error: new PopupClosedError(undefined, { state: flow._expected.appState }) });

/**
 * Ends a flow, once: removes what it set up, closes its popup (which tells a waiting callback page
 * that its answer was taken), and settles its promise with the outcome. `late`: the popup may
 * still be in front of the user, so the flow stays remembered for a while and its answer, if it
 * comes, reaches the events.
 */
function end(popups: Popups, flow: PopupFlow, outcome: Outcome, late?: boolean): void {
  if (flow._phase === 'settled') return;
  flow._phase = 'settled';
  if (popups._current === flow) popups._current = undefined;
  flow._cleanup._end();
  if (late) rememberFlow(pending(popups, flow._expected, LATE_MS));
  else forgetFlow(flow._expected.nonce);
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

/**
 * Whether this client takes `search`, the answer of flow `nonce`, now: only while the page is here
 * (not leaving, not hidden), only when the page holds the flow's lock (no other tab has the flow),
 * and only if no page took this answer before. When it takes it, a callback page waiting on the
 * channel hears so and closes. When the page is still asking for the lock, `again` runs once it
 * holds it.
 */
function claim(popups: Popups, nonce: string, search: string, again?: () => void): boolean {
  if (popups._away) return false;
  let now = true;
  let held = false;
  whenHeld(nonce, (ok) => (now ? (held = ok) : ok && again?.()));
  now = false;
  if (!held || !takeOnce(nonce)) return false;
  const state = new URLSearchParams(search).get('state');
  if (state !== null) popups._channel?.postMessage(ackMessage(state));
  return true;
}

/**
 * The client listens (window messages, storage events, the channel, the page's comings and goings)
 * while a flow is current or remembered, and holds the lock of each of those flows; when the
 * soonest remembered flow's time is up it looks again. `returning`: the page is back, and takes
 * what the callback page kept while it was away. A destroyed client stops; what it
 * remembered stays for the next client of this tab.
 */
function listen(popups: Popups, returning?: boolean): void {
  const waiting = popups._destroyed() ? [] : waitingFlows(popups);
  popups._expiry?.();
  popups._expiry = undefined;
  const flows = [...(popups._current ? [popups._current._expected.nonce] : []), ...waiting.map((f) => f.nonce)];
  for (const nonce of popups._locks) if (!flows.includes(nonce)) release(popups, nonce);
  if (!flows.length) {
    popups._listening?._end();
    popups._listening = popups._channel = popups._away = popups._comeBack = undefined;
    return;
  }
  if (!popups._listening) {
    const listening = (popups._listening = createCleanup());
    listening._on(window, 'message', (e: MessageEvent) => onMessage(popups, e));
    listening._on(window, 'storage', (e: StorageEvent) => onStorage(popups, e));
    listening._on(window, 'beforeunload', () => away(popups, 'leaving'));
    listening._on(window, 'pagehide', () => away(popups, 'hidden'));
    listening._on(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && back(popups));
    try {
      const channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (e) => onChannel(popups, e);
      listening._add(() => channel.close());
      popups._channel = channel;
    } catch {
      // no channels here (an opaque origin, an old browser): flows still run by message and address bar
    }
  }
  if (waiting.length) popups._expiry = popups._listening._after(Math.min(...waiting.map((f) => f.until)) - Date.now(), () => listen(popups));
  for (const nonce of popups._away ? [] : flows) {
    if (popups._locks.has(nonce)) continue;
    popups._locks.add(nonce);
    // Kept by another page: that page's tab has the flow, and this record is a copy (a duplicated
    // tab); it is forgotten. Held again by a page that is back: what was kept meanwhile is taken
    // (a client that starts leaves that to handleRedirect()).
    whenHeld(nonce, (held) => (!held ? lost(popups, nonce) : returning && onKept(popups, nonce)));
  }
}

/** Another page holds flow `nonce`: a remembered record of it here is a copy, forgotten; the current flow ends by its own watch. */
function lost(popups: Popups, nonce: string): void {
  popups._locks.delete(nonce);
  if (popups._current?._expected.nonce !== nonce && forgetFlow(nonce)) listen(popups);
}

/** This client no longer waits on flow `nonce`: the page lets go of its lock. */
function release(popups: Popups, nonce: string): void {
  popups._locks.delete(nonce);
  releaseOne(nonce);
}

/**
 * The page may be leaving (`beforeunload`) or is hidden (`pagehide`): it takes no answer, lets go
 * of its locks (so the tab's next page takes over, and the back/forward cache may keep this one),
 * and stops watching. A page that is still here {@link LEAVING_MS} after `beforeunload` comes back.
 */
function away(popups: Popups, why: 'leaving' | 'hidden'): void {
  popups._away = why;
  popups._comeBack?.();
  popups._comeBack = why === 'leaving' ? popups._listening!._after(LEAVING_MS, () => back(popups)) : undefined;
  popups._locks.clear();
  releaseAll();
}

/** The page is here again (still alive after `beforeunload`, or shown from the back/forward cache): it holds its flows and looks for their answers. */
function back(popups: Popups): void {
  popups._away = popups._comeBack = undefined;
  listen(popups, true);
}

/** The flows of this client the tab remembers, but the current one; none in a popup of the app's own origin. */
function waitingFlows(popups: Popups): PendingFlow[] {
  if (inOwnPopup()) return [];
  const current = popups._current?._expected.nonce;
  return pendingFlows(popups._app.clientId, popups._owner).filter((flow) => flow.nonce !== current);
}

/** `search` as the answer of the remembered `flow`, taken once (the flow is forgotten); nothing when it is not that flow's, or not this page's to take. */
function take(popups: Popups, flow: PendingFlow, search: string | undefined, again?: () => void): ConnectResponse | undefined {
  const answer = search === undefined ? undefined : matchResponse(search, flow, false);
  if (!answer || !claim(popups, flow.nonce, search!, again)) return undefined;
  forgetFlow(flow.nonce);
  return answer;
}

/** The answer of whichever remembered flow (but the current one) `search` is for, taken once and reported late. */
function takeLate(popups: Popups, search: string, again: () => void, acknowledged?: () => void): void {
  for (const flow of waitingFlows(popups)) {
    const answer = take(popups, flow, search, again);
    if (answer) return reportLate(popups, answer, acknowledged);
  }
}

/**
 * A late answer, if there is one: acknowledged to the page that sent it, then reported through
 * the events only, marked `late`.
 */
function reportLate(popups: Popups, answer: ConnectResponse | undefined, acknowledged?: () => void): void {
  if (!answer) return;
  acknowledged?.();
  listen(popups);
  try {
    popups._report(answer, true);
  } catch {
    // a late error is emitted, not thrown: no promise waits for it
  }
}

/** This client's record of a flow, remembered for `ms` from now. */
const pending = (popups: Popups, expected: Expected, ms: number): PendingFlow => ({
  ...expected,
  clientId: popups._app.clientId,
  owner: popups._owner,
  until: Date.now() + ms,
});

/** The query a message carries, or nothing; never throws, whatever the message holds. */
function readSearch(data: unknown): string | undefined {
  try {
    return readMessage(data);
  } catch {
    return undefined;
  }
}

/** Whether a message came from a window this one opened. */
function openedHere(source: Window | null): boolean {
  try {
    return !!source && source.opener === window;
  } catch {
    return false;
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
