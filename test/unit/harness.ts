import { afterEach, describe, it, vi } from 'vitest';
import { ERROR_CODES } from '../../src/errors';
import { createConnect, type Connect, type ConnectEventName, type ConnectOptions, type PopupClosedError } from '../../src/index';
import { GRACE_MS, POLL_MS, SEVER_MS } from '../../src/popup';

/** True where the suite runs against the popup entry (vitest's project "popup-entry"), which leaves out what only the main entry carries. */
export const POPUP_ENTRY = process.env.SMARTCAR_ENTRY === 'popup';
/**
 * A test of what only the main entry carries (the same-window flow, attach(), handleRedirect(),
 * the VIN preflight, fallback): against the popup entry it is not there at all.
 */
const absent = Object.assign(() => undefined, { each: () => () => undefined });
export const mainIt = POPUP_ENTRY ? (absent as unknown as typeof it) : it;
/** A group of such tests alone. */
export const mainDescribe = POPUP_ENTRY ? (absent as unknown as typeof describe) : describe;

// Captured when the harness loads, before any test fakes timers or stubs BroadcastChannel.
/** The real setTimeout: BroadcastChannel delivery needs real time to pass. */
export const realSetTimeout = globalThis.setTimeout;
/** The real BroadcastChannel, for a test that posts as a callback page would. */
export const NativeChannel = globalThis.BroadcastChannel;

/** Waits `ms` of real time, whatever the test did to the timers. */
export const realDelay = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Posts on the app's BroadcastChannel as a callback page without an opener does, and waits for delivery. */
export async function broadcast(search: string): Promise<void> {
  const channel = new NativeChannel('smartcar-connect');
  channel.postMessage(wire(search));
  channel.close();
  await realDelay(20);
}

export const ORIGIN = location.origin;
export const REDIRECT_URI = `${ORIGIN}/connect/callback`;

/** A popup window the test controls: open on about:blank, then on Connect's origin, then back (`href`), then closed. */
export interface FakePopup {
  closed: boolean;
  foreign: boolean;
  /** Its address while it is on this origin. */
  href: string;
  /** The URL it was opened on, or sent to from the app's blank page. */
  url: string;
  focus: ReturnType<typeof vi.fn>;
  close: ReturnType<typeof vi.fn>;
  readonly location: { href: string; replace: (url: string) => void };
  /** The app's blank page while the popup shows it. */
  document: { title: string; body: { textContent: string } };
  /** What the app's blank page, the popup's first, hears: its `pagehide` when it goes. */
  addEventListener: (type: string, listener: () => void) => void;
  /** The blank page goes: the popup navigated to Connect, or (once `closed`) the window was closed. */
  hideBlank: () => void;
}

export function fakePopup(url: string): FakePopup {
  const win: FakePopup = {
    closed: false,
    foreign: false,
    href: 'about:blank',
    url,
    focus: vi.fn(),
    close: vi.fn(() => {
      win.closed = true;
    }),
    get location() {
      if (win.foreign) throw new DOMException('Blocked a frame', 'SecurityError');
      // replace(): the window opened on the app's blank page goes to Connect.
      return { href: win.href, replace: (to: string) => Object.assign(win, { url: to }) };
    },
    document: { title: '', body: { textContent: '' } },
    addEventListener: (type, listener) => type === 'pagehide' && blankListeners.push(listener),
    hideBlank: () => blankListeners.splice(0).forEach((listener) => listener()),
  };
  const blankListeners: (() => void)[] = [];
  return win;
}

/** Stubs window.open; each call gives a new fake popup, or null when `blocked`. */
export function stubOpen(options: { blocked?: boolean } = {}) {
  const popups: FakePopup[] = [];
  const open = vi.fn((url: string) => {
    if (options.blocked) return null;
    const win = fakePopup(url);
    popups.push(win);
    return win;
  });
  vi.stubGlobal('open', open);
  return { open, popups, last: () => popups[popups.length - 1] };
}

/** The state the flow sent to Connect, read from the URL it opened. */
export const sentState = (win: FakePopup): string => new URL(win.url).searchParams.get('state')!;

/** The nonce of the state sent to Connect (what comes before its first dot). */
export const sentNonce = (win: FakePopup): string => sentState(win).split('.')[0];

/** The callback page's query for an outcome, carrying the given state. */
export function callbackSearch(params: Record<string, string>, state?: string): string {
  const q = new URLSearchParams(params);
  if (state !== undefined) q.set('state', state);
  return `?${q.toString()}`;
}

export const wire = (search: string) => ({ type: 'smartcar-connect:response', version: 1, search });

/** Dispatches a message event as the browser would deliver it from `source` at `origin`. */
export function deliver(data: unknown, origin: string, source: unknown): void {
  const event = new MessageEvent('message', { data, origin });
  Object.defineProperty(event, 'source', { value: source });
  window.dispatchEvent(event);
}

/** Counts what a flow leaves behind: message listeners and open BroadcastChannels. */
export function trackResources() {
  const listeners = new Set<unknown>();
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  vi.spyOn(window, 'addEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
    if (type === 'message') listeners.add(fn);
    add(type, fn, o as AddEventListenerOptions);
  });
  vi.spyOn(window, 'removeEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
    if (type === 'message') listeners.delete(fn);
    remove(type, fn, o as EventListenerOptions);
  });
  const channels = new Set<BroadcastChannel>();
  const Native = globalThis.BroadcastChannel;
  class Tracked extends Native {
    constructor(name: string) {
      super(name);
      channels.add(this);
    }
    override close() {
      channels.delete(this);
      super.close();
    }
  }
  vi.stubGlobal('BroadcastChannel', Tracked);
  /** What is still set up: message listeners, timers, open channels (all 0 once every flow ended). */
  const left = () => ({ listeners: listeners.size, timers: timerCount(), channels: channels.size });
  return { listeners, channels, left };
}

/**
 * The timers set for later, with fake timers. jsdom announces every storage write to other windows
 * with a zero-delay timer of its own (due 1 ms later when set while timers run): those run first,
 * so only what the SDK set for later counts.
 */
export function timerCount(): number {
  vi.advanceTimersByTime(1);
  return vi.getTimerCount();
}

/** Nothing left: no message listener, no timer, no open channel. */
export const NOTHING_LEFT = { listeners: 0, timers: 0, channels: 0 };

// Every client a test made ends with the test: a live client would otherwise still listen, and take
// the next test's remembered flows as the app's other clients may.
const clients: { destroy(): void }[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.destroy()));

/** A client with a log of every event it emitted, in order; destroyed after the test. */
export function connectWithLog(options: Partial<ConnectOptions> = {}) {
  const connect = createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test', ...options });
  clients.push(connect);
  const log: [ConnectEventName, unknown][] = [];
  const names: ConnectEventName[] = ['open', 'success', 'error', ...ERROR_CODES];
  for (const name of names) connect.on(name, (payload) => log.push([name, payload]));
  return { connect, log, names: () => log.map(([n]) => n) };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((r) => queueMicrotask(r));

/** The reason a promise rejects with; fails the test if it resolves instead. */
export function rejection<T = unknown>(promise: Promise<unknown>): Promise<T> {
  return promise.then(
    (value: unknown) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason as T,
  );
}

/** Records the windows that `window.open` (a simulated Connect's, say) hands out from now on. */
export function recordWindows(): Window[] {
  const opened: Window[] = [];
  const open = window.open.bind(window);
  window.open = (...args: Parameters<typeof open>) => {
    const win = open(...args);
    if (win) opened.push(win);
    return win;
  };
  return opened;
}

/**
 * Runs a popup flow of `connect` until it ends as closed while Connect was still running (COOP on a
 * later page, such as a carmaker's login, looks like the user closing it), with fake timers.
 * Stubs window.open; returns the flow's error and its window.
 */
export async function closedAfterConnect(connect: Connect, state = 'late') {
  const { last } = stubOpen();
  const caught = rejection<PopupClosedError>(connect.popup({ state }));
  last().foreign = true;
  await vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS);
  last().closed = true;
  await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
  return { error: await caught, win: last() };
}

/**
 * Web Locks for jsdom (which has none), shared between this page and another page of the origin
 * (`elsewhere`: a duplicated tab, say): exclusive locks, a request that waits until the lock is free
 * or its signal aborts, a grant a moment after the request (never inside it), and a release when
 * the granted callback's promise settles.
 */
export function stubLocks() {
  const holders = new Map<string, 'here' | 'elsewhere'>();
  const queues = new Map<string, (() => void)[]>();
  const free = (name: string) => {
    holders.delete(name);
    queues.get(name)?.shift()?.();
  };
  const locks = {
    request(name: string, options: LockOptions, callback: LockGrantedCallback<unknown>): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const grant = () => {
          holders.set(name, 'here');
          Promise.resolve(callback({ name, mode: 'exclusive' }))
            .then(resolve, reject)
            .finally(() => free(name));
        };
        const wait = () => {
          if (options.signal?.aborted) return reject(options.signal.reason);
          if (!holders.has(name)) return grant();
          const queue = queues.get(name) ?? [];
          queues.set(name, queue);
          const go = () => {
            options.signal?.removeEventListener('abort', abort);
            grant();
          };
          const abort = () => {
            queue.splice(queue.indexOf(go), 1);
            reject(options.signal!.reason);
          };
          queue.push(go);
          options.signal?.addEventListener('abort', abort);
        };
        // Answered a moment later, as a browser's lock manager answers.
        queueMicrotask(wait);
      });
    },
  };
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  return {
    /** The names of the locks this page holds. */
    here: () => [...holders].filter(([, who]) => who === 'here').map(([name]) => name),
    /** Another page takes a free lock, as a page of another tab that holds a flow would. */
    holdElsewhere: (name: string) => holders.set(name, 'elsewhere'),
    /** That page lets go. */
    releaseElsewhere: (name: string) => free(name),
    restore: () => delete (navigator as { locks?: unknown }).locks,
  };
}
