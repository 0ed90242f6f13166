// @ts-check
// The script-tag example: one button, a popup, and what to tell the user for each outcome.

const connect = SmartcarConnect.createConnect({
  clientId: 'your-application-id',
  redirectUri: `${location.origin}/callback.html`,
  scope: ['read_vehicle_info', 'read_odometer'],
  mode: 'test',
});

const message = /** @type {HTMLElement} */ (document.getElementById('status'));

connect.attach('#connect-car', { state: 'user-42', fallback: 'redirect' });

connect.on('success', ({ code }) => {
  message.textContent = 'Connected. Finishing up…';
  if (code) void fetch('/api/smartcar/exchange', { method: 'POST', body: code });
});

connect.on('error', (error) => {
  switch (error.code) {
    case 'configuration_error':
      message.textContent = `Connect could not continue (${error.statusCode ?? 'no status'}): ${error.errorMessage ?? error.description}`;
      break;
    case 'access_denied':
      message.textContent = 'No problem: you can connect your car later.';
      break;
    case 'popup_blocked':
      message.textContent = 'Your browser blocked the window. Please allow pop-ups and try again.';
      break;
    case 'popup_closed':
      message.textContent = '';
      break;
    default:
      message.textContent = error.description;
  }
});

// Back from the same-window fallback: the answer is in this page's address.
void connect.handleRedirect().catch(() => undefined);
