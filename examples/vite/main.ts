import { createConnect, isConnectError } from 'smartcar-connect-browser';

const connect = createConnect({
  clientId: 'your-application-id',
  // The second page of this build (vite.config.ts): the popup comes back there.
  redirectUri: new URL('/callback.html', location.origin).href,
  scope: ['read_vehicle_info', 'read_odometer'],
  mode: 'test',
  // Smartcar's Connect, unless the page's URL names another (the tests point it at a local stand-in).
  connectOrigin: new URLSearchParams(location.search).get('connectOrigin') ?? undefined,
});

const button = document.querySelector<HTMLButtonElement>('#connect-car')!;
const status = document.querySelector<HTMLElement>('#status')!;

button.addEventListener('click', () => {
  // popup() straight from the click, before any await, or the browser blocks the window.
  connect.popup({ state: 'user-42' }).then(
    ({ code }) => {
      status.textContent = `Connected: ${code ?? 'no code'}`;
    },
    (e: unknown) => {
      if (!isConnectError(e)) throw e;
      status.textContent = e.code === 'configuration_error' ? `Connect stopped (${e.statusCode ?? '?'}): ${e.errorMessage ?? e.description}` : e.description;
    },
  );
});
