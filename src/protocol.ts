// What the callback page and the app say to each other: the answer, its acknowledgement, and the
// answer kept for this origin when no live flow acknowledged it. Shared by both sides.

/** The wire message the callback page sends the app: the redirect's raw query, parsed only by the app. */
export interface ResponseMessage {
  type: 'smartcar-connect:response';
  version: 1;
  search: string;
}

export const MESSAGE_TYPE = 'smartcar-connect:response';

/** The app's reply to the callback page: a live flow took the answer that carried this `state`. */
export interface AckMessage {
  type: 'smartcar-connect:ack';
  version: 1;
  state: string | null;
}

const ACK_TYPE = 'smartcar-connect:ack';

/**
 * Where smartcar-connect-browser/testing puts its navigation while it simulates Connect: jsdom
 * cannot leave the page, and no browser lets a script replace `location.assign`.
 */
export const NAVIGATE = Symbol.for('smartcar-connect-browser.navigate');

/** The BroadcastChannel that carries a response when the popup has lost its opener. */
export const CHANNEL = 'smartcar-connect';

/** How long the callback page waits for a live flow to acknowledge its answer before keeping it. */
export const ACK_MS = 2000;

/**
 * How long after keeping an answer the callback page waits for a page to take it before it tells the user to go back.
 */
export const DONE_MS = 500;

/** An authorization code's life: how long a kept answer (and a late one) still counts. */
export const LATE_MS = 600_000;

/**
 * The sessionStorage key of the popup flows the app is waiting on: a JSON list of records, each
 * with its `"nonce"`. The app writes a flow's record before the popup opens; the popup's copy of
 * the tab's sessionStorage then holds it too, which tells the callback page that the app itself
 * opened this window.
 */
export const PENDING_KEY = 'smartcar-connect:popups';

/**
 * The localStorage key of an answer the callback page kept because no live flow acknowledged it
 * (the app had reloaded or left), by the flow's nonce. Its value is a {@link KeptAnswer}.
 */
export const KEPT_PREFIX = 'smartcar-connect:kept:';

/**
 * The localStorage key that says a page took the answer of a flow (its value: when), so no copy of the tab takes it
 * again.
 */
export const TAKEN_PREFIX = 'smartcar-connect:taken:';

/** An answer kept for this origin: the redirect's raw query and when it was kept. */
export interface KeptAnswer {
  search: string;
  at: number;
}

export const responseMessage = (search: string): ResponseMessage => ({ type: MESSAGE_TYPE, version: 1, search });

export const ackMessage = (state: string | null): AckMessage => ({ type: ACK_TYPE, version: 1, state });

/** Whether `data` acknowledges the answer that carried `state`. */
export const isAck = (data: unknown, state: string | null): boolean =>
  (data as AckMessage | null)?.type === ACK_TYPE && (data as AckMessage).state === state;

/** The `state` sent to Connect: the nonce, then the app's state after a dot. */
export const wireState = (nonce: string, appState: string | undefined): string => (appState === undefined ? nonce : `${nonce}.${appState}`);

/** The nonce a wire `state` starts with (whatever comes before its first dot). */
export const nonceOf = (state: string | null): string | null => (state === null ? null : state.split('.')[0]!);
