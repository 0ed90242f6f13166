// Which page may take a flow's answer: the one that holds the flow's Web Lock, exclusive across the
// tabs of this origin. Every lock this page asks for lives here, with who wants it; nothing else keeps
// a copy. Where there are no Web Locks (an insecure context, an older browser, jsdom), every page holds
// every flow, and the taken mark (records.ts) still stops a second take. docs/delivery.md says why.

const PREFIX = 'smartcar-connect:flow:';

/** How long a page waits for a lock another page holds: the page it reloaded from lets go as it leaves. */
export const HOLD_WAIT_MS = 1000;

/** How asking for a lock ended: this page holds it, another page kept it, or this page let go first. */
export type LockAnswer = 'held' | 'elsewhere' | 'let-go';

interface Lock {
  /** Who wants the lock (clients, for their flows): it goes once nobody does. */
  _wanters: Set<object>;
  _held?: boolean;
  _answer: Promise<LockAnswer>;
  _letGo: () => void;
}

const locks = new Map<string, Lock>();

const lockManager = (): LockManager | undefined => (globalThis as { navigator?: Navigator }).navigator?.locks;

/** Whether this page holds the lock of flow `nonce` now. */
export const isHeld = (nonce: string): boolean => !lockManager() || !!locks.get(nonce)?._held;

/** Asks for the lock of flow `nonce` on behalf of `wanter`; everyone who asks shares the answer. */
export function hold(nonce: string, wanter: object): Promise<LockAnswer> {
  const manager = lockManager();
  if (!manager) return Promise.resolve('held');
  const lock = locks.get(nonce) ?? ask(manager, nonce);
  lock._wanters.add(wanter);
  return lock._answer;
}

function ask(manager: LockManager, nonce: string): Lock {
  const abort = new AbortController();
  let release: (() => void) | undefined;
  const lock = { _wanters: new Set(), _letGo: () => (release?.(), abort.abort()) } as Lock;
  locks.set(nonce, lock);
  lock._answer = new Promise((answer) => {
    const timer = setTimeout(() => abort.abort(), HOLD_WAIT_MS);
    const granted = () => {
      clearTimeout(timer);
      // Let go of between the grant and this call: the lock goes at once.
      if (locks.get(nonce) !== lock) return;
      lock._held = true;
      answer('held');
      return new Promise<void>((letGo) => (release = letGo));
    };
    manager.request(PREFIX + nonce, { signal: abort.signal }, granted).catch(() => {
      clearTimeout(timer);
      const timedOut = locks.get(nonce) === lock;
      if (timedOut) locks.delete(nonce);
      answer(timedOut ? 'elsewhere' : 'let-go');
    });
  });
  return lock;
}

/**
 * `wanter` waits on the flows `nonces` and no others: the locks it no longer wants go once nobody
 * wants them, and those it did not want yet are asked for; their answers are returned.
 */
export function want(wanter: object, nonces: readonly string[]): Map<string, Promise<LockAnswer>> {
  for (const [nonce, lock] of locks) if (!nonces.includes(nonce) && lock._wanters.delete(wanter) && !lock._wanters.size) letGo(nonce);
  const asked = new Map<string, Promise<LockAnswer>>();
  for (const nonce of nonces) if (!locks.get(nonce)?._wanters.has(wanter)) asked.set(nonce, hold(nonce, wanter));
  return asked;
}

function letGo(nonce: string): void {
  locks.get(nonce)?._letGo();
  locks.delete(nonce);
}

/** The page may be leaving: it lets go of every lock, whoever wanted it, so its tab's next page can take over. */
export const letGoAll = (): void => [...locks.keys()].forEach(letGo);
