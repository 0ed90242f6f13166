import type { BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { frameInto, HAS_CHROMIUM, outcomeOf, useStack, type Outcome, type Stack } from './stack';

// Where apps run, in Chromium: in-app browsers and installed web apps (by their user agent and
// navigator.standalone), other providers' redirects on the app's pages, and the app in a frame.

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

describe.skipIf(!HAS_CHROMIUM)('wherever the app runs, in Chromium', () => {
  const stack = useStack();

  /** The e2e app page in a context of its own (a user agent, an init script), configured against the stand-in. */
  async function appIn(options: { userAgent?: string; standalone?: boolean; path?: string } = {}) {
    const context = await stack.browser.newContext(options.userAgent ? { userAgent: options.userAgent } : {});
    if (options.standalone) await context.addInitScript(() => Object.defineProperty(navigator, 'standalone', { value: true }));
    const page = await context.newPage();
    await page.goto(`${stack.app.origin}${options.path ?? '/e2e/app.html'}`);
    await page.waitForFunction(() => window.ready === true);
    await configure(page);
    return { context, page };
  }

  const configure = (target: Page | Frame) =>
    target.evaluate(
      (o) => harness.configure(o),
      { clientId: 'e2e-app', redirectUri: `${stack.app.origin}/connect/callback`, connectOrigin: stack.connect.origin, mode: 'test' },
    );

  const click = async (target: Page | Frame, options: Record<string, unknown>) => {
    await target.evaluate((o) => (window.nextOptions = o), options);
    await target.click('#popup');
  };

  describe('where a popup cannot come back', () => {
    for (const [what, options] of [
      ['Instagram’s in-app browser', { userAgent: `${IPHONE} Instagram 356.0.0.20.95 (iPhone15,2; iOS 18_1; en_US)` }],
      ['a web app installed on the iOS home screen', { userAgent: `${IPHONE} Safari/604.1`, standalone: true }],
    ] as const) {
      it(`rejects popup() in ${what} with a PopupBlockedError that says why, opening nothing`, async () => {
        const { context, page } = await appIn(options);
        const opened: Page[] = [];
        context.on('page', (p) => opened.push(p));
        await click(page, { state: 'there' });
        const { error } = await outcomeOf(page);
        expect(error).toMatchObject({ name: 'PopupBlockedError', state: 'there' });
        expect(error!.description).toMatch(/^Popups cannot come back to the app in (the in-app browser of Instagram|a web app installed on the home screen): use the same-window flow/);
        expect(opened).toEqual([]);
        await context.close();
      });

      it(`goes the same-window way at once in ${what} with fallback: redirect, and comes back with the answer`, async () => {
        const { context, page } = await appIn(options);
        stack.connect.next({ outcome: 'allow' });
        await page.evaluate((o) => harness.configure(o), spa(stack));
        await click(page, { state: 'same-window', fallback: 'redirect' });
        await page.waitForURL(/\/e2e\/app\.html\?spa=?$/); // back from Connect: the page read and cleaned its answer
        await page.waitForFunction(() => window.loadOutcome !== undefined);
        expect(await page.evaluate(() => window.loadOutcome)).toEqual({ ok: true, value: { flow: 'redirect', code: UUID, userId: UUID, state: 'same-window' } });
        await context.close();
      });
    }
  });

  describe('other providers’ redirects on the app’s pages', () => {
    for (const query of ['?code=ac_1Q2w3E4r5T&state=stripe-csrf-token', '?error=access_denied&state=slack', '?code=481516']) {
      it(`leaves ${query} alone: handleRedirect() resolves null, emits nothing, keeps the address bar`, async () => {
        const { context, page } = await appIn({ path: `/e2e/app.html${query}` });
        expect(await page.evaluate(() => harness.handleRedirect())).toEqual({ ok: true, value: null });
        expect(await page.evaluate(() => window.events)).toEqual([]);
        expect(new URL(page.url()).search).toBe(query);
        await context.close();
      });
    }

    for (const framework of ['react', 'vue']) {
      it(`${framework}: useConnect leaves another provider’s ?code&state alone on mount`, async () => {
        const context = await stack.browser.newContext();
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        const query = `?connectOrigin=${encodeURIComponent(stack.connect.origin)}&code=ac_1Q2w3E4r5T&state=stripe-csrf-token`;
        await page.goto(`${stack.app.origin}/examples/${framework}/index.html${query}`);
        await page.getByRole('button', { name: 'Connect your car' }).waitFor();
        await page.evaluate(() => new Promise((r) => setTimeout(r, 0))); // the mount's reading ran
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(new URL(page.url()).search).toBe(query);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  });

  describe('the app in a frame', () => {
    /** The app page framed by a page of its own origin, or of another site (a dealer portal, a partner's dashboard). */
    async function framedApp(site: 'same-origin' | 'cross-site'): Promise<{ context: BrowserContext; page: Page; frame: Frame }> {
      // bypassCSP: the other site's page may frame the app here as a portal's would.
      const context = await stack.browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${site === 'same-origin' ? stack.app.origin : stack.hostile.origin}/e2e/hostile.html`);
      const frame = await frameInto(page, `${stack.app.origin}/e2e/app.html`);
      await frame.waitForFunction(() => window.ready === true);
      await configure(frame);
      return { context, page, frame };
    }

    for (const site of ['same-origin', 'cross-site'] as const) {
      it(`runs the popup flow from a ${site} frame`, async () => {
        const { context, page, frame } = await framedApp(site);
        const [popup] = await Promise.all([context.waitForEvent('page'), click(frame, { state: `framed-${site}` })]);
        await popup.click('text=Allow');
        expect(await outcomeIn(frame)).toEqual({ ok: true, value: { flow: 'popup', code: UUID, userId: UUID, state: `framed-${site}` } });
        expect(page.url()).toMatch(/\/e2e\/hostile\.html$/);
        await context.close();
      });

      it(`never sends a ${site} frame to Connect: redirect() and fallback: redirect reject with an InvalidStateError naming the popup flow`, async () => {
        const { context, frame } = await framedApp(site);
        const refused = await frame.evaluate(() => harness.redirect({ state: 'framed' }));
        expect(refused).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
        expect(String(refused.error!.message)).toContain('Use popup() from a click, or url() and navigate the top window yourself');
        await frame.evaluate(() => (window.blockNextPopup = true));
        await click(frame, { state: 'framed', fallback: 'redirect' });
        expect(await outcomeIn(frame)).toMatchObject({ ok: false, error: { name: 'InvalidStateError' } });
        expect(frame.url()).toBe(`${stack.app.origin}/e2e/app.html`);
        expect(stack.connect.requests.filter((r) => r.state?.endsWith('.framed'))).toEqual([]);
        await context.close();
      });
    }

    it('in a cross-site frame denied storage, a popup cut off by COOP ends as popup_closed, and its answer still comes late by channel', async () => {
      const { context, frame } = await framedApp('cross-site');
      // Connect shows its first page, then a carmaker's login served with COOP cuts the popup off; the
      // callback page, top-level on the app's origin, has no opener and speaks on the channel.
      stack.connect.next({ outcome: 'allow', coopAt: 1_500, delayMs: 500 });
      await click(frame, { state: 'partitioned' });
      expect(await outcomeIn(frame)).toMatchObject({ ok: false, error: { name: 'PopupClosedError', state: 'partitioned' } });
      // The frame has no sessionStorage or localStorage here (Chromium denies them to a cross-site
      // frame): no kept answer can reach it, but the channel does.
      await frame.waitForFunction(() => window.events.some(([n]) => n === 'success'), undefined, { timeout: 20_000 });
      const events = await frame.evaluate(() => window.events);
      expect(events.map(([n]) => n)).toEqual(['open', 'popup_closed', 'error', 'success']);
      expect(events[3][1]).toEqual({ flow: 'popup', code: UUID, userId: UUID, state: 'partitioned', late: true });
      await context.close();
    });
  });
});

/** The same-window flow's return to the app page, which reads its answer on load (`?spa`). */
const spa = (stack: Stack) => ({ clientId: 'e2e-app', redirectUri: `${stack.app.origin}/e2e/app.html?spa`, connectOrigin: stack.connect.origin, mode: 'test' });

/** Waits for the frame's first flow to settle. */
async function outcomeIn(frame: Frame): Promise<Outcome> {
  await frame.waitForFunction(() => window.outcomes[0] !== undefined, undefined, { timeout: 20_000 });
  return frame.evaluate(() => window.outcomes[0]);
}
