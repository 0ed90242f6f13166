import { useConnect } from './useConnect';

/** A "Connect your car" button that sends the code to the app's server. */
export function ConnectButton({ userId }: { userId: string }) {
  const { state, connect } = useConnect({
    clientId: 'your-application-id',
    redirectUri: `${location.origin}/connect/callback`,
    scope: ['read_vehicle_info', 'read_odometer'],
    mode: 'test',
  });

  if (state.status === 'connected' && state.result.code) {
    void fetch('/api/smartcar/exchange', { method: 'POST', body: state.result.code });
  }

  return (
    <div>
      <button type="button" aria-busy={state.status === 'pending'} onClick={() => connect({ state: userId })}>
        Connect your car
      </button>
      {state.status === 'failed' && (
        <p role="alert">
          {state.error.code === 'configuration_error'
            ? `Connect stopped (${state.error.statusCode ?? '?'}): ${state.error.errorMessage ?? state.error.description}`
            : state.error.description}
        </p>
      )}
    </div>
  );
}
