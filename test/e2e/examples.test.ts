import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_VIN_MESSAGE } from '../fixtures/connect';
import { closed, HAS_CHROMIUM, useStack } from './stack';

// The React and Vue examples, built by `npm run build:examples` as the apps they are (React in
// development, so StrictMode really mounts twice), run against the Connect stand-in.
describe.skipIf(!HAS_CHROMIUM)('the framework examples, as built apps in Chromium', () => {
  const stack = useStack();

  for (const framework of ['react', 'vue']) {
    it(`${framework}: shows configuration_error whole, starts again, then connects`, async () => {
      const context = await stack.browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${stack.app.origin}/examples/${framework}/index.html?connectOrigin=${encodeURIComponent(stack.connect.origin)}`);
      const button = page.getByRole('button', { name: 'Connect your car' });

      stack.connect.next({ outcome: 'configuration_error' });
      const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
      await closed(popup);
      expect(await page.getByRole('alert').textContent()).toBe(`Connect stopped (400): ${TEST_VIN_MESSAGE} Try again`);
      expect(await button.getAttribute('aria-busy')).toBe('false');

      await page.getByRole('button', { name: 'Try again' }).click();
      expect(await page.getByRole('alert').count()).toBe(0);

      stack.connect.next({ outcome: 'allow' });
      await Promise.all([page.waitForEvent('popup'), button.click()]);
      expect(await page.getByRole('status').textContent()).toMatch(/^Connected: [0-9a-f-]{36}$/);
      const sent = stack.connect.requests.at(-1)!;
      expect(sent.state).toMatch(/\.user-42$/);
      expect(sent.client_id).toBe('your-application-id');
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  for (const framework of ['react', 'vue']) {
    it(`${framework}: shows the answer that comes after COOP closed the flow, in place of popup_closed`, async () => {
      const context = await stack.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${stack.app.origin}/examples/${framework}/index.html?connectOrigin=${encodeURIComponent(stack.connect.origin)}`);
      // Connect shows its first page, then a carmaker's login served with COOP cuts the popup off; the
      // user goes on there, and the callback page answers by channel after the flow ended as closed.
      stack.connect.next({ outcome: 'allow', coopAt: 1_500, delayMs: 1_500 });
      await page.getByRole('button', { name: 'Connect your car' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('Popup closed Try again');
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toMatch(/^Connected: [0-9a-f-]{36}$/);
      expect(await page.getByRole('alert').count()).toBe(0);
      await context.close();
    });
  }

  it('react: keeps a flow clicked as soon as the button appears, before StrictMode mounts again', async () => {
    // On a slow machine a click can land between React's first commit and StrictMode's second
    // mount; a CPU slowed 20 times makes that gap wide enough to hit most times.
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 20 });
    stack.connect.next({ outcome: 'configuration_error' });
    await page.goto(`${stack.app.origin}/examples/react/index.html?connectOrigin=${encodeURIComponent(stack.connect.origin)}`, { waitUntil: 'commit' });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect your car' }).click()]);
    await closed(popup);
    expect(await page.getByRole('alert').textContent()).toBe(`Connect stopped (400): ${TEST_VIN_MESSAGE} Try again`);
    await context.close();
  });
});

// The Vite app, built by `npm run build:examples` with its callback page as a second entry, served
// as Vite serves a build (vite preview), its popup flow run against the Connect stand-in.
describe.skipIf(!HAS_CHROMIUM)('the Vite example, built and served by Vite, in Chromium', () => {
  const stack = useStack();
  let server: PreviewServer;
  beforeAll(async () => {
    const configFile = new URL('../../examples/vite/vite.config.ts', import.meta.url).pathname;
    server = await preview({ configFile, logLevel: 'warn', preview: { host: 'localhost', port: 0, strictPort: false } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('completes a popup flow: the callback page, an entry of its own, hands the code to the app', async () => {
    const origin = server.resolvedUrls!.local[0].replace(/\/$/, '');
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/index.html?connectOrigin=${encodeURIComponent(stack.connect.origin)}`);
    stack.connect.next({ outcome: 'allow' });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect your car' }).click()]);
    await closed(popup);
    expect(await page.getByRole('status').textContent()).toMatch(/^Connected: [0-9a-f-]{36}$/);
    expect(stack.connect.requests.at(-1)).toMatchObject({ client_id: 'your-application-id', redirect_uri: `${origin}/callback.html` });
    expect(errors).toEqual([]);
    await context.close();
  });
});
