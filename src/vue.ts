import { getCurrentInstance, getCurrentScope, onMounted, onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { createBinding, optionsKey, type ConnectActions, type ConnectStatus, type UseConnectSettings } from './framework-binding';
import type { AnyConnectError, ConnectOptions, ConnectSuccess } from './index';

export type { ConnectActions, ConnectListeners, ConnectStatus, ConnectView, UseConnectSettings } from './framework-binding';

/** What `useConnect` returns: the flow's state as refs, and the actions. */
export interface UseConnect extends ConnectActions {
  status: Readonly<Ref<ConnectStatus>>;
  /** Set when `status` is `'success'`. */
  result: Readonly<Ref<ConnectSuccess | null>>;
  /** Set when `status` is `'error'`. */
  error: Readonly<Ref<AnyConnectError | null>>;
}

/**
 * A Connect client for the component's (or effect scope's) lifetime, and its flow's state as
 * refs. The client is made on mount and destroyed with the scope (a pending popup closes);
 * options may be a ref or a getter, and a new client is made only when they change by value. On
 * mount, a same-window return in the URL is read once into `status`.
 *
 * @example
 * const { popup, status, error } = useConnect({ clientId: 'app-id', redirectUri: `${location.origin}/callback` });
 * // <button @click="popup({ state: 'user-42' })" :aria-busy="status === 'pending'">Connect your car</button>
 */
export function useConnect(options: MaybeRefOrGetter<ConnectOptions>, settings?: UseConnectSettings): UseConnect {
  const { handleRedirect = true, on } = settings ?? {};
  const status = shallowRef<ConnectStatus>('idle');
  const result = shallowRef<ConnectSuccess | null>(null);
  const error = shallowRef<AnyConnectError | null>(null);
  const binding = createBinding((view) => {
    status.value = view.status;
    result.value = view.result;
    error.value = view.error;
  });
  binding.listen(on);
  const start = () => {
    binding.start(toValue(options), handleRedirect !== false);
    // Created here, so it belongs to the component (or scope) and ends with it.
    watch(
      () => optionsKey(toValue(options)),
      () => binding.start(toValue(options), false),
    );
  };
  // In a component, on mount (never on the server); in a bare effect scope, at once in a browser.
  if (getCurrentInstance()) onMounted(start);
  else if (typeof document !== 'undefined') start();
  if (getCurrentScope()) onScopeDispose(binding.stop);
  return { status, result, error, popup: binding.popup, redirect: binding.redirect, reset: binding.reset };
}
