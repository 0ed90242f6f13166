import { afterAll, afterEach, beforeAll } from 'vitest';
import { startApp } from '../../demo/app-server.mjs';
import { ENGINES, launch, type Engine, type Tab } from '../../scripts/engines.mjs';
import { startConnectStandIn as startConnect } from '../../src/testing/server';
import { startElsewhere } from './elsewhere';
import type { Outcome } from './stack';

const missing = ENGINES.filter((e) => !e.available);
if (missing.length) {
  const names = missing.map((e) => e.name).join(', ');
  if (process.env.CI) throw new Error(`CI must run the browser tests in every engine, but ${names} is missing.`);
  console.warn(`\n!!! Browser tests SKIPPED in ${names}.\n!!! Enable them with: apt-get update && ${missing.map((e) => e.install).join(' && ')}\n`);
}

/** Each engine as `describe.each` takes it. */
export const EACH_ENGINE = ENGINES.map((e) => [e.name, e] as const);

/** The stand-in's links, by the outcome they finish with (CSS selectors work in every driver). */
export const outcomeLink = (name: string) => `a[href*="outcome=${name}"]`;

/**
 * For the enclosing describe block of one engine: the app, Connect's stand-in, another site and a third party,
 * the browser, a fresh profile per test (closed after it), and what the tests do with the app.
 */
export function useEngine(engine: Engine) {
  const suite = {
    browser: undefined as unknown as Awaited<ReturnType<typeof launch>>,
    connect: undefined as unknown as Awaited<ReturnType<typeof startConnect>>,
    app: undefined as unknown as Awaited<ReturnType<typeof startApp>>,
    elsewhere: undefined as unknown as Awaited<ReturnType<typeof startElsewhere>>,
    /** A third party's origin, which the app's pages may frame. */
    hostile: undefined as unknown as Awaited<ReturnType<typeof startApp>>,
    session: undefined as unknown as Awaited<ReturnType<Awaited<ReturnType<typeof launch>>['session']>>,
    /** A fresh profile, closed after the test. */
    newSession: async () => {
      suite.session = await suite.browser.session();
      sessions.push(suite.session);
      return suite.session;
    },
    /** A fresh profile with the e2e app page open and a client configured against the stand-in. */
    openApp: async (config: Record<string, unknown> = {}, page = 'app.html'): Promise<Tab> => {
      await suite.newSession();
      const tab = await suite.session.open(`${suite.app.origin}/e2e/${page}`);
      await tab.waitFor(() => window.ready === true);
      await tab.evaluate((o: Record<string, unknown>) => harness.configure(o), {
        clientId: 'e2e-app',
        redirectUri: `${suite.app.origin}/connect/callback`,
        connectOrigin: suite.connect.origin,
        mode: 'test',
        ...config,
      });
      return tab;
    },
    /** Sets the next flow's options, clicks the app's button like a user, and returns the popup. */
    clickPopup: async (tab: Tab, options: Record<string, unknown> = {}): Promise<Tab> => {
      await tab.evaluate((o: Record<string, unknown>) => (window.nextOptions = o), options);
      return tab.popup(() => tab.click('#popup'));
    },
    /** Sets the next flow's options and clicks the app's button, without waiting for the driver's view of the popup. */
    click: async (tab: Tab, options: Record<string, unknown>) => {
      await tab.evaluate((o: Record<string, unknown>) => (window.nextOptions = o), options);
      await tab.click('#popup');
    },
    outcomeOf: async (tab: Tab, n = 0): Promise<Outcome> => {
      await tab.waitFor((i: number) => window.outcomes[i] !== undefined, n);
      return tab.evaluate((i: number) => window.outcomes[i], n);
    },
    eventNames: (tab: Tab) => tab.evaluate(() => window.events.map(([n]) => n)),
    /** The answers the callback page kept in this origin's localStorage. */
    keptAnswers: (tab: Tab) => tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('smartcar-connect:kept:'))),
  };
  const sessions: { close(): Promise<unknown>; steps?: () => string[] }[] = [];

  beforeAll(async () => {
    if (!engine.available) return;
    suite.connect = await startConnect({ host: '127.0.0.1' });
    suite.hostile = await startApp({ host: '127.0.0.1' });
    suite.app = await startApp({ host: 'localhost', connectOrigin: suite.connect.origin, frameOrigin: suite.hostile.origin });
    suite.elsewhere = await startElsewhere();
    suite.browser = await launch(engine);
  }, 60_000);
  // Each test's profile ends with it (WebKitWebDriver runs one session at a time).
  // A failed test prints what the driver was doing (WebKitWebDriver keeps a log of its steps).
  afterEach(async (context) => {
    const ended = sessions.splice(0);
    if (context.task.result?.state === 'fail') {
      for (const s of ended) if (s.steps) console.log(`${engine.name} driver steps, ${context.task.name}:\n  ${s.steps().join('\n  ')}`);
    }
    await Promise.all(ended.map((s) => s.close()));
    await fetch(`${suite.connect.origin}/__control`, { method: 'DELETE' }); // an outcome a test queued and left unused
  });
  afterAll(async () => {
    await suite.browser?.close();
    await Promise.all([suite.app?.close(), suite.connect?.close(), suite.elsewhere?.close(), suite.hostile?.close()]);
  });
  return suite;
}
