import { findByRole } from '@testing-library/dom';
import { createConnect, isConnectError } from 'smartcar-connect-browser';
import { simulateConnect } from 'smartcar-connect-browser/testing';
import { expect, test } from 'vitest';

// The app's return route: reads Connect's answer once and shows what went wrong.
async function showReturn(root: HTMLElement) {
  const connect = createConnect({ clientId: 'app-id', redirectUri: `${location.origin}/cars`, mode: 'test' });
  try {
    await connect.handleRedirect();
  } catch (e) {
    if (!isConnectError(e) || e.code !== 'configuration_error') return;
    const alert = root.appendChild(document.createElement('p'));
    alert.setAttribute('role', 'alert');
    alert.textContent = e.errorMessage ?? e.description; // text, never HTML
  }
}

test('shows Connect’s message after a same-window return', async () => {
  const sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
  const connect = createConnect({ clientId: 'app-id', redirectUri: `${location.origin}/cars`, mode: 'test' });
  await connect.redirect(); // jsdom stays on the page; the return URL is now in the address bar
  await showReturn(document.body);
  expect((await findByRole(document.body, 'alert')).textContent).toBe('You have entered a test mode VIN.');
  expect(location.search).toBe(''); // Connect's parameters were cleaned away
  sim.restore();
});
