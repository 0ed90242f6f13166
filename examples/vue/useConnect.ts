import { onUnmounted, ref, type Ref } from 'vue';
import { createConnect, isConnectError, type AnyConnectError, type ConnectOptions, type ConnectSuccess, type PopupOptions } from 'smartcar-connect-browser';

/** A Connect client for a component's lifetime, with its result and error as refs. */
export function useConnect(options: ConnectOptions) {
  const client = createConnect(options);
  const pending = ref(false);
  const result: Ref<ConnectSuccess | null> = ref(null);
  const error: Ref<AnyConnectError | null> = ref(null);
  onUnmounted(() => client.destroy());

  /** Call it straight from a click handler: browsers block popups opened later. */
  function connect(flow: PopupOptions = {}) {
    pending.value = true;
    error.value = null;
    client
      .popup(flow)
      .then((r) => (result.value = r))
      .catch((e: unknown) => (error.value = isConnectError(e) ? e : null))
      .finally(() => (pending.value = false));
  }
  return { pending, result, error, connect };
}
