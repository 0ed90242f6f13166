// What useConnect does in every framework: one client at a time for a component, its flows'
// outcomes as a view, its events forwarded to the component's listeners. Imports the package only
// through its public entry, so the framework entries share the app's one copy of it.
import {
  createConnect,
  isConnectError,
  type AnyConnectError,
  type Connect,
  type ConnectEventName,
  type ConnectListener,
  type ConnectOptions,
  type ConnectSuccess,
  type FlowOptions,
  type PopupOptions,
} from './index';

/** Where a component's Connect flow is. */
export type ConnectStatus = 'idle' | 'pending' | 'success' | 'error';

/** The flow's state as a component shows it: `status` says which of `result` and `error` is set. */
export type ConnectView =
  | { status: 'idle' | 'pending'; result: null; error: null }
  | { status: 'success'; result: ConnectSuccess; error: null }
  | { status: 'error'; result: null; error: AnyConnectError };

/** Listeners for the client's events, by event name. */
export type ConnectListeners = { [K in ConnectEventName]?: ConnectListener<K> };

/** How `useConnect` behaves besides the client's options. */
export interface UseConnectSettings {
  /**
   * On mount, read Connect's answer from the page's URL (the same-window flow's return) into
   * `status`, `result` and `error`. Default `true`; pass `false` on pages where another
   * component calls `handleRedirect()`, or that receive other providers' redirects.
   */
  handleRedirect?: boolean;
  /** The client's events, forwarded while the component is mounted; the latest listeners are called. */
  on?: ConnectListeners;
}

/** The actions `useConnect` returns beside its view. */
export interface ConnectActions {
  /**
   * Opens Connect in a popup; call it straight from a click handler. Resolves with the success,
   * or null when the flow ended otherwise (the error is in `error`; a cancelled flow returns to
   * `'idle'`). Rejects only on a mistake of the caller's: a bad option (`TypeError`), or a call
   * while the component is not mounted in a browser (`InvalidStateError`). Takes a promise of the
   * options too: the popup opens at once and goes to Connect when they come.
   */
  popup: (options?: PopupOptions | PromiseLike<PopupOptions | undefined>) => Promise<ConnectSuccess | null>;
  /** Sends this window to Connect; the answer lands in `status` on return. Settles like `popup()`. */
  redirect: (options?: FlowOptions) => Promise<ConnectSuccess | null>;
  /** Back to `'idle'`, forgetting the result or error; a pending popup is closed. */
  reset: () => void;
}

export const IDLE: ConnectView = { status: 'idle', result: null, error: null };
const PENDING: ConnectView = { status: 'pending', result: null, error: null };

/**
 * The options as a string equal for equal options: object keys in order, so a component that
 * re-renders with a new but equal object keeps its client. Never throws (an option that cannot be
 * written out gives a key of its own, and createConnect then names it).
 */
export function optionsKey(options: unknown): string {
  try {
    return JSON.stringify(options, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
    );
  } catch {
    return `unreadable:${Math.random()}`;
  }
}

const notMounted = () => new DOMException('smartcar-connect: useConnect flows start only while the component is mounted in a browser', 'InvalidStateError');

/** Reports a mistake of the app's at once, where developers look, without breaking the page. */
const reportAside = (e: unknown) => (typeof reportError === 'function' ? reportError(e) : console.error(e));

/**
 * One component's Connect: `publish` receives each new view while the binding is started; the
 * framework calls `start` when the component mounts (or its options change) and `stop` when it
 * unmounts. Under React's StrictMode, start, stop, start in one task: the second start keeps the
 * first's client, so a flow clicked before it, or an answer read by the first start, still lands.
 */
export function createBinding(publish: (view: ConnectView) => void) {
  let client: Connect | undefined;
  let options: ConnectOptions = {};
  let key = '';
  let failure: unknown;
  /** The options whose failure was last reported: StrictMode's second mount does not report it again. */
  let reportedFor: ConnectOptions | undefined;
  /** Started and not stopped since (a stopped binding keeps its client until the microtasks run). */
  let live = false;
  let view = IDLE;
  /** Counts the flows started here: only the latest one's end is shown. */
  let flows = 0;
  let offs: (() => void)[] = [];
  let listeners: ConnectListeners | undefined;
  let names = '';

  const show = (next: ConnectView) => {
    view = next;
    if (live) publish(next);
  };

  function subscribe() {
    offs.forEach((off) => off());
    offs = [];
    for (const name of names ? names.split(' ') : []) {
      try {
        // Looked up at each event: the component's latest listener is the one called.
        const forward = (payload: unknown) => (listeners?.[name as ConnectEventName] as ((p: unknown) => void) | undefined)?.(payload);
        offs.push(client!.on(name as ConnectEventName, forward));
      } catch (e) {
        reportAside(e);
      }
    }
  }

  function open(next: ConnectOptions) {
    options = next;
    key = optionsKey(next);
    failure = undefined;
    try {
      client = createConnect(next);
    } catch (e) {
      client = undefined;
      failure = e;
      if (next !== reportedFor) reportAside(e);
      reportedFor = next;
      return;
    }
    client.on('success', (result) => result.late && showLate({ status: 'success', result, error: null }));
    client.on('error', (error) => error.late && showLate({ status: 'error', result: null, error }));
    subscribe();
  }

  /**
   * An answer that came after its flow ended (its popup was cut off, or allowed after it was blocked):
   * shown while the latest flow's end is popup_closed or popup_blocked, not after a reset or once a newer flow started.
   */
  function showLate(next: ConnectView) {
    if (view.status === 'error' && (view.error.code === 'popup_closed' || view.error.code === 'popup_blocked')) show(next);
  }

  function close() {
    const old = client;
    client = undefined;
    offs = [];
    old?.destroy();
  }

  /** Shows how a flow of this binding ends; the promise it returns rejects only on a caller's mistake. */
  function track(flow: Promise<ConnectSuccess | null | void>, id: number): Promise<ConnectSuccess | null> {
    return flow.then(
      (result) => {
        if (result && id === flows) show({ status: 'success', result, error: null });
        return result || null;
      },
      (e: unknown) => {
        if (id === flows) show(isConnectError(e) ? { status: 'error', result: null, error: e } : IDLE);
        // Connect's outcomes and cancellations are in the view; only a bad option is the caller's to see.
        if (e instanceof TypeError) throw e;
        return null;
      },
    );
  }

  function begin<O>(run: (c: Connect, o?: O) => Promise<ConnectSuccess | null | void>, input?: O): Promise<ConnectSuccess | null> {
    if (!client || !live) return Promise.reject(failure ?? notMounted());
    const id = ++flows;
    show(PENDING);
    return track(run(client, input), id);
  }

  return {
    /**
     * Mounted, mounted again or given new options: a new client for these options, unless this
     * follows a stop in the same task with equal options (StrictMode's second mount), which keeps
     * the client and any flow a click started before it.
     */
    start: (next: ConnectOptions, handleRedirect: boolean) => {
      const resume = !live && client && optionsKey(next) === key;
      live = true;
      if (resume) return;
      close();
      open(next);
      if (handleRedirect && client) void track(client.handleRedirect(), flows).catch(reportAside);
    },
    /**
     * Unmounted: nothing more is published, and once the current task's microtasks have run the
     * client is destroyed (a pending popup closes), unless `start` came first.
     */
    stop: () => {
      live = false;
      failure = undefined;
      queueMicrotask(() => {
        if (!live) close();
      });
    },
    /** The component's listeners, as of its latest render: subscribed anew only when their names change. */
    listen: (on: ConnectListeners | undefined) => {
      listeners = on;
      const next = on && typeof on === 'object' ? Object.keys(on).sort().join(' ') : '';
      if (next === names) return;
      names = next;
      if (client) subscribe();
    },
    popup: (input?: PopupOptions | PromiseLike<PopupOptions | undefined>) => begin((c, o) => c.popup(o), input),
    redirect: (input?: FlowOptions) => begin((c, o) => c.redirect(o), input),
    reset: () => {
      flows++;
      if (view.status === 'pending' && client) {
        close();
        open(options);
      }
      show(IDLE);
    },
  };
}
