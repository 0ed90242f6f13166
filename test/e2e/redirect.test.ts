import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONFIGURATION_DESCRIPTION, CONFIGURATION_ERROR_URL, TEST_VIN_MESSAGE } from '../fixtures/connect';
import { clickPopup, frameHostile, eventNames, HAS_CHROMIUM, openApp, outcomeOf, resourcesOf, useStack } from './stack';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const DOCS_CONFIGURATION_ERROR = Object.fromEntries(new URL(CONFIGURATION_ERROR_URL).searchParams);

describe.skipIf(!HAS_CHROMIUM)('same-window flow, buttons and migration paths in Chromium', () => {
  const stack = useStack();
  let returnRoute: string;
  beforeAll(() => {
    returnRoute = `${stack.app.origin}/e2e/app.html?tab=cars`;
  });
  beforeEach(() => {
    stack.connect.requests.length = 0;
  });

  /** Sends the page to Connect with connect.redirect() and waits until it is back on the return route. */
  async function roundTrip(page: Page, options: Record<string, unknown> = {}, outcome?: Record<string, string>, named = 'allow') {
    stack.connect.next({ outcome: outcome ?? named });
    await page.evaluate((o) => {
      void harness.redirect(o);
    }, options);
    await page.waitForURL((url) => ['code', 'user_id', 'vehicle_id', 'error'].some((name) => url.searchParams.has(name)));
    await page.waitForFunction(() => window.ready === true);
  }

  it('completes a same-window round trip with success and leaves a clean address bar', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: returnRoute });
    await roundTrip(page, { state: 'user-42 & ünï' });
    expect(stack.connect.requests[0]).toMatchObject({ redirect_uri: returnRoute, response_type: 'code' });
    const outcome = await page.evaluate(() => harness.handleRedirect());
    expect(outcome).toEqual({ ok: true, value: { flow: 'redirect', code: UUID, userId: UUID, state: 'user-42 & ünï' } });
    expect(page.url()).toBe(returnRoute);
    expect(await eventNames(page)).toEqual(['success']);
    await context.close();
  });

  it('rejects a same-window round trip with the docs’ configuration_error, whole, once, and cleans the address bar', async () => {
    const { page, context } = await openApp(stack, 'esm', { redirectUri: returnRoute });
    await roundTrip(page, { state: 's' }, DOCS_CONFIGURATION_ERROR);
    const outcome = await page.evaluate(() => harness.handleRedirect());
    expect(outcome.error).toMatchObject({
      name: 'ConfigurationError',
      statusCode: 400,
      errorMessage: TEST_VIN_MESSAGE,
      description: CONFIGURATION_DESCRIPTION,
      state: 's',
      instanceOfOwnClass: true,
    });
    expect(await eventNames(page)).toEqual(['configuration_error', 'error']);
    expect(page.url()).toBe(returnRoute);
    await context.close();
  });

  it('never gives the success twice: not on reload, not on back, not when the old URL is opened again', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: returnRoute });
    await roundTrip(page);
    const oldUrl = page.url();
    expect((await page.evaluate(() => harness.handleRedirect())).ok).toBe(true);

    await page.reload();
    await page.waitForFunction(() => window.ready === true);
    expect(await page.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: null });

    await page.goto(oldUrl);
    await page.waitForFunction(() => window.ready === true);
    expect((await page.evaluate(() => harness.handleRedirect())).error).toMatchObject({ name: 'StateMismatchError' });

    await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires pageshow, not load
    await page.waitForFunction(() => window.ready === true);
    const back = await page.evaluate(() => harness.handleRedirect());
    expect(back.value ?? null).toBeNull();
    await context.close();
  });

  it('resolves the same-window return of a user_id-only success', async () => {
    const { page, context } = await openApp(stack, 'esm', { redirectUri: returnRoute });
    await roundTrip(page, { state: 'today' }, undefined, 'allow_user_id');
    expect(await page.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: { flow: 'redirect', userId: UUID, state: 'today' } });
    expect(page.url()).toBe(returnRoute);
    await context.close();
  });

  it('re-authenticates in the same window by resolution.url and by vehicle id', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: returnRoute });
    const resolution = `${stack.connect.origin}/oauth/reauthenticate?response_type=vehicle_id&client_id=e2e-app&vehicle_id=v-88`;
    for (const reauthenticate of [resolution, 'v-89']) {
      await roundTrip(page, { reauthenticate, state: 'again' });
      expect(await page.evaluate(() => harness.handleRedirect())).toEqual({
        ok: true,
        value: { flow: 'redirect', vehicleId: reauthenticate === 'v-89' ? 'v-89' : 'v-88', state: 'again' },
      });
    }
    expect(stack.connect.requests.map((r) => r.path)).toEqual(['/oauth/reauthenticate', '/oauth/reauthenticate']);
    await context.close();
  });

  it('keeps its single answer when the page comes back from the back-forward cache', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: returnRoute });
    await roundTrip(page);
    expect((await page.evaluate(() => harness.handleRedirect())).ok).toBe(true);
    await page.evaluate(() => (window.outcomes = [{ ok: true, value: { marker: 'same document' } }]));
    await page.goto(`${stack.app.origin}/e2e/hostile.html`);
    await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires pageshow, not load
    await page.waitForFunction(() => window.ready === true);
    // The same document, with its state, came back: the marker set before leaving is still there.
    expect(await page.evaluate(() => window.outcomes)).toEqual([{ ok: true, value: { marker: 'same document' } }]);
    const again = await page.evaluate(() => harness.handleRedirect());
    expect(again).toEqual({ ok: true, value: null });
    expect(await eventNames(page)).toEqual(['success']);
    // A new flow starts normally from the restored page.
    await roundTrip(page, { state: 'after-cache' });
    expect(await page.evaluate(() => harness.handleRedirect())).toMatchObject({ ok: true, value: { state: 'after-cache' } });
    await context.close();
  });

  it('continues in the same window when the popup is blocked and fallback is redirect', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const config = { clientId: 'e2e-app', redirectUri: returnRoute, connectOrigin: stack.connect.origin, mode: 'test' };
    stack.connect.next({ outcome: 'allow' });
    await page.goto(`${stack.app.origin}/e2e/app.html?autopopup=${encodeURIComponent(JSON.stringify({ config, options: { fallback: 'redirect', state: 'fell-back' } }))}`);
    await page.waitForURL((url) => url.searchParams.has('code'));
    await page.waitForFunction(() => window.ready === true);
    const outcome = await page.evaluate(() => harness.handleRedirect());
    expect(outcome).toEqual({ ok: true, value: { flow: 'redirect', code: UUID, userId: UUID, state: 'fell-back' } });
    expect(context.pages()).toHaveLength(1);
    await context.close();
  });

  it('runs one flow for a button clicked twice quickly, marks it busy, and detaches cleanly', async () => {
    const { page, context } = await openApp(stack);
    let popups = 0;
    context.on('page', () => popups++);
    await page.evaluate(() => harness.attach('#attached', { state: 'button' }));
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#attached')]);
    await page.click('#attached');
    expect(await page.getAttribute('#attached', 'aria-busy')).toBe('true');
    await popup.click('text=Allow');
    await page.waitForFunction(() => !document.getElementById('attached')!.hasAttribute('aria-busy'));
    expect(popups).toBe(1);
    const events = await page.evaluate(() => window.events);
    expect(events.map(([n]) => n)).toEqual(['open', 'success']);
    expect(events[1][1]).toMatchObject({ flow: 'popup', state: 'button' });

    await page.evaluate(() => harness.detach());
    await page.click('#attached');
    await page.waitForTimeout(500);
    expect(popups).toBe(1);
    expect(await resourcesOf(page)).toEqual({ message: 0, intervals: 0, timeouts: 0, channels: 0 });
    await context.close();
  });

  it('accepts the official hosted redirect page’s SmartcarAuthMessage, and ignores it from any other origin', async () => {
    const hosted = `${stack.connect.origin}/v2/redirect?app_origin=${encodeURIComponent(stack.app.origin)}`;
    const { page, context } = await openApp(stack, 'iife', { redirectUri: hosted });
    const hostileFrame = await frameHostile(page, stack);
    const popup = await clickPopup(page, { state: 'migrating' });
    await popup.waitForSelector('text=Allow');
    const state = stack.connect.requests[0].state;
    await hostileFrame.evaluate((s) => parent.postMessage({ name: 'SmartcarAuthMessage', code: 'forged', state: s }, '*'), state);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.outcomes.length)).toBe(0);

    await popup.click('text=Allow');
    const outcome = await outcomeOf(page);
    expect(outcome).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'migrating' } });
    expect(stack.connect.requests[0].redirect_uri).toBe(hosted);
    await context.close();
  });

  it('brings back configuration_error through the hosted page without status and message, which that page drops', async () => {
    const hosted = `${stack.connect.origin}/v2/redirect?app_origin=${encodeURIComponent(stack.app.origin)}`;
    const { page, context } = await openApp(stack, 'iife', { redirectUri: hosted });
    stack.connect.next({ outcome: 'configuration_error' });
    await clickPopup(page);
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ name: 'ConfigurationError', description: CONFIGURATION_DESCRIPTION });
    expect(error!.statusCode).toBeUndefined();
    expect(error!.errorMessage).toBeUndefined();
    await context.close();
  });

  it('completes the redirect-less flow from Connect’s own message, with userId and externalId', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: null, responseType: 'none' });
    const popup = await clickPopup(page, { state: 'no-redirect', externalId: 'fleet-9' });
    await popup.click('text=Allow');
    const outcome = await outcomeOf(page);
    expect(outcome).toEqual({
      ok: true,
      value: { flow: 'popup', state: 'no-redirect', userId: UUID, externalId: 'fleet-9' },
    });
    const [request] = stack.connect.requests;
    expect(request).toMatchObject({ response_type: 'none', app_origin: stack.app.origin });
    expect(request).not.toHaveProperty('redirect_uri');
    await context.close();
  });
});
