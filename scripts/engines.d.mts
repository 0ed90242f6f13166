/** One browser engine the e2e tests can run in. */
export interface Engine {
  name: 'chromium' | 'firefox' | 'webkit';
  binary: string;
  /** The command that installs it on Debian. */
  install: string;
  available: boolean;
}
/** A window of a session: what the tests do with a page, the same in every engine. */
export interface Tab {
  /** A navigation the browser starts (a typed URL), waited for until the new page has loaded. */
  goto(url: string): Promise<unknown>;
  /** The same navigation, not waited for; missing where the driver can only wait (WebKitWebDriver). */
  navigate?: (url: string) => void;
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitFor<A>(fn: (arg: A) => unknown, arg?: A, timeout?: number): Promise<void>;
  /** A user's click, which lets the page open a popup. */
  click(selector: string): Promise<unknown>;
  /** A user's key press on the element. */
  key(selector: string, key: 'Enter' | ' '): Promise<unknown>;
  /** Runs `action` and returns the popup window it opened. */
  popup(action: () => Promise<unknown>): Promise<Tab>;
  text(selector: string): Promise<string | null>;
  url(): Promise<string>;
  close(): Promise<unknown>;
  closed(): Promise<boolean> | boolean;
}
export const ENGINES: Engine[];
export function launch(engine: Engine): Promise<{
  session(): Promise<{
    open(url?: string): Promise<Tab>;
    close(): Promise<unknown>;
    /** What the driver was asked and how long each step took (WebKitWebDriver only), for a failed test's report. */
    steps?: () => string[];
  }>;
  close(): Promise<unknown>;
}>;
/** Polls `check` until it returns true, or fails after `timeout` ms (20 s by default) naming `what`. */
export function until(check: () => unknown, what?: string, timeout?: number): Promise<void>;
