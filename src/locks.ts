// Which page may take a flow's answer: the one that holds the flow's Web Lock, exclusive across the
// tabs of this origin. Every lock this page holds or asks for lives here and nowhere else. Where there
// are no Web Locks (an insecure context, an older browser, jsdom), every page holds every flow, and the
// taken mark (records.ts) still stops a second take. docs/delivery.md says when a page asks and lets go.

const PREFIX = 'smartcar-connect:flow:';

/** How long a page waits for a lock another page holds: the page it reloaded from lets go as it leaves. */
export const HOLD_WAIT_MS = 1000;

/** How asking for a lock ended: this page holds it, another page kept it, or this page let go first. */
export type LockAnswer = 'held' | 'elsewhere' | 'let-go';

interface Lock {
  _held?: boolean;
  _answer: Promise<LockAnswer>;
  _letGo: () => void;
}

const locks = new Map<string, Lock>();

const lockManager = (): LockManager | undefined => (globalThis as { navigator?: Navigator }).navigator?.locks;

/** Whether this page holds the lock of flow `nonce` now. */
export const isHeld = (nonce: string): boolean => !lockManager() || !!locks.get(nonce)?._held;

/** Whether this page holds the lock of flow `nonce` or is asking for it. */
export const isWanted = (nonce: string): boolean => locks.has(nonce);

/**
 * Asks for the lock of flow `nonce`, unless this page holds it or asks already; everyone who asks shares the answer.
 */
export function hold(nonce: string): Promise<LockAnswer> {
  const manager = lockManager();
  if (!manager) return Promise.resolve('held');
  const known = locks.get(nonce);
  if (known) return known._answer;
  const abort = new AbortController();
  let release: (() => void) | undefined;
  const asked = { _letGo: () => (release?.(), abort.abort()) } as Lock;
  locks.set(nonce, asked);
  return (asked._answer = new Promise((answer) => {
    const timer = setTimeout(() => abort.abort(), HOLD_WAIT_MS);
    const granted = () => {
      clearTimeout(timer);
      // Let go of between the grant and this call: the lock goes at once.
      if (locks.get(nonce) !== asked) return;
      asked._held = true;
      answer('held');
      return new Promise<void>((letGo) => (release = letGo));
    };
    manager.request(PREFIX + nonce, { signal: abort.signal }, granted).catch(() => {
      clearTimeout(timer);
      const mine = locks.get(nonce) === asked;
      // Refused, not aborted (a cross-site frame denied storage): as where there are no Web Locks.
      if (mine && !abort.signal.aborted) {
        asked._held = true;
        return answer('held');
      }
      // Aborted: by the timer (another page keeps it) or by letGo.
      if (mine) locks.delete(nonce);
      answer(mine ? 'elsewhere' : 'let-go');
    });
  }));
}

/** Lets go of the lock of flow `nonce`, held or asked for: no flow of this page waits on it any more. */
export function letGo(nonce: string): void {
  locks.get(nonce)?._letGo();
  locks.delete(nonce);
}

/** The page may be leaving: it lets go of every lock, so its tab's next page can take over. */
export const letGoAll = (): void => [...locks.keys()].forEach(letGo);
