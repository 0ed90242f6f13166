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
 * outside an event handler (after an await), Safari does.
 */
export function warnOutsideClick(): void {
  try {
    if (process.env.NODE_ENV !== 'production') {
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

let backSince: WeakMap<Window, number> | undefined;

/** The popup is back on this origin without Connect's answer in its address bar, and nothing relayed it for a second. */
export function warnNoAnswer(win: Window, url: URL): void {
  try {
    if (process.env.NODE_ENV !== 'production') {
      const since = (backSince ??= new WeakMap()).get(win) ?? Date.now();
      backSince.set(win, since);
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
