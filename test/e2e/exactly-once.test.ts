import { describe, expect, it } from 'vitest';
import { until, type Engine, type Tab } from '../../scripts/engines.mjs';
import { answeredAndQuiet, expectAnswerOnceEitherWay } from './either-way';
import { EACH_ENGINE, outcomeLink, useEngine } from './engine-suite';

// A user's answer reaches the app exactly once, whatever the browser does to the popup and to the
// app's tab mid-flow: navigate one of them itself (a typed URL), leave and come back, keep the page
// in the back/forward cache, or copy the tab. Which route carries the answer differs by engine
// (docs/browsers.md); each test checks what the app may count on: once, with its state.

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const SUCCESS = (state: string, late?: true) => ({ flow: 'popup', code: UUID, userId: UUID, state, ...(late && { late }) });

describe.each(EACH_ENGINE)('exactly once in %s, whatever the browser does', (name, engine: Engine) => {
  const suite = useEngine(engine);
  const { openApp, clickPopup, outcomeOf, eventNames, keptAnswers } = suite;
  const test = it.skipIf(!engine.available);

  const consent = (popup: Tab) => popup.waitFor(() => !!document.querySelector('a[href*="outcome=allow"]'));
  /** The callback page kept the answer, nobody took it, and it told the user so. */
  const saysDone = (popup: Tab) => popup.waitFor(() => document.body.textContent?.includes('return to the app'));
  const on = (tab: Tab, origin: string) => until(async () => (await tab.url()).startsWith(origin), `the tab on ${origin}`);
  /** The app's tab leaves for `url`: by a typed URL (the browser starts it) or by the page's own `location.href`. */
  const leave = (tab: Tab, how: string, url: string) =>
    how === 'typed' ? tab.navigate!(url) : tab.evaluate((u: string) => void (location.href = u), url);
  /** The copy of the tab started with the original's popup flow in its sessionStorage (as every engine copies it). */
  const expectCopied = async (copy: Tab) => expect(await copy.evaluate(() => window.rememberedAtLoad)).toContain('"nonce":');
  // WebKitWebDriver waits for every navigation it starts, so there the page starts them.
  const HOWS = engine.name === 'webkit' ? ['page'] : ['typed', 'page'];

  test('delivers once when the browser itself navigates the popup to another site mid-flow (a typed URL, a carmaker’s app)', async () => {
    const tab = await openApp();
    const popup = await clickPopup(tab, { state: 'typed' });
    await consent(popup);
    // Chromium puts the popup in a new browsing context group here: the callback page has no opener,
    // while the app's handle still says the window is open.
    await popup.goto(`${suite.elsewhere.origin}/oem?back=${encodeURIComponent(await popup.url())}`);
    await popup.click('#back');
    await consent(popup);
    await popup.click(outcomeLink('allow'));
    expect(await outcomeOf(tab)).toEqual({ ok: true, value: SUCCESS('typed') });
    expect(await eventNames(tab)).toEqual(['open', 'success']);
    await until(() => popup.closed(), 'the popup to close'); // by the app, or by itself once the app said it took the answer
    expect(await keptAnswers(tab)).toEqual([]);
  });

  for (const how of HOWS) {
    test(`keeps the answer when the app’s tab leaves (${how === 'typed' ? 'a typed URL' : 'the page’s own navigation'}) as it comes, and hands it over once on return`, async () => {
      const tab = await openApp();
      const popup = await clickPopup(tab, { state: 'away' });
      await consent(popup);
      // The other site is slow to answer: the app's page runs on, leaving, while the answer comes.
      await leave(tab, how, `${suite.elsewhere.origin}/page?ms=3000`);
      await popup.click(outcomeLink('allow'));
      await saysDone(popup); // the leaving page took nothing
      await on(tab, suite.elsewhere.origin);
      await tab.goto(`${suite.app.origin}/e2e/app.html`);
      await tab.waitFor(() => window.ready === true);
      expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: SUCCESS('away', true) });
      expect(await eventNames(tab)).toEqual(['success']);
      expect(await keptAnswers(tab)).toEqual([]);
    });

    test(`takes the answer after all when a navigation never unloads the page (${how === 'typed' ? 'typed' : 'the page’s own'}: a 204, as a download or a mailto: link)`, async () => {
      const tab = await openApp();
      const popup = await clickPopup(tab, { state: 'stayed' });
      await consent(popup);
      await leave(tab, how, `${suite.elsewhere.origin}/no-content`);
      await popup.click(outcomeLink('allow'));
      expect(await outcomeOf(tab)).toEqual({ ok: true, value: SUCCESS('stayed') });
      expect(await eventNames(tab)).toEqual(['open', 'success']);
      await until(() => popup.closed(), 'the popup to close');
      expect(await keptAnswers(tab)).toEqual([]);
    });
  }

  for (const severed of engine.name === 'chromium' ? [false, true] : [false]) {
    test(`delivers once when the app’s tab leaves and comes back through its history${severed ? ', its popup cut off by the browser' : ''} (from the back/forward cache where the engine keeps the page)`, async () => {
      const tab = await openApp();
      const popup = await clickPopup(tab, { state: 'history' });
      await consent(popup);
      if (severed) {
        // Chromium keeps no page with a popup of its own in the cache; one the browser cut off, it does.
        await popup.goto(`${suite.elsewhere.origin}/oem?back=${encodeURIComponent(await popup.url())}`);
        await popup.click('#back');
        await consent(popup);
      }
      await tab.goto(`${suite.elsewhere.origin}/page`);
      await popup.click(outcomeLink('allow'));
      await saysDone(popup);
      await tab.evaluate(() => void history.back());
      await on(tab, suite.app.origin);
      await tab.waitFor(() => window.ready === true);
      if (await tab.evaluate(() => window.restored === true)) {
        // The same page, back: its flow takes what was kept, and its promise resolves.
        expect(await outcomeOf(tab)).toEqual({ ok: true, value: SUCCESS('history') });
        expect(await eventNames(tab)).toEqual(['open', 'success']);
        await until(() => popup.closed(), 'the popup to close');
        console.log(`${name}: back from the back/forward cache${severed ? ' (popup cut off)' : ''}`);
      } else {
        expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: SUCCESS('history', true) });
        expect(await eventNames(tab)).toEqual(['success']);
        console.log(`${name}: loaded anew from history${severed ? ' (popup cut off)' : ''}`);
      }
      expect(await keptAnswers(tab)).toEqual([]);
    });
  }

  test('delivers once, to the tab that started the flow, when a copy of that tab is open (Duplicate tab) and the answer comes by channel (COOP)', async () => {
    const tab = await openApp();
    suite.connect.next({ outcome: 'allow', coop: true, delayMs: 1_500 });
    await clickPopup(tab, { state: 'original' }); // the popup first, so the copy is the next window
    const copy = await tab.popup(() => tab.click('#duplicate'));
    await copy.waitFor(() => window.ready === true);
    await expectCopied(copy);
    const outcome = await outcomeOf(tab);
    await tab.waitFor(answeredAndQuiet);
    console.log(`${name}: a copy of the tab beside it, ${expectAnswerOnceEitherWay(outcome, await tab.evaluate(() => window.events), 'original')}`);
    expect(await copy.evaluate(() => window.events)).toEqual([]);
    expect(await keptAnswers(tab)).toEqual([]);
  });

  test('leaves a kept answer to the tab that started the flow, not to a copy of it, while that tab was away', async () => {
    const tab = await openApp();
    const popup = await clickPopup(tab, { state: 'mine' });
    await consent(popup);
    const copy = await tab.popup(() => tab.click('#duplicate'));
    await copy.waitFor(() => window.ready === true);
    await expectCopied(copy);
    // The copy finds the flow held by the tab that started it, and forgets its copy of the record.
    await copy.waitFor(() => !sessionStorage.getItem('smartcar-connect:popups'));
    await tab.goto(`${suite.elsewhere.origin}/page`);
    await popup.click(outcomeLink('allow'));
    await saysDone(popup);
    expect(await copy.evaluate(() => window.events)).toEqual([]);
    await tab.goto(`${suite.app.origin}/e2e/app.html`);
    await tab.waitFor(() => window.ready === true);
    expect(await tab.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: SUCCESS('mine', true) });
    expect(await copy.evaluate(() => window.events)).toEqual([]);
    expect(await keptAnswers(tab)).toEqual([]);
  });
});
