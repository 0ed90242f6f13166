import type { Cleanup } from './cleanup';
import type { FlowHost } from './client';
import type { Pages } from './flow';
import type { PopupOptions } from './options';
import { inOwnPopup } from './popup-window';
import { popupFlows, type Expected, type FlowRecord } from './records';
import type { ConnectSuccess } from './response';

// What a client's popup side is made of: what the client gives it, the flow in progress and its
// phase, how the client waits, and the flows it remembers. popup.ts runs the flows, door.ts takes
// their answers, waiting.ts listens.

/** How an answer came: see door.ts's ROUTES. */
export type Route = 'message' | 'address' | 'opened' | 'channel' | 'kept';

/** An answer as it came: Connect's redirect query, its route, and for `opened` the window that posted it. */
export interface Arrival {
  route: Route;
  search: string;
  from?: Window | undefined;
}

/** What the client gives its popup flows (see FlowHost), and the entries' extras. */
export interface PopupHost extends FlowHost {
  /** The same-window flow, for `fallback: 'redirect'` (the main entry's). */
  _redirect?: (options: PopupOptions) => Promise<void>;
  /** Refuses options this entry does not carry (the popup entry's), before anything else. */
  _check?: ((options: PopupOptions | undefined) => void) | undefined;
  /** Why a popup cannot come back to the app here, as the PopupBlockedError's description (the main entry's). */
  _unavailable?: () => string | undefined;
  /** Connect's other pages and the VIN preflight (the main entry's). */
  _pages?: Pages | undefined;
}

/**
 * Where a popup flow is. `opening`: still on the app's blank page; `looked`, once the app has seen it
 * open. `back`: back on this origin. `away`: on another origin (Connect's, a carmaker's) `since` it was
 * first seen there. `closed`: gone (`looked`: after the app had seen it open); an answer in flight may
 * still come. `severed`: gone moments after Connect appeared, so COOP cut it off while it may still be
 * in front of the user. `settled`: ended.
 */
export type Phase =
  | { is: 'opening'; looked: boolean }
  | { is: 'back' }
  | { is: 'away'; since: number }
  | { is: 'closed'; looked: boolean }
  | { is: 'severed' }
  | { is: 'settled' };

/** One popup flow: what it expects back, its window, its promise, and everything it set up. */
export interface PopupFlow extends Expected {
  _win: Window;
  _promise: Promise<ConnectSuccess>;
  _resolve: (success: ConnectSuccess | Promise<ConnectSuccess>) => void;
  _reject: (reason: unknown) => void;
  _phase: Phase;
  /** A channel answer that came while the app still saw the popup: it counts once the popup is gone. */
  _held?: Arrival | undefined;
  _cleanup: Cleanup;
  /** Stops {@link watch} once the popup is gone; the rest stays until the flow ends. */
  _stopWatch: () => void;
  /** The same-window flow to go on with when the browser closes the popup at once (`fallback: 'redirect'`). */
  _fallback?: (() => Promise<void>) | undefined;
}

/** A client's popup side: its host, the flow in progress, and how it listens while it waits on flows. */
export interface Engine extends PopupHost {
  _redirectUri?: URL | undefined;
  /** Who may answer by message and address bar: the redirect URI's origin, or Connect's without one. */
  _answerOrigin: string;
  _current?: PopupFlow | undefined;
  /** A popup opened in the click's task while its options come (popup() given a promise), and its flow's promise. */
  _opening?: { _win: Window | null; _promise: Promise<ConnectSuccess> } | undefined;
  _presence: Presence;
  /** The client's listeners while it waits on a flow (waiting.ts), the channel among them. */
  _listening?: Cleanup | undefined;
  _channel?: BroadcastChannel | undefined;
  /** Cancels the timer that looks again when the soonest remembered flow's time is up. */
  _expiry?: (() => void) | undefined;
  /** Brings what the client listens to and the locks it wants in line with its flows (waiting.ts's refresh). */
  _refresh: (returning?: boolean) => void;
}

/** Whether the page takes answers: `here`, or away since `beforeunload` (for a while) or `pagehide`. */
export type Presence = { is: 'here' } | { is: 'leaving'; cancelReturn: () => void } | { is: 'hidden' };

/**
 * The remembered flows this client may take: none in a popup of the app's own origin, whose answers are its opener's.
 */
export const waitingFlows = (engine: Engine): FlowRecord[] =>
  inOwnPopup() ? [] : popupFlows(engine._app.clientId, engine._owner).filter((r) => r.nonce !== engine._current?.nonce);

/** This client's record of a flow, remembered for `ms` from now. */
export const recordOf = (engine: Engine, { nonce, appState, kind, vehicleId }: Expected, ms: number): FlowRecord => ({
  nonce,
  appState,
  kind,
  vehicleId,
  clientId: engine._app.clientId,
  owner: engine._owner,
  until: Date.now() + ms,
});
