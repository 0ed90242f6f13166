import type { ConnectOptions } from 'smartcar-connect-browser';

/**
 * The app's side of Connect, shared by the examples: the popup comes back to the callback page,
 * which hands Connect's answer to this page. `connectOrigin` is Smartcar's own unless the
 * page's URL names another (the tests point it at a local stand-in).
 */
export const CONNECT_OPTIONS: ConnectOptions = {
  clientId: 'your-application-id',
  redirectUri: `${location.origin}/connect/callback`,
  scope: ['read_vehicle_info', 'read_odometer'],
  mode: 'test',
  connectOrigin: new URLSearchParams(location.search).get('connectOrigin') ?? undefined,
};

/** Hands the authorization code to the app's server, which exchanges it for tokens. */
export function sendToServer(code: string): void {
  void fetch('/api/smartcar/exchange', { method: 'POST', body: code });
}
