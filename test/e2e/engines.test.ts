import { describe, expect, it } from 'vitest';
import { until, type Engine } from '../../scripts/engines.mjs';
import { connectAnswer } from '../../src/testing/index';
import { TEST_VIN_MESSAGE } from '../fixtures/connect';
import { answeredAndQuiet, expectAnswerOnceEitherWay } from './either-way';
import { EACH_ENGINE, outcomeLink, useEngine } from './engine-suite';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

/**
 * Connect slow to answer the popup an extension closes at once, so that it closes on the app's blank page: the
 * stand-in can answer within the extension's 30 ms, and a popup gone moments after Connect appeared is COOP's.
 * Should the popup close before its request left, the same-window flow gets this and shows Connect's page.
 */
const SLOW_CONNECT = { outcome: 'allow', holdMs: 3_000, delayMs: 60_000 };

/** The pages the popup flows run on: the script tag (the main entry), and the popup entry as an ES module. */
const ENTRIES = [
  { page: 'app.html', title: '', popupOnly: false },
  { page: 'app-popup.html', title: ' (popup entry)', popupOnly: true },
];

describe.each(EACH_ENGINE)('flows in %s, against the Connect stand-in', (name, engine: Engine) => {
  const suite = useEngine(engine);
  const { openApp, clickPopup, click, outcomeOf, eventNames, keptAnswers } = suite;
  const test = it.skipIf(!engine.available);

  // The popup flows, in the script tag (the main entry) and on smartcar-connect-browser/popup.
  for (const entry of ENTRIES) {
    test(`resolves with code and user_id when the user allows, and the app’s state exactly${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'ünï & co' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await popup.click(outcomeLink('allow'));
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'ünï & co' } });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
    });

    test(`brings back configuration_error whole from Connect’s Error page and Exit${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 's' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=configuration_error"]'));
      await popup.evaluate(() => document.querySelector('details')!.setAttribute('open', ''));
      await popup.click(outcomeLink('configuration_error'));
      await popup.waitFor(() => !!document.getElementById('exit'));
      expect(await popup.text('#message')).toBe(TEST_VIN_MESSAGE);
      await popup.click('#exit');
      const { error } = await outcomeOf(tab);
      expect(error).toMatchObject({ name: 'ConfigurationError', statusCode: 400, errorMessage: TEST_VIN_MESSAGE, state: 's', instanceOfOwnClass: true });
    });

    test(`rejects with PopupClosedError soon after the user closes the popup${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'closing' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await new Promise((r) => setTimeout(r, 1_000));
      const closedAt = Date.now();
      await popup.close();
      const { error } = await outcomeOf(tab);
      console.log(`${name}: PopupClosedError ${Date.now() - closedAt} ms after the popup closed`);
      expect(error).toMatchObject({ name: 'PopupClosedError', state: 'closing' });
      expect(await eventNames(tab)).toEqual(['open', 'popup_closed', 'error']);
    });

    test(`ends as popup_closed when the user closes the popup while Connect is still loading${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.next({ outcome: 'allow', holdMs: 600_000 }); // Connect never answers within the test
      await click(tab, { state: 'loading' }); // some drivers report a popup only once it has loaded
      await tab.waitFor(() => !!window.lastPopup);
      await until(() => suite.connect.requests.some((q) => q.state?.endsWith('.loading')), 'the popup to be loading Connect');
      await new Promise((r) => setTimeout(r, 1_000)); // the user waits a moment for Connect, then gives up
      const closedAt = Date.now();
      await tab.evaluate(() => window.lastPopup!.close()); // the window goes, as when its ✕ is clicked
      const { error } = await outcomeOf(tab);
      console.log(`${name}: closed while loading, popup_closed ${Date.now() - closedAt} ms later`);
      expect(error).toMatchObject({ name: 'PopupClosedError', state: 'loading' });
      expect(await eventNames(tab)).toEqual(['open', 'popup_closed', 'error']);
    });

    test(`opens a new window for a click right after the user closed the popup${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const first = await clickPopup(tab, { state: 'first' });
      await first.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await tab.evaluate(() => (window.nextOptions = { state: 'second' })); // now: the click below must come soon
      await first.close();
      // A person clicks again a moment later, before the app's poll (100 ms) and grace (250 ms) end the
      // first flow; a driver's click within milliseconds of its close races the browser's own teardown.
      await new Promise((r) => setTimeout(r, 100));
      const second = await tab.popup(() => tab.click('#popup'));
      await second.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await second.click(outcomeLink('allow'));
      expect((await outcomeOf(tab, 0)).error).toMatchObject({ name: 'PopupClosedError', state: 'first' });
      expect(await outcomeOf(tab, 1)).toMatchObject({ ok: true, value: { state: 'second', code: UUID } });
      // The second window opened before the first flow ended: the click was not lost to the closing flow.
      expect(await eventNames(tab)).toEqual(['open', 'open', 'popup_closed', 'error', 'success']);
    });

    test(`settles the flow once, and closes the popup left on Connect, when the answer comes back in another tab of the app${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'handed-back' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      // A carmaker's app, or the OS, opens Connect's redirect in a new tab: no opener, the app's origin.
      // That tab may close itself as soon as the app took its answer: its load is not waited for.
      const answer = connectAnswer(await popup.url(), 'success');
      const handedBack = await suite.session.open();
      if (handedBack.navigate) handedBack.navigate(answer);
      else await handedBack.goto(answer);
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'handed-back' } });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
      await until(() => popup.closed(), 'the popup left on Connect to close');
      expect(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('smartcar-connect:kept:')))).toEqual([]);
      // That tab heard that its answer was taken: it closed, or says so where its script may not close it.
      const heard = () => handedBack.evaluate(() => document.body.textContent.includes('return to the app')).catch(() => false);
      await until(async () => (await handedBack.closed()) || heard(), 'the other tab to hear');
    });

    test(`takes a popup that an extension closes at once for a blocked one${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.next(SLOW_CONNECT);
      await tab.evaluate(() => (window.closeNextPopupAfter = 30)); // about what a blocking extension takes
      await click(tab, { state: 'extension' });
      const { error } = await outcomeOf(tab);
      expect(error).toMatchObject({ name: 'PopupBlockedError', state: 'extension' });
      expect(await eventNames(tab)).toEqual(['open', 'popup_blocked', 'error']);
    });

    test(`delivers once, late, the answer of a blocked popup the user then allows from the browser’s prompt${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      await tab.evaluate(() => (window.blockNextPopup = true));
      await click(tab, { state: 'allowed-later' });
      expect(await outcomeOf(tab)).toMatchObject({ ok: false, error: { name: 'PopupBlockedError', state: 'allowed-later' } });
      const popup = await tab.popup(() => tab.click('#allow-blocked'));
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await popup.click(outcomeLink('allow'));
      await tab.waitFor(() => window.events.some(([n]) => n === 'success'));
      const events = await tab.evaluate(() => window.events);
      expect(events.map(([n]) => n)).toEqual(['popup_blocked', 'error', 'success']);
      expect(events[2][1]).toEqual({ flow: 'popup', code: UUID, userId: UUID, state: 'allowed-later', late: true });
      await until(() => popup.closed(), 'the app to close the window it took the answer from');
      expect(await keptAnswers(tab)).toEqual([]);
    });

    test(`says nothing in an allowed popup whose flow the app no longer waits on, and delivers nothing${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      await tab.evaluate(() => (window.blockNextPopup = true));
      await click(tab, { state: 'forgotten' });
      await outcomeOf(tab);
      await tab.evaluate(() => harness.configure(JSON.parse(sessionStorage.getItem('e2e-config')!))); // a new client: the old one's flow is gone
      const popup = await tab.popup(() => tab.click('#allow-blocked'));
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await popup.click(outcomeLink('allow'));
      await popup.waitFor(() => location.pathname === '/connect/callback');
      await new Promise((r) => setTimeout(r, 3_000)); // past the callback page's moment to keep and tell (2.5 s)
      expect(await popup.evaluate(() => document.body.textContent)).not.toContain('return to the app');
      expect(await tab.evaluate(() => window.events)).toEqual([]);
      expect(await keptAnswers(tab)).toEqual([]);
    });

    if (!entry.popupOnly) {
      test('goes on in the same window with fallback: redirect when an extension closes the popup at once', async () => {
        const tab = await openApp();
        suite.connect.requests.length = 0;
        suite.connect.next(SLOW_CONNECT);
        await tab.evaluate(() => (window.closeNextPopupAfter = 30));
        await click(tab, { state: 'fallback', fallback: 'redirect' });
        await until(async () => (await tab.url()).startsWith(suite.connect.origin), 'the tab on Connect');
        expect(suite.connect.requests.at(-1)!.state).toMatch(/^[0-9a-f]{32}\.fallback$/);
      });
    }

    // How long after a click each engine still lets a page open a popup: about 5 s, 1.5-4.5 s and 1 s.
    const longerThanTheClick = engine.name === 'webkit' ? 2_000 : 6_000;

    test(`opens the popup at once for options that come after an await longer than a click allows${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'after-await', laterMs: longerThanTheClick });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'), undefined, longerThanTheClick + 20_000);
      await popup.click(outcomeLink('allow'));
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'after-await' } });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
    });

    test(`closes the popup it opened and rejects with the reason when the options fail after that await${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.requests.length = 0;
      const popup = await clickPopup(tab, { state: 'failed', laterMs: longerThanTheClick, fails: 'the server is down' });
      expect(await popup.evaluate(() => document.body.textContent)).toBe('Opening Smartcar Connect…');
      expect(await outcomeOf(tab)).toMatchObject({ ok: false, error: { name: 'Error', message: 'the server is down' } });
      await until(() => popup.closed(), 'the popup to close');
      expect(await eventNames(tab)).toEqual([]);
      expect(suite.connect.requests).toEqual([]);
    });

    test(`completes the redirect-less flow, where Connect posts its answer and closes the popup in the same moment${entry.title}`, async () => {
      const tab = await openApp({ redirectUri: null, responseType: 'none' }, entry.page);
      const popup = await clickPopup(tab, { state: 'no-redirect' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await popup.click(outcomeLink('allow'));
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', userId: UUID, state: 'no-redirect' } });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
      await until(() => popup.closed(), 'Connect to close its window');
    });

    test(`rejects with PopupBlockedError for a popup opened without a user’s click${entry.title}`, async () => {
      // The page starts the flow as it loads, and reports by itself: nothing touches it before.
      const session = await suite.newSession();
    
      suite.connect.requests.length = 0;
      const config = { clientId: 'e2e-app', redirectUri: `${suite.app.origin}/connect/callback`, connectOrigin: suite.connect.origin };
      const tab = await session.open(`${suite.app.origin}/e2e/${entry.page}?autopopup=${encodeURIComponent(JSON.stringify({ config }))}`);
      const { error } = await outcomeOf(tab);
      expect(error).toMatchObject({ name: 'PopupBlockedError', code: 'popup_blocked' });
      expect(await eventNames(tab)).toEqual(['popup_blocked', 'error']);
      expect(suite.connect.requests).toEqual([]);
    });

    // Which path a COOP cut takes depends on what the app's poll glimpsed before it (either-way.ts).
    test(`delivers the answer once when COOP cuts the popup off moments after Connect appeared${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.next({ outcome: 'allow', coopAt: 150, delayMs: 1_500 });
      await click(tab, { state: 'coop' });
      const outcome = await outcomeOf(tab);
      await tab.waitFor(answeredAndQuiet);
      const events = await tab.evaluate(() => window.events);
      console.log(`${name}: COOP moments after Connect appeared, ${expectAnswerOnceEitherWay(outcome, events, 'coop')}`);
      expect(events.find(([n]) => n === 'success')![1]).toMatchObject({ code: UUID });
    });

    test(`delivers the answer once when COOP comes on a later page: popup_closed, then the answer late${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.next({ outcome: 'allow', coopAt: 1_500, delayMs: 1_500 });
      await click(tab, { state: 'oem-login' });
      const outcome = await outcomeOf(tab);
      await tab.waitFor(answeredAndQuiet);
      const events = await tab.evaluate(() => window.events);
      console.log(`${name}: COOP on a later page, ${expectAnswerOnceEitherWay(outcome, events, 'oem-login')}`);
      expect(events.find(([n]) => n === 'success')![1]).toMatchObject({ code: UUID });
    });

    test(`rejects with OemCancelledLoginError, with Connect’s words${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      suite.connect.next({ outcome: 'oem_cancelled_login' });
      await click(tab, { state: 'oem' });
      const { error } = await outcomeOf(tab);
      expect(error).toMatchObject({ name: 'OemCancelledLoginError', description: 'The user did not complete authorization with the OEM', state: 'oem', instanceOfOwnClass: true });
      expect(await eventNames(tab)).toEqual(['open', 'oem_cancelled_login', 'error']);
    });

    // Delivery that cannot be lost: no script on the callback page, the app reloading or leaving mid-flow.
    test(`resolves from the popup’s address bar when the callback page has no script${entry.title}`, async () => {
      const tab = await openApp({ redirectUri: `${suite.app.origin}/e2e/bare-callback.html` }, entry.page);
      suite.connect.next({ outcome: 'allow' });
      await click(tab, { state: 'no script' });
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'no script' } });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
      await tab.waitFor(() => window.lastPopup!.closed); // the app closed it
    });

    test(`delivers the answer once through the events when the app reloaded while the user was in Connect${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'reloaded' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await tab.goto(`${suite.app.origin}/e2e/${entry.page}`); // the app's tab loads anew; its client knows the flow from sessionStorage
      await tab.waitFor(() => window.ready === true);
      await popup.click(outcomeLink('allow'));
      await tab.waitFor(() => window.events.some(([n]) => n === 'success'));
      const events = await tab.evaluate(() => window.events);
      expect(events).toEqual([['success', { flow: 'popup', code: UUID, userId: UUID, state: 'reloaded', late: true }]]);
      await until(() => popup.closed()); // the reloaded page took the answer and closed the window it never held
      if (!entry.popupOnly) expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: null }); // nothing kept: never twice
      expect(await keptAnswers(tab)).toEqual([]);
    });

    test(`keeps the answer while the app’s tab is on another site, and hands it over once on return${entry.title}`, async () => {
      const tab = await openApp({}, entry.page);
      const popup = await clickPopup(tab, { state: 'away' });
      await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
      await tab.goto(`${suite.connect.origin}/elsewhere`); // the user followed a link away from the app
      await popup.click(outcomeLink('allow'));
      // Nobody took it: the callback page keeps it for this origin and says so.
      await popup.waitFor(() => document.body.textContent?.includes('return to the app'));
      await tab.goto(`${suite.app.origin}/e2e/${entry.page}`);
      await tab.waitFor(() => window.ready === true);
      const late = { flow: 'popup', code: UUID, userId: UUID, state: 'away', late: true };
      if (entry.popupOnly) {
        // No handleRedirect() here: the answer comes through the events once the app listens.
        await tab.waitFor(() => window.events.some(([n]) => n === 'success'));
        expect(await tab.evaluate(() => window.events)).toEqual([['success', late]]);
      } else {
        expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: late });
        expect(await eventNames(tab)).toEqual(['success']);
      }
      await tab.goto(`${suite.app.origin}/e2e/${entry.page}`); // and on the next load, nothing
      await tab.waitFor(() => window.ready === true);
      if (!entry.popupOnly) expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: null });
      expect(await keptAnswers(tab)).toEqual([]);
    });
  }

  // Connect at the end of 2026: the battery-capacity page (answered without state) and oem_cancelled_login.
  const batteryUrl = () => `${suite.connect.origin}/battery-capacity?vehicle_id=36ab27d0-fd9d-4455-823a-ce30af709ffc&client_id=e2e-app&token=t-1&response_type=vehicle_id&redirect_uri=`;

  it.skipIf(!engine.available)('resolves the battery-capacity page’s stateless answer with selectedCapacity as a number', async () => {
    const tab = await openApp();
    const popup = await clickPopup(tab, { batteryCapacity: batteryUrl(), state: 'soh' });
    await popup.waitFor(() => !!document.querySelector('a[href*="capacity=80.9"]'));
    await popup.click('a[href*="capacity=80.9"]');
    expect(await outcomeOf(tab)).toEqual({
      ok: true,
      value: { flow: 'popup', vehicleId: '36ab27d0-fd9d-4455-823a-ce30af709ffc', selectedCapacity: 80.9, reason: 'battery_capacity', state: 'soh' },
    });
    expect(suite.connect.requests.at(-1)).toMatchObject({ path: '/battery-capacity', token: 't-1', response_type: 'vehicle_id', redirect_uri: `${suite.app.origin}/connect/callback` });
  });

  it.skipIf(!engine.available)('rejects with BatteryCapacityNoSelectionError when the owner does not know the capacity', async () => {
    const tab = await openApp();
    const popup = await clickPopup(tab, { batteryCapacity: batteryUrl(), state: 'soh' });
    await popup.waitFor(() => !!document.querySelector(`a[href*="outcome=battery_capacity_no_selection"]`));
    await popup.click(outcomeLink('battery_capacity_no_selection'));
    const { error } = await outcomeOf(tab);
    expect(error).toMatchObject({ name: 'BatteryCapacityNoSelectionError', code: 'battery_capacity_no_selection', state: 'soh', instanceOfOwnClass: true });
    expect(await eventNames(tab)).toEqual(['open', 'battery_capacity_no_selection', 'error']);
  });

  it.skipIf(!engine.available)('resolves once when the redirect URI is the app itself, whose code in the popup leaves the answer to the opener', async () => {
    const tab = await openApp({ redirectUri: `${suite.app.origin}/e2e/app.html?spa=1` });
    suite.connect.next({ outcome: 'allow' });
    await click(tab, { state: 'spa' });
    expect(await outcomeOf(tab)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: 'spa' } });
    expect(await eventNames(tab)).toEqual(['open', 'success']);
    await tab.waitFor(() => window.lastPopup!.closed);
  });

  it.skipIf(!engine.available)('completes a same-window round trip with a user_id-only success and a clean address bar', async () => {
    const back = `${suite.app.origin}/e2e/app.html?tab=cars`;
    const tab = await openApp({ redirectUri: back });
    suite.connect.next({ outcome: 'allow_user_id' });
    await tab.evaluate((o: Record<string, unknown>) => void harness.redirect(o), { state: 'same window' });
    await tab.waitFor(() => location.search.includes('user_id=') && window.ready === true);
    const outcome = await tab.evaluate(() => harness.handleRedirect());
    expect(outcome).toEqual({ ok: true, value: { flow: 'redirect', userId: UUID, state: 'same window' } });
    expect(await tab.url()).toBe(back);
  });

  it.skipIf(!engine.available)('starts a popup flow from an attached button by Enter, marks it busy, and re-authenticates', async () => {
    const tab = await openApp();
    await tab.evaluate(() => harness.attach('#attached', { reauthenticate: 'v-42', state: 'key' }));
    const popup = await tab.popup(() => tab.key('#attached', 'Enter'));
    expect(await tab.evaluate(() => document.getElementById('attached')!.getAttribute('aria-busy'))).toBe('true');
    await popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
    await popup.click(outcomeLink('allow'));
    await tab.waitFor(() => !document.getElementById('attached')!.hasAttribute('aria-busy'));
    const events = await tab.evaluate(() => window.events);
    expect(events.map(([n]) => n)).toEqual(['open', 'success']);
    expect(events[1][1]).toEqual({ flow: 'popup', vehicleId: 'v-42', state: 'key' });
  });

  it.skipIf(!engine.available)('runs the demo page: Connect’s Error page and Exit, logged as text with statusCode and errorMessage', async () => {
    const session = await suite.newSession();
    
    const tab = await session.open(`${suite.app.origin}/?connect=${encodeURIComponent(suite.connect.origin)}`);
    const popup = await tab.popup(() => tab.click('#popup'));
    await popup.waitFor(() => !!document.querySelector('a[href*="outcome=configuration_error"]'));
    await popup.evaluate(() => document.querySelector('details')!.setAttribute('open', ''));
    await popup.click(outcomeLink('configuration_error'));
    await popup.waitFor(() => !!document.getElementById('exit'));
    await popup.click('#exit');
    await tab.waitFor(() => !!document.querySelector('#log li.error'));
    const log = await tab.text('#log');
    expect(log).toContain('popup() rejected');
    expect(log).toContain('"statusCode": 400');
    expect(log).toContain(`"errorMessage": "${TEST_VIN_MESSAGE}"`);
  });

  it.skipIf(!engine.available)('recognises errors from an iframe’s own copy of the SDK with isConnectError', async () => {
    const tab = await openApp();
    const result = await tab.evaluate(async () => {
      type Api = typeof import('../../src/index');
      const frame = document.createElement('iframe');
      frame.src = '/e2e/realm.html';
      document.body.append(frame);
      await new Promise((resolve) => (frame.onload = resolve));
      const here = (window as unknown as { SmartcarConnect: Api }).SmartcarConnect;
      const there = (frame.contentWindow as unknown as { SmartcarConnect: Api }).SmartcarConnect;
      const foreign = new there.UserCancelledError();
      return [here !== there, foreign instanceof here.UserCancelledError, here.isConnectError(foreign), foreign.name];
    });
    expect(result).toEqual([true, false, true, 'UserCancelledError']);
  });
});
