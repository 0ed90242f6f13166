import { useEffect, useRef, useState } from 'react';
import { createConnect, isConnectError, type AnyConnectError, type Connect, type ConnectOptions, type ConnectSuccess, type PopupOptions } from 'smartcar-connect-browser';

export type ConnectState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'connected'; result: ConnectSuccess }
  | { status: 'failed'; error: AnyConnectError };

/**
 * A Connect client for a component's lifetime, and the state of its flow.
 * `connect()` must be called straight from a click handler (browsers block popups opened later).
 *
 * The client is made by the same effect that destroys it: under React's StrictMode in
 * development, effects run, clean up and run again, and a client made once during render (with
 * useMemo) would be destroyed by the first cleanup and never made again.
 */
export function useConnect(options: ConnectOptions) {
  const { clientId, redirectUri, mode } = options;
  const client = useRef<Connect | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const [state, setState] = useState<ConnectState>({ status: 'idle' });

  useEffect(() => {
    const connect = createConnect(latest.current);
    client.current = connect;
    return () => {
      client.current = null;
      connect.destroy();
    };
  }, [clientId, redirectUri, mode]);

  const connect = (flow: PopupOptions = {}) => {
    const current = client.current;
    if (!current) return; // not mounted yet
    setState({ status: 'pending' });
    current.popup(flow).then(
      (result) => setState({ status: 'connected', result }),
      (error: unknown) => setState(isConnectError(error) ? { status: 'failed', error } : { status: 'idle' }),
    );
  };
  return { state, connect };
}
