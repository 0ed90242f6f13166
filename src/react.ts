import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { createBinding, IDLE, optionsKey, type ConnectActions, type ConnectView, type UseConnectSettings } from './framework-binding';
import type { ConnectOptions } from './index';

export type { ConnectActions, ConnectListeners, ConnectStatus, ConnectView, UseConnectSettings } from './framework-binding';

/** What `useConnect` returns: the view (narrowed by `status`) and the actions. */
export type UseConnect = ConnectView & ConnectActions;

// In the browser the client exists before the first paint, so no click can come before it;
// on the server neither effect runs, and useEffect stays silent there on every React version.
const useMounted = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A Connect client for the component's lifetime, and its flow's state. The client is made when
 * the component mounts and destroyed when it unmounts (a pending popup closes); StrictMode's
 * unmount and mount again keep it, and options equal by value keep it across re-renders. On mount, a
 * same-window return in the URL is read once into `status`.
 *
 * @example
 * const { popup, status, error } = useConnect({ clientId: 'app-id', redirectUri: `${location.origin}/callback` });
 * return <button onClick={() => popup({ state: 'user-42' })} aria-busy={status === 'pending'}>Connect your
 * car</button>;
 */
export function useConnect(options: ConnectOptions, settings?: UseConnectSettings): UseConnect {
  const { handleRedirect = true, on } = settings ?? {};
  const [view, setView] = useState<ConnectView>(IDLE);
  const [binding] = useState(() => createBinding(setView));
  const key = optionsKey(options);
  // The options as of the last change by value: a new object equal to the old keeps the client.
  const stable = useMemo(() => options, [key]);

  // Before the client is made on mount, and after every render: the latest listeners are called.
  useMounted(() => binding.listen(on));
  useMounted(() => {
    binding.start(stable, handleRedirect !== false);
    return binding.stop;
  }, [binding, stable, handleRedirect]);

  return useMemo(() => ({ ...view, popup: binding.popup, redirect: binding.redirect, reset: binding.reset }), [binding, view]);
}
