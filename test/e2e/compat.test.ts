import { describe, expect, it } from 'vitest';
import type { Engine, Tab } from '../../scripts/engines.mjs';
import { TEST_VIN_MESSAGE } from '../fixtures/connect';
import { EACH_ENGINE, outcomeLink, useEngine } from './engine-suite';

// An app written as @smartcar/auth's README quick start says, on dist/compat.min.js, with the two
// redirect pages an official app may have on its own origin: the official redirect.js, and this
// SDK's callback.min.js.

interface Completion {
  error: null | { name: string; message: string; code: string; statusCode?: number; errorMessage?: string; vehicleInfo?: unknown; isConnectError: boolean; ownClass: boolean };
  code?: string;
  state?: string;
  userId?: string;
}
declare global {
  var completions: Completion[];
  var forgerDone: true | undefined;
  function officialState(state: string): string;
}

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const DESCRIPTION = 'There has been an error in the configuration of your application.';
const REDIRECT_PAGES = { callback: 'callback.min.js', 'redirect-js': 'the official redirect.js' };

describe.each(EACH_ENGINE)('the @smartcar/auth drop-in in %s, an official app’s code unchanged', (name, engine: Engine) => {
  const suite = useEngine(engine);
  const test = it.skipIf(!engine.available);

  async function openApp(redirect: string): Promise<Tab> {
    const session = await suite.newSession();
    const tab = await session.open(`${suite.app.origin}/e2e/compat.html?redirect=${redirect}&connect=${encodeURIComponent(suite.connect.origin)}`);
    await tab.waitFor(() => window.ready === true);
    return tab;
  }
  /** The user clicks the app's button and Connect answers with `outcome`: what onComplete got. */
  async function answer(tab: Tab, outcome: string, button = '#connect-car'): Promise<Completion[]> {
    suite.connect.next({ outcome });
    await tab.click(button);
    await tab.waitFor(() => window.completions.length > 0);
    return tab.evaluate(() => window.completions);
  }

  for (const [redirect, page] of Object.entries(REDIRECT_PAGES)) {
    test(`success reaches onComplete(null, code, state, …) through ${page}`, async () => {
      const tab = await openApp(redirect);
      expect(await answer(tab, 'allow')).toEqual([{ error: null, code: UUID, state: 'user-42', userId: UUID }]);
    });

    test(`access_denied and vehicle_incompatible arrive as the official classes through ${page}`, async () => {
      const tab = await openApp(redirect);
      const [denied] = await answer(tab, 'access_denied');
      expect(denied.error).toMatchObject({ name: 'AccessDenied', code: 'access_denied', message: 'User denied access to application.', ownClass: true, isConnectError: true });
      await tab.evaluate(() => void (window.completions.length = 0));
      const [incompatible] = await answer(tab, 'vehicle_incompatible');
      expect(incompatible.error).toMatchObject({ name: 'VehicleIncompatible', code: 'vehicle_incompatible', vehicleInfo: { vin: '0SCAUDI012FE3B132', make: 'AUDI', year: 2019, model: 'A4' }, ownClass: true });
    });

    test(`passes code and userId beside an error as @smartcar/auth does, through ${page}`, async () => {
      const tab = await openApp(redirect);
      suite.connect.next({ outcome: { error: 'access_denied', error_description: 'User denied access to application.', code: 'c-beside', user_id: 'u-beside' } });
      await tab.click('#connect-car');
      await tab.waitFor(() => window.completions.length > 0);
      const [denied] = await tab.evaluate(() => window.completions);
      expect(denied).toMatchObject({ error: { name: 'AccessDenied', ownClass: true }, code: 'c-beside', state: 'user-42', userId: 'u-beside' });
    });

    test(`configuration_error arrives typed through ${page}${redirect === 'callback' ? ', with statusCode and errorMessage' : ' (whose message drops statusCode and errorMessage)'}`, async () => {
      const tab = await openApp(redirect);
      const [{ error, state }] = (await answer(tab, 'configuration_error')) as [Completion];
      expect(error).toMatchObject({ name: 'ConfigurationError', code: 'configuration_error', message: `Unexpected error: configuration_error - ${DESCRIPTION}`, ownClass: true, isConnectError: true });
      expect(state).toBe('user-42');
      if (redirect === 'callback') expect(error).toMatchObject({ statusCode: 400, errorMessage: TEST_VIN_MESSAGE });
      else {
        // redirect.js's message carries neither; the popup's address bar, when the app reads it
        // first (a busy machine), carries both. WebDriver gives undefined as null.
        expect([[null, null], [400, TEST_VIN_MESSAGE]]).toContainEqual([error!.statusCode ?? null, error!.errorMessage ?? null]);
      }
    });
  }

  test('answers a URL of getAuthUrl() the app opens itself, as the official SDK does', async () => {
    const tab = await openApp('callback');
    expect(await answer(tab, 'allow', '#self')).toEqual([{ error: null, code: UUID, state: 'self', userId: UUID }]);
  });

  test('never calls onComplete for a SmartcarAuthMessage forged by a third-party frame, with either flow’s state', async () => {
    const tab = await openApp('callback');
    suite.connect.requests.length = 0;
    const popup = await tab.popup(() => tab.click('#connect-car'));
    await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
    const forged = [
      { name: 'SmartcarAuthMessage', code: 'forged', state: suite.connect.requests[0].state },
      { name: 'SmartcarAuthMessage', code: 'forged', state: await tab.evaluate(() => officialState('user-42')) },
      { type: 'smartcar-connect:response', version: 1, search: `?code=forged&state=${encodeURIComponent(suite.connect.requests[0].state)}` },
    ];
    await tab.evaluate((src: string) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, `${suite.hostile.origin}/e2e/forger.html#${encodeURIComponent(JSON.stringify(forged))}`);
    await tab.waitFor(() => window.forgerDone === true);
    expect(await tab.evaluate(() => window.completions)).toEqual([]);
    await popup.click(outcomeLink('allow'));
    await tab.waitFor(() => window.completions.length > 0);
    const [real] = await tab.evaluate(() => window.completions);
    expect(real).toEqual({ error: null, code: UUID, state: 'user-42', userId: UUID });
    expect(real.code).not.toBe('forged');
    console.log(`${name}: forged messages ignored, the real answer taken`);
  });
});
