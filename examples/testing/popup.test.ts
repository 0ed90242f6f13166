import { findByRole, getByRole } from '@testing-library/dom';
import { createConnect, isConnectError } from 'smartcar-connect-browser';
import { simulateConnect } from 'smartcar-connect-browser/testing';
import { expect, test } from 'vitest';

// The app's code: a button that shows what Connect told the user when its setup is wrong.
function mountConnectButton(root: HTMLElement) {
  const connect = createConnect({ clientId: 'app-id', redirectUri: `${location.origin}/callback`, mode: 'test' });
  root.innerHTML = '<button>Connect your car</button>';
  root.querySelector('button')!.addEventListener('click', () => {
    connect.popup().catch((e: unknown) => {
      if (!isConnectError(e) || e.code !== 'configuration_error') return;
      const alert = root.appendChild(document.createElement('p'));
      alert.setAttribute('role', 'alert');
      alert.textContent = `${e.statusCode}: ${e.errorMessage}`; // text, never HTML
    });
  });
}

test('shows Connect’s message when the user leaves its Error page', async () => {
  const sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
  mountConnectButton(document.body);
  getByRole(document.body, 'button', { name: 'Connect your car' }).click();
  expect((await findByRole(document.body, 'alert')).textContent).toBe('400: You have entered a test mode VIN.');
  expect(sim.authorizeUrls[0]?.searchParams.get('mode')).toBe('test');
  sim.restore();
});
