// smartcar-connect-browser/testing: every Connect outcome in an app's own tests, through the SDK's
// real path. No Node imports: it runs in jsdom, happy-dom and real browser pages.
import type { IncompatibleVehicle } from '../errors';
import { remember, type FlowRecord } from '../records';
import { CHANNEL, KEPT_PREFIX, NAVIGATE, responseMessage } from '../protocol';
import { answerFor, authMessage, OUTCOMES, pageAt, redirectTarget, uuid, type Params } from './outcomes';

/** Connect's own error codes, each an outcome `simulateConnect` and `connectAnswer` can produce. */
export type SimulatedConnectError =
  | 'configuration_error'
  | 'access_denied'
  | 'invalid_subscription'
  | 'no_vehicles'
  | 'vehicle_incompatible'
  | 'server_error'
  | 'user_manually_returned_to_application'
  | 'user_cancelled'
  | 'oem_cancelled_login'
  | 'battery_capacity_no_selection';

/** What Connect (or the browser, or the user) does with the next flow. */
export type SimulatedOutcome = 'success' | SimulatedConnectError | 'popup_blocked' | 'popup_closed' | 'severed' | 'no_answer';

/** An outcome's fields; each outcome takes only its own (a `TypeError` names any other). */
export interface SimulatedFields {
  /** success, severed: the authorization code (default: a new UUID). */
  code?: string;
  /** success, severed: the owner's id (default: a new UUID). */
  userId?: string;
  /** success, severed: the vehicle (a re-authentication answers with the vehicle it was given). */
  vehicleId?: string;
  /** success, severed: the external id (default: the one the flow sent). */
  externalId?: string;
  /** success on the battery-capacity page: the capacity the owner chose, in kWh (default: the docs' 80.9). */
  selectedCapacity?: number;
  /** errors: `error_description` (default: Connect's words for that error). */
  description?: string;
  /** configuration_error, server_error: `status_code`. */
  statusCode?: number;
  /** configuration_error, server_error: `error_message`, the text the user saw. */
  errorMessage?: string;
  /** vehicle_incompatible: what the user shared of the vehicle. */
  vehicle?: IncompatibleVehicle;
}

const SUCCESS_FIELDS = ['code', 'userId', 'vehicleId', 'externalId', 'selectedCapacity'];
/** The fields each outcome takes. */
const FIELDS: Record<SimulatedOutcome, string[]> = {
  success: SUCCESS_FIELDS,
  severed: SUCCESS_FIELDS,
  configuration_error: ['description', 'statusCode', 'errorMessage'],
  server_error: ['description', 'statusCode', 'errorMessage'],
  vehicle_incompatible: ['description', 'vehicle'],
  access_denied: ['description'],
  invalid_subscription: ['description'],
  no_vehicles: ['description'],
  user_manually_returned_to_application: ['description'],
  user_cancelled: ['description'],
  oem_cancelled_login: ['description'],
  battery_capacity_no_selection: ['description'],
  popup_blocked: [],
  popup_closed: [],
  no_answer: [],
};

/** Checks an outcome and its fields; throws a `TypeError` naming what is wrong. */
function check(outcome: unknown, fields: unknown): asserts outcome is SimulatedOutcome {
  const allowed = typeof outcome === 'string' && Object.prototype.hasOwnProperty.call(FIELDS, outcome) ? FIELDS[outcome as SimulatedOutcome] : undefined;
  if (!allowed) throw new TypeError(`smartcar-connect/testing: unknown outcome ${String(outcome)}; use one of ${Object.keys(FIELDS).join(', ')}`);
  if (typeof fields !== 'object' || !fields) throw new TypeError('smartcar-connect/testing: fields must be an object');
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) throw new TypeError(`smartcar-connect/testing: ${outcome as string} has no field ${name}${allowed.length ? ` (it takes ${allowed.join(', ')})` : ''}`);
  }
}

/** The redirect parameters Connect sends for an outcome (before the state and the external id). */
function paramsFor(outcome: SimulatedOutcome, f: SimulatedFields): Params {
  if (outcome === 'success' || outcome === 'severed') {
    const p: Params = { code: f.code ?? uuid(), user_id: f.userId ?? uuid() };
    if (f.vehicleId !== undefined) p.vehicle_id = f.vehicleId;
    if (f.externalId !== undefined) p.external_id = f.externalId;
    if (f.selectedCapacity !== undefined) p.selected_capacity = String(f.selectedCapacity);
    return p;
  }
  const p = OUTCOMES[outcome]!.params();
  if (f.description !== undefined) p.error_description = f.description;
  if (f.statusCode !== undefined) p.status_code = String(f.statusCode);
  if (f.errorMessage !== undefined) p.error_message = f.errorMessage;
  if (f.vehicle) {
    for (const k of ['vin', 'make', 'model', 'year']) delete p[k];
    for (const [k, v] of Object.entries(f.vehicle)) if (v !== undefined) p[k] = String(v);
  }
  return p;
}

/** The answer Connect gives a flow on the page `to` opened: explicit fields win over what that URL carried. */
function answer(to: URL, outcome: SimulatedOutcome, f: SimulatedFields): Params {
  const params = answerFor(pageAt(to.pathname), to.searchParams, paramsFor(outcome, f));
  if (f.externalId !== undefined) params.external_id = f.externalId;
  return params;
}

/**
 * The redirect URL Connect would send for an authorize, re-authenticate or battery-capacity URL and
 * an outcome: the `redirect_uri` with its own query kept, the answer's parameters and the flow's
 * `state` (the battery-capacity page answers without state, as Connect's documentation shows). For test
 * runners that answer Connect's real origin themselves (Playwright's `page.route`, Cypress's
 * `cy.intercept`). Throws a `TypeError` for an outcome without a redirect (`popup_blocked`,
 * `popup_closed`, `no_answer`) or a URL without `redirect_uri`.
 *
 * @example
 * await page.route('https://connect.smartcar.com/**', (route) =>
 *   route.fulfill({ status: 302, headers: { location: connectAnswer(route.request().url(), 'configuration_error') }
 * }));
 */
export function connectAnswer(authorizeUrl: string | URL, outcome: SimulatedOutcome, fields: SimulatedFields = {}): string {
  check(outcome, fields);
  if (!FIELDS[outcome].length) throw new TypeError(`smartcar-connect/testing: ${outcome} sends nothing back, so it has no redirect URL`);
  let to: URL;
  try {
    to = new URL(authorizeUrl);
    new URL(to.searchParams.get('redirect_uri')!);
  } catch (cause) {
    throw new TypeError('smartcar-connect/testing: authorizeUrl must be a Connect URL with a redirect_uri', { cause });
  }
  return redirectTarget(pageAt(to.pathname), to.searchParams, answer(to, outcome, fields));
}

/**
 * How Connect's answer reaches the app in a popup flow (a same-window flow always comes back to
 * the app's return route).
 * - `'relay'` (default): the callback page's script posts it to the app.
 * - `'address_bar'`: the callback page has no script (or its script is blocked); the SDK reads the
 *   answer from the popup's own address bar at its next look (every 100 ms: advance fake timers).
 * - `'after_reload'`: the app reloaded while the user was in Connect, so the callback page kept the
 *   answer for the tab. The flow that was running gets nothing (that page is gone); make the app
 *   anew, as its next load would, and its `handleRedirect()` returns the answer once, with
 *   `late: true`.
 */
export type SimulatedDelivery = 'relay' | 'address_bar' | 'after_reload';

/** How `simulateConnect` delivers its outcome. */
export interface SimulateOptions {
  delivery?: SimulatedDelivery;
}

const DELIVERIES: SimulatedDelivery[] = ['relay', 'address_bar', 'after_reload'];

/**
 * What the tab holds after the app reloaded during a popup flow whose callback page then kept the
 * answer: the flow remembered in sessionStorage (by a page that is gone) and the kept answer in
 * localStorage, under a nonce of its own, with the flow's own state for the app.
 */
function keptAfterReload(to: URL, outcome: SimulatedOutcome, fields: SimulatedFields): void {
  const q = to.searchParams;
  const wire = q.get('state') ?? '';
  const appState = wire.includes('.') ? wire.slice(wire.indexOf('.') + 1) : undefined;
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
  const flow: FlowRecord = {
    nonce,
    appState,
    kind: pageAt(to.pathname),
    vehicleId: pageAt(to.pathname) === 'battery-capacity' ? (q.get('vehicle_id') ?? undefined) : undefined,
    clientId: q.get('client_id') ?? q.get('application_id') ?? '',
    owner: 'smartcar-connect/testing: the page before the reload',
    until: Date.now() + 3_600_000,
  };
  remember(flow);
  const copy = new URL(to);
  copy.searchParams.set('state', appState === undefined ? nonce : `${nonce}.${appState}`);
  localStorage.setItem(KEPT_PREFIX + nonce, JSON.stringify({ search: new URL(connectAnswer(copy, outcome, fields)).search, at: Date.now() }));
}

/** A running simulation: what the app sent to Connect, and how to put everything back. */
export interface SimulatedConnect {
  /** Every authorize or re-authenticate URL the app opened or navigated to, in order. */
  readonly authorizeUrls: URL[];
  /** Puts `window.open` and navigation back, and stops what is still scheduled. */
  restore(): void;
}

let active = false;

/**
 * Makes the next flows in this window meet `outcome` through the SDK's real path. A popup flow gets
 * a stand-in window whose answer arrives as a `message` event from the redirect URI's origin,
 * with that window as `source` and the flow's own state, so the SDK's checks, parser, events and
 * `aria-busy` all run for real; `severed` cuts the window off as COOP would and answers by
 * BroadcastChannel. A same-window flow does not leave the page: the return URL for the outcome is
 * put in the address bar, so the app's own `handleRedirect()` finds it. `popup_closed` and
 * `severed` take the SDK's own timing (about 350 ms); with fake timers, advance them.
 * `options.delivery` makes a popup flow's answer come without the callback page's script
 * (`'address_bar'`) or after the app reloaded (`'after_reload'`): see {@link SimulatedDelivery}.
 *
 * @example
 * const sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode
 * VIN.' });
 * button.click();               // the app's code calls connect.popup()
 * await screen.findByText('You have entered a test mode VIN.');
 * sim.restore();
 */
export function simulateConnect(outcome: SimulatedOutcome, fields: SimulatedFields = {}, options: SimulateOptions = {}): SimulatedConnect {
  check(outcome, fields);
  const delivery = options?.delivery ?? 'relay';
  if (!DELIVERIES.includes(delivery)) throw new TypeError(`smartcar-connect/testing: delivery must be one of ${DELIVERIES.join(', ')}`);
  if (delivery !== 'relay' && (!FIELDS[outcome].length || outcome === 'severed')) {
    throw new TypeError(`smartcar-connect/testing: delivery ${delivery} is for success and Connect's errors, not ${outcome}`);
  }
  if (active) throw new TypeError('smartcar-connect/testing: simulateConnect is already active; call restore() first');
  active = true;
  const authorizeUrls: URL[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));
  const g = globalThis as Record<PropertyKey, unknown>;
  const targets = [...new Set([globalThis, typeof window === 'object' ? window : globalThis])] as Record<PropertyKey, unknown>[];
  const saved = targets.map((t) => Object.getOwnPropertyDescriptor(t, 'open'));

  const fakeOpen = (url?: string | URL): Window | null => {
    const to = new URL(String(url));
    authorizeUrls.push(to);
    if (outcome === 'popup_blocked') return null;
    let foreign = false;
    const win = {
      closed: false,
      focus() {},
      close() {
        win.closed = true;
      },
      get location() {
        if (foreign) throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
        return { href };
      },
    };
    let href = 'about:blank';
    const q = to.searchParams;
    if (outcome === 'popup_closed') {
      later(150, () => (win.closed = true)); // closed by the user while Connect was still loading
    } else if (outcome === 'severed') {
      foreign = true;
      later(150, () => (win.closed = true));
      later(300, () => {
        const channel = new BroadcastChannel(CHANNEL);
        channel.postMessage(responseMessage(new URL(connectAnswer(to, 'severed', fields)).search));
        channel.close();
      });
    } else if (outcome === 'no_answer') {
      foreign = true;
    } else if (delivery === 'after_reload') {
      foreign = true; // the page that opened it is gone: it never hears back
      keptAfterReload(to, outcome, fields);
    } else if (delivery === 'address_bar' && q.get('redirect_uri')) {
      foreign = true;
      // Back on the callback page, which has no script: only its address bar tells.
      queueMicrotask(() => {
        href = connectAnswer(to, outcome, fields);
        foreign = false;
      });
    } else {
      foreign = true;
      // After popup() has returned and listens, as Connect's redirect and the callback page would.
      queueMicrotask(() => {
        const redirectUri = q.get('redirect_uri');
        const event = redirectUri
          ? new MessageEvent('message', { data: responseMessage(new URL(connectAnswer(to, outcome, fields)).search), origin: new URL(redirectUri).origin })
          : new MessageEvent('message', { data: authMessage(answer(to, outcome, fields), q), origin: to.origin });
        Object.defineProperty(event, 'source', { value: win });
        if (!win.closed) dispatchEvent(event);
      });
    }
    return win as unknown as Window;
  };

  const navigate = (href: string) => {
    const to = new URL(href);
    authorizeUrls.push(to);
    if (!FIELDS[outcome].length) return; // the page left; nothing comes back
    const back = new URL(connectAnswer(to, outcome, fields));
    if (back.origin === location.origin) history.replaceState(history.state, '', back.href);
  };

  // Defined, not assigned: a setter in front of `open` (test environments have them) would keep the fake.
  for (const t of targets) Object.defineProperty(t, 'open', { value: fakeOpen, configurable: true, writable: true });
  g[NAVIGATE] = navigate;
  return {
    authorizeUrls,
    restore() {
      timers.forEach(clearTimeout);
      targets.forEach((t, i) => (saved[i] ? Object.defineProperty(t, 'open', saved[i]) : delete t.open));
      delete g[NAVIGATE];
      active = false;
    },
  };
}
