import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, useStack } from './stack';

/**
 * A tiny app that imports the SDK and its testing kit by their package names (an import map
 * points them at the built files, as a bundler would), wires a button, and shows the outcome.
 */
const APP = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": {
  "smartcar-connect-browser": "/dist/index.mjs",
  "smartcar-connect-browser/testing": "/dist/testing.mjs"
} }</script>
<script type="module">
  import { createConnect } from 'smartcar-connect-browser';
  import { simulateConnect } from 'smartcar-connect-browser/testing';
  const params = new URLSearchParams(location.search);
  window.sim = simulateConnect(params.get('outcome'), JSON.parse(params.get('fields') || '{}'));
  const connect = createConnect({ clientId: 'kit-app', redirectUri: location.origin + '/connect/callback', mode: 'test' });
  connect.attach('#car', { state: 'kit' });
  connect.on('success', (s) => (document.getElementById('out').textContent = 'connected ' + (s.code || s.vehicleId)));
  connect.on('error', (e) => (document.getElementById('out').textContent = e.name + ' ' + (e.errorMessage || e.description)));
  window.ready = true;
</script></head><body><button id="car">Connect your car</button><p id="out"></p></body></html>`;

describe.skipIf(!HAS_CHROMIUM)('the testing kit in a real Chromium page, imported by package name', () => {
  const stack = useStack();

  async function kitPage(outcome: string, fields: Record<string, unknown> = {}): Promise<Page> {
    const context = await stack.browser.newContext();
    await context.route(`${stack.app.origin}/kit.html*`, (route) => route.fulfill({ body: APP, contentType: 'text/html' }));
    const page = await context.newPage();
    await page.goto(`${stack.app.origin}/kit.html?outcome=${outcome}&fields=${encodeURIComponent(JSON.stringify(fields))}`);
    await page.waitForFunction(() => window.ready === true);
    return page;
  }
  const shown = (page: Page) => page.waitForFunction(() => document.getElementById('out')!.textContent).then(() => page.textContent('#out'));

  it('drives an attached button to configuration_error, whole, and clears aria-busy after', async () => {
    const page = await kitPage('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
    await page.click('#car');
    expect(await shown(page)).toBe('ConfigurationError You have entered a test mode VIN.');
    expect(await page.getAttribute('#car', 'aria-busy')).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { sim: { authorizeUrls: URL[] } }).sim.authorizeUrls.map((u) => u.searchParams.get('client_id')))).toEqual([
      'kit-app',
    ]);
    await page.context().close();
  });

  it('drives a severed popup to its answer by BroadcastChannel, and a success', async () => {
    for (const outcome of ['severed', 'success']) {
      const page = await kitPage(outcome, { code: `code-${outcome}` });
      await page.click('#car');
      expect(await shown(page)).toBe(`connected code-${outcome}`);
      await page.context().close();
    }
  });
});
