// Development warnings: misuse a developer can fix, said once per page, with what to change.
//
// Each warning's whole body sits in `try { if (process.env.NODE_ENV !== 'production') ... } catch {}`.
// Bundlers replace process.env.NODE_ENV, so in a production bundle every body is empty and no
// message is left; where nothing replaced it (the ES module loaded as it is), reading `process`
// throws and the catch keeps the page running, silent. The script-tag builds set it themselves:
// dist/smartcar-connect.js warns, dist/smartcar-connect.min.js carries none of it.

// Only what this module reads of Node's process: the variable bundlers replace.
declare const process: { env: { NODE_ENV?: string } };

let said: Set<string> | undefined;

/** Writes `smartcar-connect: <message>` with console.warn, once per message. */
function warn(message: string): void {
  if ((said ??= new Set()).has(message)) return;
  said.add(message);
  console.warn(`smartcar-connect: ${message}`);
}

/**
 * popup() called outside the user's click: without an activation every browser blocks the popup;
 * outside an event handler (after an await), Safari does. `given`: the window opened in the click's task, if any.
 */
export function warnOutsideClick(given?: Window | null): void {
  try {
    if (process.env.NODE_ENV !== 'production' && given === undefined) {
      const activation = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation;
      if (activation && !activation.isActive) {
        warn("popup() was called without a user's activation (no click or key press just before it), so the browser blocks the popup. Call popup() straight from the click handler, before any await.");
      } else if (!(window as Window & { event?: Event }).event) {
        warn('popup() was called outside an event handler, as after an await: Safari blocks such popups. Call popup() straight from the click handler, before any await.');
      }
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

let backSince: WeakMap<object, number> | undefined;

/**
 * The popup is back on this origin without Connect's answer in its address bar, and nothing relayed it for a second.
 */
export function warnNoAnswer(flow: object, url: URL): void {
  try {
    if (process.env.NODE_ENV !== 'production') {
      const since = (backSince ??= new WeakMap()).get(flow) ?? Date.now();
      backSince.set(flow, since);
      if (Date.now() - since < 1000) return;
      warn(
        `the popup is back on ${url.origin + url.pathname} without Connect's answer, and nothing relayed it. ` +
          "Keep Connect's parameters in that page's address bar (a router that rewrites the URL removes them), " +
          'or load callback.min.js there (or call relayConnectResponse() before anything else runs).',
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/** Connect answered with an error code this version has no class for. */
export function warnUnknownCode(code: string): void {
  try {
    if (process.env.NODE_ENV !== 'production') {
      warn(
        `Connect answered error=${code}, which this version does not know: it arrives as a plain ConnectError with code '${code}' ` +
          "and only the 'error' event. Handle it by e.code and e.description, or update smartcar-connect-browser.",
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/** The redirect URI is on another origin than the page: its callback page cannot answer this page. */
export function warnOtherOrigin(redirectUri: string | undefined): void {
  try {
    if (process.env.NODE_ENV !== 'production' && redirectUri && typeof location === 'object') {
      const uri = new URL(redirectUri);
      if (uri.origin === location.origin || uri.searchParams.get('app_origin') === location.origin) return;
      warn(
        `redirectUri ${redirectUri} is on ${uri.origin}, but this page is on ${location.origin}. ` +
          'A callback page answers only a page of its own origin, and the same-window flow finds its state only there ' +
          '(localhost and 127.0.0.1 are different origins): serve both from one origin.',
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/**
 * An http redirect URI on 127.0.0.1 or [::1]: Smartcar registers http redirect URIs only on the host localhost, and
 * Connect stops at "400: Unauthorized redirect_uri", a page with no way back to the app.
 */
export function warnLoopbackAddress(redirectUri: string | undefined): void {
  try {
    const host = process.env.NODE_ENV !== 'production' && /^http:\/\/(127\.0\.0\.1|\[::1\])[:/]/.exec(redirectUri ?? '')?.[1];
    if (host) {
      warn(
        `redirectUri ${redirectUri} is on ${host}, but Smartcar registers http redirect URIs only on the host localhost: ` +
          'Connect would stop at "400: Unauthorized redirect_uri", with no way back. Use http://localhost:<port>/… (or https) here and in the Dashboard.',
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/** `make` of a brand whose login runs only in Smartcar's mobile SDKs: a browser flow for it cannot finish. */
export function warnMobileOnlyMake(make: string | undefined): void {
  try {
    if (process.env.NODE_ENV !== 'production' && make && /^(ford|lincoln)$/i.test(make)) {
      warn(
        `make ${make}: Smartcar connects ${/^ford$/i.test(make) ? 'Ford' : 'Lincoln'} vehicles only from its iOS and Android SDKs, ` +
          'whose login cannot run in a web browser: this flow cannot finish here. Connect those vehicles from your mobile app.',
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/**
 * The real option a mistyped name most likely meant: the same letters in any case or spelling, one letter off, or two.
 */
function nearest(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const target = plain(name);
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of known) {
    const a = plain(option);
    // Levenshtein distance, one row at a time.
    let row = Array.from({ length: a.length + 1 }, (_, i) => i);
    for (let j = 1; j <= target.length; j++) {
      const next = [j];
      for (let i = 1; i <= a.length; i++) next[i] = Math.min(row[i]! + 1, next[i - 1]! + 1, row[i - 1]! + (a[i - 1] === target[j - 1] ? 0 : 1));
      row = next;
    }
    const distance = row[a.length]!;
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}

/** What the official SDK's options are here. */
const OFFICIAL: Record<string, string> = {
  testMode: "mode: 'test'",
  onComplete: "the promise popup() returns, or on('success') and on('error')",
};

/** An option, unless `known` (every one this package has) holds it: it is ignored; the closest real one is named. */
export function warnUnknownOption(name: string, known: object): void {
  try {
    if (process.env.NODE_ENV !== 'production' && !(name in known)) {
      const meant = Object.prototype.hasOwnProperty.call(OFFICIAL, name) ? OFFICIAL[name] : nearest(name, Object.keys(known));
      warn(`${name} is not an option of smartcar-connect-browser, so it is ignored${meant ? `. Did you mean ${meant}?` : '.'}`);
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/** A client id of Smartcar's newer API credentials (client_…), which the browser Connect flow does not take. */
export function warnApiCredential(clientId: string): void {
  try {
    if (process.env.NODE_ENV !== 'production' && clientId.startsWith('client_')) {
      warn(
        `clientId ${clientId} looks like one of Smartcar's API credentials (client_…), which the browser Connect flow does not take. ` +
          "Use your application's id from the Smartcar Dashboard (a UUID) as clientId.",
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/**
 * A `Smartcar` (the compat entry) whose options this SDK's engine does not take: they go to Connect as `@smartcar/auth`
 * sends them.
 */
export function warnOfficialFlow(reason: unknown): void {
  try {
    if (process.env.NODE_ENV !== 'production') {
      warn(
        `these Smartcar options run as @smartcar/auth runs them, without this SDK's popup lifecycle (no popup_blocked or popup_closed, no answer kept while the app reloads), because ${String((reason as Error)?.message ?? reason)}`,
      );
    }
  } catch {
    // no bundler set process.env.NODE_ENV: no development warnings
  }
}

/** What to do instead, after a refusal's closing words (development only: a function, so production drops it). */
const fixes = (): [words: RegExp, fix: string][] => [
  [/ must never be in browser code$/, ': exchange the code for tokens on your server, which alone keeps the client secret; the browser needs only the application id'],
  [/ must be an absolute URL \(https:\/\/…\)$/, ': Connect redirects to the exact URL you registered, so give it whole, such as new URL("/connect/callback", location.origin).href'],
  [/, not a custom scheme$/, ': custom schemes (sc<clientId>://) are for Smartcar’s mobile SDKs; a browser app needs a page of its own origin'],
  [/ \(http only on localhost, 127\.0\.0\.1 or \[::1\]\)$/, ': Connect takes http only for local testing; serve the callback page over https'],
  [/ must be without a #fragment$/, ': Connect adds its answer to the query and the fragment would come back with it; register the URL without one'],
  [/ resolution with a url, not [^]*$/, '; follow that resolution yourself, outside Connect'],
  [/ no browser window here$/, ': Connect flows run in a browser window (a server or a worker has none), so start them from a page'],
  [/ needs the main entry$/, ": import { createConnect } from 'smartcar-connect-browser', not from its /popup entry"],
  [/ must be on this page's origin$/, ' (or name it in app_origin)'],
  [/^Popup blocked$/, ': call popup() straight from the click, before any await'],
];

/**
 * A refusal's message (or an error's short description) as this build says it: in development followed by
 * what to do instead, found by its closing words; in production the message alone. Messages carry no key of
 * their own, so a production bundle carries none of this (about 70 B gzip); terser inlines even the call.
 */
export function explain(message: string): string {
  try {
    if (process.env.NODE_ENV !== 'production') {
      return message + (fixes().find(([words]) => words.test(message))?.[1] ?? '');
    }
  } catch {
    // no bundler set process.env.NODE_ENV: the message alone
  }
  return message;
}

/** The development build's fix for a `reauthenticate` refusal whose words it shares with others; nothing in production. */
export function fixOf(topic: 'noUrl' | 'permissionUpdate'): string {
  try {
    if (process.env.NODE_ENV !== 'production') {
      return {
        noUrl: '; one without a url asks for a new connection: popup() with the scope needed',
        permissionUpdate: '; a permission update never returns: use popup({ make }) with the new scope',
      }[topic];
    }
  } catch {
    // no bundler set process.env.NODE_ENV: the rule alone
  }
  return '';
}
