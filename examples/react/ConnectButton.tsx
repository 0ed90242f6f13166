import { useConnect } from 'smartcar-connect-browser/react';
import { CONNECT_OPTIONS, sendToServer } from '../app-config';

/** A "Connect your car" button: Connect in a popup, and what came of it. */
export function ConnectButton({ userId }: { userId: string }) {
  const { popup, status, result, error, reset } = useConnect(CONNECT_OPTIONS, {
    on: { success: ({ code }) => code && sendToServer(code) },
  });

  return (
    <div>
      {/* popup() opens the window inside the click, before anything is awaited: browsers allow that. */}
      <button type="button" aria-busy={status === 'pending'} onClick={() => void popup({ state: userId })}>
        Connect your car
      </button>
      {status === 'success' && <p role="status">Connected: {result.vehicleId ?? result.userId ?? 'a new car'}</p>}
      {status === 'error' && (
        <p role="alert">
          {error.code === 'configuration_error'
            ? `Connect stopped (${error.statusCode ?? '?'}): ${error.errorMessage ?? error.description}`
            : error.description}{' '}
          <button type="button" onClick={reset}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}
