/// <reference types="node" />
// A local stand-in for Smartcar Connect: answers /oauth/authorize, /oauth/reauthenticate and
// /battery-capacity like Connect, on loopback only.
//
// A person picks the outcome on its consent page (Allow, Deny, other errors) or meets its Error
// page (a test-mode VIN in live mode) and chooses Exit. Tests queue outcomes with POST /__control
// instead, and read what Connect was asked with GET /__requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerFor,
  AUTH_FIELDS,
  authMessage,
  CONFIGURATION_DESCRIPTION,
  DOCS_CAPACITY,
  isTestModeVin,
  OUTCOMES,
  pageAt,
  redirectTarget,
  TEST_VIN_MESSAGE,
  uuid,
  type ConnectPage,
  type Params,
} from './outcomes';
import { escapeHtml, page, readBody } from './pages';

/** What the stand-in does with the next authorize or re-authenticate request. */
export interface Control {
  /** An outcome's name (see the stand-in's consent page), or the raw redirect parameters. */
  outcome: string | Record<string, string>;
  /** Serve Connect's page with Cross-Origin-Opener-Policy: same-origin. */
  coop?: boolean;
  /** Show Connect's first page this long without COOP, then a carmaker login page with it. */
  coopAt?: number;
  /** Keep the user on the last page this long before the redirect. */
  delayMs?: number;
  /** Answer the request only after this long (the popup keeps loading). */
  holdMs?: number;
}

/** A running stand-in. */
export interface ConnectStandIn {
  /** Point `connectOrigin` at this. */
  origin: string;
  /** The query of every request for one of Connect's pages as it arrives, in order (with `path` for any but /oauth/authorize). */
  requests: Record<string, string>[];
  /** Queues the outcome of the next request. */
  next(control: Control): void;
  /** Stops listening. */
  close(): Promise<void>;
}


const MODES = ['live', 'test', 'simulated'];

/** Checks a query for one of Connect's pages as Connect would; returns what is wrong, or nothing. */
function invalid(q: URLSearchParams, page: ConnectPage): string | undefined {
  // Connect still takes application_id, the older name the official SDK sends.
  if (!q.get('client_id') && !q.get('application_id')) return 'client_id is missing';
  const type = q.get('response_type');
  if (page === 'battery-capacity') {
    if (type !== 'vehicle_id') return 'response_type must be vehicle_id';
    if (!q.get('vehicle_id')) return 'vehicle_id is missing';
  } else if (page === 'reauthenticate') {
    if (type !== 'vehicle_id' && type !== 'none') return 'response_type must be vehicle_id or none';
    if (!q.get('vehicle_id')) return 'vehicle_id is missing';
  } else if (type !== 'code' && type !== 'none') return 'response_type must be code or none';
  if (type !== 'none' || page !== 'authorize' || q.get('redirect_uri')) {
    try {
      const uri = new URL(q.get('redirect_uri') ?? '');
      if (!/^https?:$/.test(uri.protocol)) return 'redirect_uri must be http(s)';
    } catch {
      return 'redirect_uri is not a URL';
    }
  } else if (!q.get('redirect_uri') && !q.get('app_origin')) return 'app_origin is missing';
  if (q.has('mode') && !MODES.includes(q.get('mode')!)) return 'mode is not live, test or simulated';
  if (q.has('scope') && !q.get('scope')!.split(' ').every((s) => /^(required:)?[a-z_]+$/.test(s))) return 'scope is malformed';
  if (q.has('single_select_vin') && !/^[A-Z\d]{17}$/i.test(q.get('single_select_vin')!)) return 'single_select_vin is malformed';
  return undefined;
}

/** Connect's own page posts the answer when there is no redirect URI (response_type=none). */
const postsItself = (q: URLSearchParams): boolean => q.get('response_type') === 'none' && !q.get('redirect_uri');

/**
 * Starts the stand-in. `control.outcome` is an outcome name or raw parameters;
 * `coop` serves Connect's last page with Cross-Origin-Opener-Policy: same-origin;
 * `coopAt` instead shows Connect's first page without it for that many milliseconds, then moves
 * on to a carmaker's login page served with it (COOP on a later page);
 * `delayMs` keeps the user on the last page for a while before the redirect; `holdMs` delays
 * Connect's first answer (the popup keeps loading).
 */
async function startConnect({ host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}): Promise<ConnectStandIn> {
  const queue: Control[] = [];
  const sessions = new Map<string, { page: ConnectPage; q: URLSearchParams; coop: boolean }>();
  /** Pages a session shows after Connect's first one (coopAt). */
  const later = new Map<string, string>();
  const requests: Params[] = [];

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Access-Control-Allow-Origin', '*');
    try {
      if (url.pathname === '/__control' && req.method === 'POST') {
        queue.push(JSON.parse(await readBody(req)) as Control);
        return res.end('queued');
      }
      if (url.pathname === '/__control' && req.method === 'DELETE') {
        queue.length = 0;
        requests.length = 0;
        return res.end('cleared');
      }
      if (url.pathname === '/__requests') {
        res.setHeader('Content-Type', 'application/json');
        return res.end(JSON.stringify(requests));
      }
      if (['/oauth/authorize', '/oauth/reauthenticate', '/battery-capacity'].includes(url.pathname)) {
        // The next outcome is this request's as it arrives; holdMs makes Connect that slow to answer.
        const control = queue.shift();
        const page = pageAt(url.pathname);
        requests.push({ ...Object.fromEntries(url.searchParams), ...(page !== 'authorize' && { path: url.pathname }) });
        if (!control?.holdMs) return authorize(page, url.searchParams, res, control);
        return setTimeout(() => !res.destroyed && authorize(page, url.searchParams, res, control), control.holdMs);
      }
      if (url.pathname === '/v2/redirect') return send(res, 200, hostedRedirectPage());
      if (url.pathname === '/oauth/finish') return finish(url.searchParams, res);
      // A carmaker's login page inside Connect, served with COOP: the opener loses the popup here.
      const leaving = later.get(url.searchParams.get('session') ?? '');
      if (url.pathname === '/oauth/oem-login' && leaving) return send(res, 200, leaving, true);
      res.statusCode = 404;
      res.end('not found');
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  }

  function authorize(page: ConnectPage, q: URLSearchParams, res: ServerResponse, control: Control | undefined) {
    const problem = invalid(q, page);
    // Connect has not validated the redirect URI: its Error page has no Exit, nothing comes back.
    if (problem) return send(res, 400, errorPage(problem, undefined));

    const id = uuid();
    sessions.set(id, { page, q, coop: control?.coop === true || wantsCoop(q) });
    if (control) {
      const params = typeof control.outcome === 'string' ? OUTCOMES[control.outcome]!.params() : control.outcome;
      if (postsItself(q)) return send(res, 200, completionPage(page, q, params));
      const target = redirectTarget(page, q, params);
      if (control.coopAt !== undefined) {
        later.set(id, leavingPage(target, control.delayMs ?? 0));
        return send(res, 200, leavingPage(`/oauth/oem-login?session=${id}`, control.coopAt));
      }
      if (control.coop || control.delayMs) return send(res, 200, leavingPage(target, control.delayMs ?? 0), control.coop);
      res.writeHead(302, { Location: target });
      return res.end();
    }
    const vin = q.get('single_select_vin');
    if (vin && (q.get('mode') ?? 'live') === 'live' && isTestModeVin(vin)) {
      return send(res, 200, errorPage(TEST_VIN_MESSAGE, id, 400));
    }
    const pages = { authorize: consentPage, reauthenticate: reauthPage, 'battery-capacity': batteryPage };
    return send(res, 200, pages[page](q, id), wantsCoop(q));
  }

  function finish(q: URLSearchParams, res: ServerResponse) {
    const id = q.get('session') ?? '';
    const session = sessions.get(id);
    const outcome = OUTCOMES[q.get('outcome') ?? ''];
    if (!session || !outcome) return send(res, 400, errorPage('This Connect session has expired.', undefined));
    // configuration_error is what Connect sends when the user leaves its Error page by Exit.
    if (q.get('outcome') === 'configuration_error' && !q.has('exit')) {
      return send(res, 200, errorPage(TEST_VIN_MESSAGE, id, 400), session.coop);
    }
    sessions.delete(id);
    const params = outcome.params();
    // The battery-capacity page's Allow is the capacity the owner picked.
    if (q.has('capacity')) params.selected_capacity = q.get('capacity')!;
    if (postsItself(session.q)) return send(res, 200, completionPage(session.page, session.q, params));
    res.writeHead(302, { Location: redirectTarget(session.page, session.q, params) });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    /** Queues the outcome of the next authorize request. */
    next: (control) => void queue.push(control),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a request still held (holdMs) must not keep the stand-in open
      }),
  };
}

/** The demo asks for COOP on Connect's pages with the flag `standin_coop:true`. */
const wantsCoop = (q: URLSearchParams): boolean => (q.get('flags') ?? '').split(' ').includes('standin_coop:true');

function send(res: ServerResponse, status: number, html: string, coop = false): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
  if (coop) res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.end(html);
}

/** A link that finishes the session with an outcome (and, on the battery-capacity page, a capacity). */
const outcomeLink = (id: string, name: string, label = OUTCOMES[name]!.label, capacity?: string): string =>
  `<a class="button ${name === 'allow' ? 'primary' : ''}" href="/oauth/finish?session=${id}&amp;outcome=${name}${
    capacity ? `&amp;capacity=${encodeURIComponent(capacity)}` : ''
  }">${escapeHtml(label)}</a>`;

/** Every outcome but the first ones (and the battery-capacity page's own), folded away. */
const otherOutcomes = (id: string, shown: string[]): string =>
  `<details><summary>Other outcomes</summary><div class="actions">${Object.keys(OUTCOMES)
    .filter((n) => !shown.includes(n) && n !== 'battery_capacity_no_selection')
    .map((n) => outcomeLink(id, n))
    .join('')}</div></details>`;

/** Re-authentication: the owner logs in to the carmaker again for one vehicle. */
function reauthPage(q: URLSearchParams, id: string): string {
  return page(
    'Smartcar Connect (stand-in)',
    `<h1>Log in to your carmaker again</h1>
     <p><b>${escapeHtml(q.get('client_id') ?? q.get('application_id'))}</b> lost access to vehicle <code>${escapeHtml(q.get('vehicle_id'))}</code>.</p>
     <div class="actions">${outcomeLink(id, 'allow', 'Log in again')}${outcomeLink(id, 'user_cancelled', 'Cancel')}</div>
     ${otherOutcomes(id, ['allow', 'user_cancelled'])}`,
  );
}

/** The battery-capacity page: the owner picks their battery's capacity, or says they do not know it. */
function batteryPage(q: URLSearchParams, id: string): string {
  const choices = ['75', DOCS_CAPACITY, '100'].map((kwh) => outcomeLink(id, 'allow', `${kwh} kWh`, kwh)).join('');
  return page(
    'Smartcar Connect (stand-in)',
    `<h1>Which battery does your car have?</h1>
     <p><b>${escapeHtml(q.get('client_id') ?? q.get('application_id'))}</b> asks for the capacity of vehicle <code>${escapeHtml(q.get('vehicle_id'))}</code>.</p>
     <div class="actions">${choices}${outcomeLink(id, 'battery_capacity_no_selection')}</div>`,
  );
}

function consentPage(q: URLSearchParams, id: string): string {
  const link = (name: string) => outcomeLink(id, name);
  const scope = (q.get('scope') ?? 'the default permissions').split(' ').join(', ');
  return page(
    'Smartcar Connect (stand-in)',
    `<h1>Connect your car</h1>
     <p><b>${escapeHtml(q.get('client_id') ?? q.get('application_id'))}</b> would like access to: ${escapeHtml(scope)}.</p>
     <p class="note">Mode: ${escapeHtml(q.get('mode') ?? 'live')}${q.get('make') ? `, make ${escapeHtml(q.get('make'))}` : ''}${
       q.get('single_select_vin') ? `, VIN ${escapeHtml(q.get('single_select_vin'))}` : ''
     }</p>
     <div class="actions">${link('allow')}${link('access_denied')}</div>
     ${otherOutcomes(id, ['allow', 'access_denied'])}`,
  );
}

/** Connect's Error page: with Exit (configuration_error) once the redirect URI is known, without before. */
function errorPage(message: string, id: string | undefined, status?: number): string {
  const exit = id
    ? `<a class="button primary" id="exit" href="/oauth/finish?session=${id}&amp;outcome=configuration_error&amp;exit=1">Exit</a>`
    : '<p class="note">You can close this window.</p>';
  return page(
    'Error — Smartcar Connect (stand-in)',
    `<h1>Something went wrong</h1><p id="message">${escapeHtml(message)}</p>${
      status ? `<p class="note">${escapeHtml(CONFIGURATION_DESCRIPTION)} (${status})</p>` : ''
    }${exit}`,
  );
}

/** A script-safe JSON literal, for values written into a page's inline script. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** Connect's own completion page (no redirect URI): it posts the answer to the app and closes the window in the same moment. */
function completionPage(from: ConnectPage, q: URLSearchParams, params: Params): string {
  const message = authMessage(answerFor(from, q, params), q);
  return page(
    'Smartcar Connect (stand-in)',
    `<p>Done. Returning to the application…</p><script>opener && opener.postMessage(${scriptJson(message)}, ${scriptJson(q.get('app_origin'))}); close();</script>`,
  );
}

/** The official SDK's hosted redirect page: posts the redirect's parameters to app_origin as a SmartcarAuthMessage. */
function hostedRedirectPage(): string {
  return page(
    'Redirect (stand-in for the hosted page)',
    `<script>(function () {
      var p = new URLSearchParams(location.search), m = { name: 'SmartcarAuthMessage', isSmartcarHosted: true };
      var names = ${scriptJson(AUTH_FIELDS)};
      for (var k in names) m[names[k]] = p.get(k);
      opener.postMessage(m, p.get('app_origin'));
      close();
    })();</script>`,
  );
}

/** Keeps the user on a Connect page for a while (where COOP severs the opener), then redirects. */
function leavingPage(target: string, delayMs: number): string {
  return page(
    'Smartcar Connect (stand-in)',
    `<p>Returning to the application…</p><script>setTimeout(function () { location.replace(${scriptJson(target)}); }, ${Number(delayMs)});</script>`,
  );
}

/**
 * Starts a local stand-in for Smartcar Connect, for an app's end-to-end tests (Playwright,
 * Cypress, WebdriverIO) and for trying flows by hand: the consent page, Connect's Error page with
 * Exit, every outcome, re-authentication, the battery-capacity page, and COOP on request. It listens on loopback by
 * default;
 * point the client's `connectOrigin` at its `origin`. A port already in use is a one-line error.
 *
 * @example
 * const standIn = await startConnectStandIn({ port: 0 });
 * standIn.next({ outcome: 'configuration_error' }); // or let a person choose on its consent page
 * // ... createConnect({ clientId, redirectUri, connectOrigin: standIn.origin }) in the app under test
 * await standIn.close();
 */
export async function startConnectStandIn(options: { port?: number; host?: string } = {}): Promise<ConnectStandIn> {
  try {
    return await startConnect(options);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
    throw new Error(`smartcar-connect: port ${options.port} is already in use; choose another (--port N, or port: 0 for any free port)`, { cause: e });
  }
}
