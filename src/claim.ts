// Which page may take a popup flow's answer: the one that holds the flow's Web Lock, which is
// exclusive across the tabs of this origin. A duplicated tab (or a window a third-party iframe
// opens on the app) starts with a copy of the tab's remembered flows; while the tab that started a
// flow holds its lock, such a copy never gets it and forgets the flow. A page lets go of every lock
// when it may be leaving (so its tab's next page, or the same page back from the cache, takes
// over), and holds on to the lock of a flow whose answer it took, so no copy gets it later.
// Where there are no Web Locks (an insecure context, an older browser, jsdom), every page may
// take; the taken mark in localStorage still stops a second take after the first.

const PREFIX = 'smartcar-connect:flow:';

/** How long a page waits for the lock of a flow another page holds: the page it reloaded from lets go as it leaves. */
export const HOLD_WAIT_MS = 1000;

/** A lock this page holds, or has asked for; and who waits for it. */
interface Hold {
  _release?: () => void;
  _abort: AbortController;
  _waiting: ((held: boolean) => void)[];
}

const holds = new Map<string, Hold>();

const lockManager = (): LockManager | undefined => (globalThis as { navigator?: Navigator }).navigator?.locks;

/**
 * Calls `then(true)` once this page holds the lock of flow `nonce`: at once when it does already,
 * or where there are no Web Locks; after a wait of at most {@link HOLD_WAIT_MS} otherwise.
 * `then(false)` when another page keeps the lock: that page's tab has the flow, this page's record
 * of it is a copy.
 */
export function whenHeld(nonce: string, then: (held: boolean) => void): void {
  const locks = lockManager();
  if (!locks) return then(true);
  const hold = holds.get(nonce);
  if (hold?._release) return then(true);
  if (hold) return void hold._waiting.push(then);
  const asked: Hold = { _abort: new AbortController(), _waiting: [then] };
  holds.set(nonce, asked);
  const timer = setTimeout(() => asked._abort.abort(), HOLD_WAIT_MS);
  const settle = (held: boolean) => asked._waiting.splice(0).forEach((waiting) => waiting(held));
  locks
    .request(PREFIX + nonce, { signal: asked._abort.signal }, () => {
      clearTimeout(timer);
      return new Promise<void>((release) => {
        asked._release = release;
        settle(true);
      });
    })
    .catch(() => {
      clearTimeout(timer);
      // Let go of on purpose (the page may be leaving): nobody is told. Timed out: another page has it.
      if (holds.get(nonce) !== asked) return;
      holds.delete(nonce);
      settle(false);
    });
}

/** Lets go of the lock of flow `nonce`, held or asked for. */
export function release(nonce: string): void {
  const hold = holds.get(nonce);
  holds.delete(nonce);
  hold?._release?.();
  hold?._abort.abort();
}

/** Lets go of every lock this page holds or asked for: the page may be leaving. */
export const releaseAll = (): void => [...holds.keys()].forEach(release);
