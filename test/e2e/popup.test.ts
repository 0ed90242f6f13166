import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONFIGURATION_DESCRIPTION, CONFIGURATION_ERROR_URL, ERROR_CLASS_NAMES, TEST_VIN_MESSAGE } from '../fixtures/connect';
import { clickPopup, frameHostile, closed, eventNames, eventsOf, HAS_CHROMIUM, resourcesOf, openApp, outcomeOf, useStack } from './stack';
import { answeredAndQuiet, expectAnswerOnceEitherWay } from './either-way';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const UNICODE_STATE = 'ünïcødé 🚗 &=?#+% /\\ "quotes" <b>';
const DOCS_CONFIGURATION_ERROR = Object.fromEntries(new URL(CONFIGURATION_ERROR_URL).searchParams);

describe.skipIf(!HAS_CHROMIUM)('popup flow in Chromium, against the Connect stand-in', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.connect.requests.length = 0;
  });

  /** Clicks the popup's Allow on the stand-in's consent page. */
  const allow = (popup: Page) => popup.click('text=Allow');

  it.each(['iife', 'esm'] as const)('resolves with the code and an app state full of unicode and URL syntax, exactly (%s build)', async (build) => {
    const { page, context } = await openApp(stack, build);
    const popup = await clickPopup(page, { state: UNICODE_STATE });
    await allow(popup);
    const outcome = await outcomeOf(page);
    expect(outcome.ok).toBe(true);
    expect(outcome.value).toEqual({ flow: 'popup', code: UUID, userId: UUID, state: UNICODE_STATE });
    expect(await eventNames(page)).toEqual(['open', 'success']);

    const [request] = stack.connect.requests;
    expect(request).toMatchObject({
      client_id: 'e2e-app',
      redirect_uri: `${stack.app.origin}/connect/callback`,
      response_type: 'code',
      scope: 'read_vehicle_info required:read_odometer',
      mode: 'test',
    });
    expect(request.state).toMatch(/^[0-9a-f]{32}\./);
    expect(request.state.slice(33)).toBe(UNICODE_STATE);
    await closed(popup);
    await context.close();
  });

  it('rejects with the docs’ exact configuration_error, whole, and emits configuration_error once', async () => {
    const { page, context } = await openApp(stack);
    stack.connect.next({ outcome: DOCS_CONFIGURATION_ERROR });
    await clickPopup(page, { state: 'user-42' });
    const { ok, error } = await outcomeOf(page);
    expect(ok).toBe(false);
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      code: 'configuration_error',
      statusCode: 400,
      errorMessage: TEST_VIN_MESSAGE,
      description: CONFIGURATION_DESCRIPTION,
      state: 'user-42',
      isConnectError: true,
      instanceOfOwnClass: true,
    });
    const events = await eventsOf(page);
    expect(events.map(([n]) => n)).toEqual(['open', 'configuration_error', 'error']);
    expect(events[1][1]).toEqual(error);
    await context.close();
  });

  it('brings back configuration_error when the user meets Connect’s Error page and chooses Exit', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page);
    await popup.click('text=Other outcomes');
    await popup.click('text=Error page, then Exit');
    expect(await popup.textContent('#message')).toBe(TEST_VIN_MESSAGE);
    await popup.click('#exit');
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ code: 'configuration_error', statusCode: 400, errorMessage: TEST_VIN_MESSAGE });
    await context.close();
  });

  it('refuses a test-mode VIN in live mode before Connect opens, with the same ConfigurationError', async () => {
    const { page, context } = await openApp(stack, 'iife', { mode: 'live' });
    await page.evaluate(() => (window.nextOptions = { singleSelect: { vin: '0SCAUDI0155C49A95' } }));
    await page.click('#popup');
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      statusCode: 400,
      errorMessage: TEST_VIN_MESSAGE,
      preflight: true,
      instanceOfOwnClass: true,
    });
    expect(await eventNames(page)).toEqual(['configuration_error', 'error']);
    expect(context.pages()).toHaveLength(1);
    expect(stack.connect.requests).toHaveLength(0);
    await context.close();
  });

  it('gives every other error of the table its class, and keeps an unknown code', async () => {
    const { page, context } = await openApp(stack, 'esm');
    const cases = [
      ['access_denied', {}],
      ['invalid_subscription', {}],
      ['no_vehicles', {}],
      ['vehicle_incompatible', { vehicle: { vin: '0SCAUDI012FE3B132', make: 'AUDI', model: 'A4', year: 2019 } }],
      ['server_error', { statusCode: 500, errorMessage: 'Something went wrong. Please try again later.' }],
      ['user_manually_returned_to_application', {}],
    ] as const;
    for (const [i, [code, fields]] of cases.entries()) {
      stack.connect.next({ outcome: code });
      await clickPopup(page, { state: code });
      const { error } = await outcomeOf(page, i);
      expect(error).toMatchObject({ code, name: ERROR_CLASS_NAMES[code], state: code, instanceOfOwnClass: true, ...fields });
    }
    stack.connect.next({ outcome: 'unknown_error' });
    await clickPopup(page);
    const { error } = await outcomeOf(page, cases.length);
    expect(error).toMatchObject({ name: 'ConnectError', code: 'rate_limited_by_oem', isConnectError: true });
    const names = await eventNames(page);
    expect(names.filter((n) => n === 'error')).toHaveLength(cases.length + 1);
    for (const [code] of cases) expect(names.filter((n) => n === code)).toHaveLength(1);
    await context.close();
  });

  it('rejects with PopupClosedError when the user closes the popup', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page, { state: 'closing' });
    await popup.waitForSelector('text=Allow');
    await page.waitForTimeout(1_500); // the user reads Connect for a moment
    const closedAt = Date.now();
    await popup.close();
    const { error } = await outcomeOf(page);
    console.log(`close detection: PopupClosedError ${Date.now() - closedAt} ms after the popup closed`);
    expect(error).toMatchObject({ name: 'PopupClosedError', code: 'popup_closed', state: 'closing' });
    expect(await eventNames(page)).toEqual(['open', 'popup_closed', 'error']);
    // What stays is what waits for a late answer: a message listener, the channel and one timer, until 10 minutes or destroy().
    expect(await resourcesOf(page)).toEqual({ message: 1, intervals: 0, timeouts: 1, channels: 1 });
    await page.evaluate(() => harness.destroy());
    expect(await resourcesOf(page)).toEqual({ message: 0, intervals: 0, timeouts: 0, channels: 0 });
    await context.close();
  });

  it('rejects with PopupBlockedError when the browser blocks a popup opened without a click', async () => {
    // The page starts the flow as it loads: no user activation, so Chromium's blocker refuses it.
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const config = { clientId: 'e2e-app', redirectUri: `${stack.app.origin}/connect/callback`, connectOrigin: stack.connect.origin };
    await page.goto(`${stack.app.origin}/e2e/app.html?autopopup=${encodeURIComponent(JSON.stringify({ config }))}`);
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ name: 'PopupBlockedError', code: 'popup_blocked' });
    expect(await eventNames(page)).toEqual(['popup_blocked', 'error']);
    expect(context.pages()).toHaveLength(1);
    await context.close();
  });

  it('rejects with TimeoutError after timeoutMs and closes the popup', async () => {
    const { page, context } = await openApp(stack, 'iife', { timeoutMs: 1_500 });
    const popup = await clickPopup(page);
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'timeout' });
    await closed(popup);
    expect(await resourcesOf(page)).toEqual({ message: 0, intervals: 0, timeouts: 0, channels: 0 });
    await context.close();
  });

  it('rejects with signal.reason on abort and closes the popup, emitting nothing more', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page, { abortable: true });
    await popup.waitForSelector('text=Allow');
    await page.evaluate(() => harness.abort('cancelled by the app'));
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ name: 'Error', message: 'cancelled by the app', isConnectError: false });
    await closed(popup);
    expect(await eventNames(page)).toEqual(['open']);
    await context.close();
  });

  it('ignores forged messages from a third origin, from Connect and from the app’s own origin, and still gets the real result', async () => {
    const { page, context } = await openApp(stack);
    const hostileFrame = await frameHostile(page, stack);
    const popup = await clickPopup(page, { state: 'real' });
    await popup.waitForSelector('text=Allow');
    const state = stack.connect.requests[0].state;
    const forged = (s: string) => ({
      type: 'smartcar-connect:response',
      version: 1,
      search: `?code=forged&state=${encodeURIComponent(s)}`,
    });

    await hostileFrame.evaluate((m) => parent.postMessage(m, '*'), forged(state)); // the right state, the wrong origin
    await popup.evaluate((m) => opener!.postMessage(m, '*'), forged(state)); // the popup itself, on Connect's origin
    await page.evaluate((m) => postMessage(m, location.origin), forged(state)); // the app's origin, not the popup
    await page.evaluate((m) => {
      const channel = new NativeBroadcastChannel('smartcar-connect');
      channel.postMessage(m);
      channel.close();
    }, forged(`${'f'.repeat(32)}.real`)); // the app's channel, a guessed state
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => window.outcomes.length)).toBe(0);

    await allow(popup);
    const outcome = await outcomeOf(page);
    expect(outcome.ok).toBe(true);
    expect(outcome.value!.code).not.toBe('forged');
    expect(outcome.value!.state).toBe('real');
    expect(await eventNames(page)).toEqual(['open', 'success']);
    await context.close();
  });

  it('opens one window for two quick clicks and gives both callers the same result', async () => {
    const { page, context } = await openApp(stack);
    let popups = 0;
    context.on('page', () => popups++);
    const popup = await clickPopup(page);
    await page.click('#popup');
    await allow(popup);
    const [first, second] = [await outcomeOf(page, 0), await outcomeOf(page, 1)];
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(popups).toBe(1);
    expect(stack.connect.requests).toHaveLength(1);
    expect(await eventNames(page)).toEqual(['open', 'success']);
    await context.close();
  });

  // Which of the two paths a COOP cut takes depends on what the app's poll glimpsed before it (see
  // either-way.ts): the unit tests pin each path with fake timers; here each must deliver once.
  it('delivers the answer once when COOP cuts the popup off moments after Connect appeared: severed, or closed then late', async () => {
    const { page, context } = await openApp(stack);
    stack.connect.next({ outcome: 'allow', coopAt: 150, delayMs: 1_500 });
    const popup = await clickPopup(page, { state: 'coop' });
    const outcome = await outcomeOf(page);
    await page.waitForFunction(answeredAndQuiet, undefined, { timeout: 10_000 });
    expectAnswerOnceEitherWay(outcome, await eventsOf(page), 'coop');
    await closed(popup);
    await context.close();
  });

  it('delivers the answer once when COOP comes on a later page: closed then late through the events (or severed)', async () => {
    const { page, context } = await openApp(stack);
    stack.connect.next({ outcome: 'allow', coopAt: 1_500, delayMs: 1_500 });
    await clickPopup(page, { state: 'oem-login' });
    const outcome = await outcomeOf(page);
    await page.waitForFunction(answeredAndQuiet, undefined, { timeout: 10_000 });
    const events = await eventsOf(page);
    expectAnswerOnceEitherWay(outcome, events, 'oem-login');
    expect(events.find(([n]) => n === 'success')![1]).toMatchObject({ code: UUID, userId: UUID });
    await context.close();
  });

  it('delivers the answer exactly once when COOP comes on Connect’s first page: by the promise, or late by the events', async () => {
    const { page, context } = await openApp(stack);
    stack.connect.next({ outcome: 'allow', coop: true, delayMs: 2_000 });
    await clickPopup(page, { state: 'first-page' });
    const outcome = await outcomeOf(page);
    await page.waitForFunction(answeredAndQuiet, undefined, { timeout: 10_000 });
    expectAnswerOnceEitherWay(outcome, await eventsOf(page), 'first-page');
    await context.close();
  });

  it('resolves when the callback page itself is served with COOP (its channel message may beat the closed flag)', async () => {
    const { page, context } = await openApp(stack, 'iife', { redirectUri: `${stack.app.origin}/connect/callback-coop` });
    for (let i = 0; i < 3; i++) {
      stack.connect.next({ outcome: 'allow', delayMs: 700 });
      await clickPopup(page, { state: `coop-callback-${i}` });
      expect(await outcomeOf(page, i)).toMatchObject({ ok: true, value: { state: `coop-callback-${i}` } });
    }
    expect(await eventNames(page)).toEqual(['open', 'success', 'open', 'success', 'open', 'success']);
    await context.close();
  });

  it('ignores a third party that frames the callback URL with the flow’s state: a frame never relays by channel', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page, { state: 'mine' });
    await popup.waitForSelector('text=Allow');
    const state = stack.connect.requests[0].state;
    const forged = `${stack.app.origin}/connect/callback?code=forged&state=${encodeURIComponent(state)}`;
    const hostileFrame = await frameHostile(page, stack);
    await hostileFrame.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, forged);
    await page.waitForTimeout(1_500);
    expect(await page.evaluate(() => window.outcomes.length)).toBe(0);
    await allow(popup);
    const outcome = await outcomeOf(page);
    expect(outcome.value).toMatchObject({ state: 'mine', code: UUID });
    expect(outcome.value!.code).not.toBe('forged');
    await context.close();
  });

  it('keeps a COOP-severed flow pending when the user then closes its window, until timeoutMs (a flow seen as closed ends at once)', async () => {
    const { page, context } = await openApp(stack, 'iife', { timeoutMs: 4_000 });
    stack.connect.next({ outcome: 'allow', coopAt: 150, delayMs: 60_000 });
    await clickPopup(page);
    await page.waitForFunction(() => window.lastPopup!.closed); // cut off by COOP
    for (const p of context.pages()) if (p !== page) await p.close();
    const { error } = await outcomeOf(page);
    // Severed (the poll glimpsed Connect before the cut): only the timeout ends it. Closed (it did
    // not, as on a loaded machine): popup_closed within a second. Never both, never pending for good.
    if (error!.name === 'TimeoutError') expect(await eventNames(page)).toEqual(['open', 'timeout', 'error']);
    else {
      expect(error).toMatchObject({ name: 'PopupClosedError' });
      expect(await eventNames(page)).toEqual(['open', 'popup_closed', 'error']);
    }
    await context.close();
  });

  it('resolves a success that carries user_id and no code, as today’s Connect may answer', async () => {
    const { page, context } = await openApp(stack);
    stack.connect.next({ outcome: 'allow_user_id' });
    await clickPopup(page, { state: 'today' });
    expect(await outcomeOf(page)).toEqual({ ok: true, value: { flow: 'popup', userId: UUID, state: 'today' } });
    expect(await eventNames(page)).toEqual(['open', 'success']);
    await context.close();
  });

  it('re-authenticates a vehicle by its id, through the stand-in’s re-authentication page', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page, { reauthenticate: 'sc4a1b01e5-0497-417c-a30e-6df6ba33ba46', state: 'again' });
    await popup.click('text=Log in again');
    expect(await outcomeOf(page)).toEqual({ ok: true, value: { flow: 'popup', vehicleId: 'sc4a1b01e5-0497-417c-a30e-6df6ba33ba46', state: 'again' } });
    expect(stack.connect.requests[0]).toMatchObject({
      path: '/oauth/reauthenticate',
      response_type: 'vehicle_id',
      client_id: 'e2e-app',
      vehicle_id: 'sc4a1b01e5-0497-417c-a30e-6df6ba33ba46',
      redirect_uri: `${stack.app.origin}/connect/callback`,
    });
    await context.close();
  });

  it('re-authenticates from an AUTHENTICATION_FAILED resolution.url, and refuses one of another origin before opening', async () => {
    const { page, context } = await openApp(stack);
    const resolution = `${stack.connect.origin}/oauth/reauthenticate?response_type=vehicle_id&client_id=e2e-app&vehicle_id=v-77`;
    stack.connect.next({ outcome: 'allow' });
    await clickPopup(page, { reauthenticate: resolution });
    expect(await outcomeOf(page)).toEqual({ ok: true, value: { flow: 'popup', vehicleId: 'v-77' } });
    await page.evaluate(() => (window.nextOptions = { reauthenticate: 'https://evil.example/oauth/reauthenticate?vehicle_id=v-77' }));
    await page.click('#popup');
    const refused = await outcomeOf(page, 1);
    expect(refused.error).toMatchObject({ name: 'TypeError', message: expect.stringMatching(/^smartcar-connect: reauthenticate must be/) });
    expect(context.pages()).toHaveLength(1);
    expect(stack.connect.requests).toHaveLength(1);
    await context.close();
  });

  it('rejects with UserCancelledError when the user cancels the carmaker’s login', async () => {
    const { page, context } = await openApp(stack);
    const popup = await clickPopup(page, { state: 'oem' });
    await popup.click('text=Other outcomes');
    await popup.click("text=User cancelled at the carmaker's login");
    const { error } = await outcomeOf(page);
    expect(error).toMatchObject({ name: 'UserCancelledError', code: 'user_cancelled', state: 'oem', instanceOfOwnClass: true });
    expect(await eventNames(page)).toEqual(['open', 'user_cancelled', 'error']);
    await context.close();
  });

  it('gives error codes spelled success, open and error only the error event', async () => {
    const { page, context } = await openApp(stack);
    for (const [i, code] of ['success', 'open', 'error'].entries()) {
      stack.connect.next({ outcome: { error: code, error_description: 'odd' } });
      await clickPopup(page);
      expect((await outcomeOf(page, i)).error).toMatchObject({ name: 'ConnectError', code });
    }
    expect(await eventNames(page)).toEqual(['open', 'error', 'open', 'error', 'open', 'error']);
    await context.close();
  });

  it('resolves responseType none with a redirect URI from user_id and external_id, and sends external_id=null for null', async () => {
    const { page, context } = await openApp(stack, 'iife', { responseType: 'none' });
    stack.connect.next({ outcome: 'allow' });
    await clickPopup(page, { state: 'none', externalId: 'fleet-9' });
    expect(await outcomeOf(page)).toEqual({ ok: true, value: { flow: 'popup', userId: UUID, externalId: 'fleet-9', state: 'none' } });
    stack.connect.next({ outcome: 'allow' });
    await clickPopup(page, { externalId: null });
    expect(await outcomeOf(page, 1)).toEqual({ ok: true, value: { flow: 'popup', userId: UUID } });
    expect(stack.connect.requests.map((r) => r.external_id)).toEqual(['fleet-9', 'null']);
    await context.close();
  });

  it('leaves no listener, timer or channel behind after 30 flows in a row', async () => {
    const { page, context } = await openApp(stack);
    for (let i = 0; i < 30; i++) {
      stack.connect.next({ outcome: i % 3 === 0 ? 'access_denied' : 'allow' });
      await clickPopup(page, { state: `flow-${i}` });
      const outcome = await outcomeOf(page, i);
      expect(outcome.ok).toBe(i % 3 !== 0);
    }
    expect(await resourcesOf(page)).toEqual({ message: 0, intervals: 0, timeouts: 0, channels: 0 });
    const names = await eventNames(page);
    expect(names.filter((n) => n === 'open')).toHaveLength(30);
    expect(names.filter((n) => n === 'success')).toHaveLength(20);
    expect(names.filter((n) => n === 'access_denied')).toHaveLength(10);
    await context.close();
  });
});
