import { useEffect, useMemo, useState } from 'react';
import { createConnect, isConnectError, type AnyConnectError, type ConnectOptions, type ConnectSuccess, type PopupOptions } from 'smartcar-connect-browser';

export type ConnectState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'connected'; result: ConnectSuccess }
  | { status: 'failed'; error: AnyConnectError };

/**
 * A Connect client for a component's lifetime, and the state of its flow.
 * `connect()` must be called straight from a click handler (browsers block popups opened later).
 */
export function useConnect(options: ConnectOptions) {
  const { clientId, redirectUri, mode } = options;
  const client = useMemo(() => createConnect(options), [clientId, redirectUri, mode]);
  const [state, setState] = useState<ConnectState>({ status: 'idle' });

  useEffect(() => () => client.destroy(), [client]);

  const connect = (flow: PopupOptions = {}) => {
    setState({ status: 'pending' });
    client.popup(flow).then(
      (result) => setState({ status: 'connected', result }),
      (error: unknown) => setState(isConnectError(error) ? { status: 'failed', error } : { status: 'idle' }),
    );
  };
  return { state, connect };
}
