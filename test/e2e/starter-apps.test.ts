import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildApp, type AppBuild, type BuildMode, type Sdk, type StarterApp } from './starter-apps/build';
import { closed, HAS_CHROMIUM, useStack, type Stack } from './stack';

// Smartcar's two React example apps, written as they are (starter-apps/*.jsx), bundled as
// react-scripts bundles them, run once on @smartcar/auth and once on the drop-in: what the user
// sees, what the app sends its server, and which Connect URLs open, side by side. Connect and
// Smartcar's hosted redirect page are routed to the stand-in, as the official SDK names them.

const CONNECT = 'https://connect.smartcar.com';
const HOSTED = 'https://javascript-sdk.smartcar.com';
const CLIENT_ID = 'starter-client';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const REDIRECTS = {
  hosted: (app: string) => `${HOSTED}/v2/redirect?app_origin=${app}`,
  'self-hosted': (app: string) => `${app}/e2e/official-redirect.html`,
} as const;
type Redirect = keyof typeof REDIRECTS;
type Scenario = 'success' | 'access_denied' | 'configuration_error' | 'the user closes the popup, then connects' | 'a double click';

/** What one run shows: the app's screen, what it asked its server, the windows it asked for, the Connect URLs that loaded, the windows. */
interface Observed {
  screen: string;
  server: string[];
  opens: number;
  connect: string[];
  popups: number;
}

interface Run {
  context: BrowserContext;
  page: Page;
  popups: Page[];
  connect: string[];
  observe(): Promise<Observed>;
}

declare global {
  var sent: string[];
  var opens: number;
}

describe.skipIf(!HAS_CHROMIUM)('Smartcar’s React apps on the drop-in, their code unchanged, beside @smartcar/auth', () => {
  const stack = useStack();
  const bundles = new Map<string, Promise<string>>();

  /** The app, bundled once per build. */
  function bundle(b: AppBuild): Promise<string> {
    const key = JSON.stringify(b);
    if (!bundles.has(key)) bundles.set(key, buildApp(b));
    return bundles.get(key)!;
  }

  /** A fresh profile with the app open: its server stubbed, Smartcar's hosts routed to the stand-in. */
  async function start(app: StarterApp, sdk: Sdk, mode: BuildMode, redirectUri: string): Promise<Run> {
    const js = await bundle({ app, sdk, mode, clientId: CLIENT_ID, redirectUri });
    const context = await stack.browser.newContext();
    const run: Run = { context, page: undefined as unknown as Page, popups: [], connect: [], observe: () => observe(run) };
    context.on('page', (p) => run.popups.push(p));
    await routeSmartcar(context, stack, run.connect);
    await context.route((url) => url.origin === stack.app.origin && url.pathname.startsWith('/starter/'), (route) =>
      route.request().url().endsWith('/app.js')
        ? route.fulfill({ body: js, contentType: 'text/javascript' })
        : route.fulfill({ body: '<!doctype html><title>App</title><div id="root"></div><script src="app.js"></script>', contentType: 'text/html' }),
    );
    await context.route((url) => url.origin === stack.app.origin && url.pathname.startsWith('/api/'), (route) => route.fulfill({ json: serverAnswer(route.request().url()) }));
    // What the app asks its server, recorded as it asks (a second onComplete would ask in the same task),
    // and how often a window is asked for.
    await context.addInitScript(() => {
      const send = window.fetch.bind(window);
      const open = window.open.bind(window);
      window.sent = [];
      window.opens = 0;
      window.fetch = (input, init) => (window.sent.push(input instanceof Request ? input.url : String(input)), send(input, init));
      window.open = (...args) => (window.opens++, open(...args));
    });
    run.page = await context.newPage();
    run.popups.length = 0;
    run.page.on('pageerror', (e) => console.error('page error:', e));
    await run.page.goto(`${stack.app.origin}/starter/`);
    await run.page.waitForSelector('#connect');
    return run;
  }

  async function observe(run: Run): Promise<Observed> {
    return {
      screen: await run.page.innerText('#root'),
      server: (await run.page.evaluate(() => window.sent)).map((url) => url.replace(UUID, '<uuid>')),
      opens: await run.page.evaluate(() => window.opens),
      connect: run.connect.map(normalConnectUrl),
      popups: run.popups.length,
    };
  }

  /** The user clicks Connect and waits for Connect's page. */
  async function openConnect(run: Run): Promise<Page> {
    const [popup] = await Promise.all([run.context.waitForEvent('page'), run.page.click('#connect')]);
    await popup.waitForSelector('text=Connect your car');
    return popup;
  }

  /** The user answers on Connect's page; the redirect page posts the answer and closes the window. */
  async function answer(popup: Page, outcome: 'allow' | 'access_denied' | 'configuration_error'): Promise<void> {
    if (outcome === 'allow') await popup.click('text=Allow');
    if (outcome === 'access_denied') await popup.click('text=Deny access');
    if (outcome === 'configuration_error') {
      await popup.click('text=Other outcomes');
      await popup.click('text=Error page, then Exit');
      await popup.click('#exit');
    }
    await closed(popup);
  }

  /** What the app shows once Connect's answer reached it. */
  const settled = (app: StarterApp, outcome: string) =>
    app === 'getting-started' ? '#vehicle' : outcome === 'allow' ? '#vehicles li' : '#error';

  const SCENARIOS: Record<Scenario, (run: Run, app: StarterApp) => Promise<void>> = {
    success: async (run: Run, app: StarterApp) => {
      await answer(await openConnect(run), 'allow');
      await run.page.waitForSelector(settled(app, 'allow'));
    },
    access_denied: async (run: Run, app: StarterApp) => {
      await answer(await openConnect(run), 'access_denied');
      await run.page.waitForSelector(settled(app, 'access_denied'));
    },
    configuration_error: async (run: Run, app: StarterApp) => {
      await answer(await openConnect(run), 'configuration_error');
      await run.page.waitForSelector(settled(app, 'configuration_error'));
    },
    'the user closes the popup, then connects': async (run: Run, app: StarterApp) => {
      const first = await openConnect(run);
      await first.close();
      await answer(await openConnect(run), 'allow');
      await run.page.waitForSelector(settled(app, 'allow'));
    },
    'a double click': async (run: Run, app: StarterApp) => {
      const [popup] = await Promise.all([run.context.waitForEvent('page'), run.page.dblclick('#connect')]);
      await popup.waitForSelector('text=Connect your car');
      await popup.waitForLoadState('load');
      await answer(popup, 'allow');
      await run.page.waitForSelector(settled(app, 'allow'));
    },
  };

  /** Where the drop-in differs from @smartcar/auth on purpose (docs/migrating-from-smartcar-auth.md), and only there. */
  function asTheDropInDoes(official: Observed, scenario: Scenario): Observed {
    const connect = official.connect.map((url) => url.replace('application_id=', 'client_id='));
    // A second click focuses the popup already open, where the official SDK asks for the same window again.
    return { ...official, connect, opens: scenario === 'a double click' ? 1 : official.opens };
  }

  for (const app of ['starter', 'getting-started'] as const) {
    for (const mode of ['development', 'production'] as const) {
      for (const redirect of Object.keys(REDIRECTS) as Redirect[]) {
        for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
          it(`${app}, ${mode} build, ${redirect} redirect page: ${scenario}`, async () => {
            const runs = await Promise.all(
              (['official', 'drop-in'] as const).map(async (sdk) => {
                const run = await start(app, sdk, mode, REDIRECTS[redirect](stack.app.origin));
                await SCENARIOS[scenario](run, app);
                const seen = await run.observe();
                await run.context.close();
                return seen;
              }),
            );
            const [official, dropIn] = runs as [Observed, Observed];
            expect(official.server.length + official.screen.length).toBeGreaterThan(0);
            expect(dropIn).toEqual(asTheDropInDoes(official, scenario));
            expectWhatTheUserSees(app, scenario, dropIn);
          });
        }
      }
    }
  }

  it('opens the official popup for a redirect page of the app’s server on another origin, and says in development that the page will not hear the answer', async () => {
    const elsewhere = `${stack.hostile.origin}/connect/callback`;
    const runs = await Promise.all(
      (['official', 'drop-in'] as const).map(async (sdk) => {
        const run = await start('starter', sdk, 'development', elsewhere);
        const warnings: string[] = [];
        run.page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
        // The app's server there takes the code and says so in the popup.
        await run.context.route(`${elsewhere}?*`, (route) => route.fulfill({ body: 'Your car is connected.', contentType: 'text/plain' }));
        const popup = await openConnect(run);
        await popup.click('text=Allow');
        await popup.waitForURL((url) => url.href.startsWith(elsewhere) && url.searchParams.has('code'));
        const seen = await run.observe();
        await run.context.close();
        return { seen, warnings };
      }),
    );
    const [official, dropIn] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(official.seen.connect).toHaveLength(1);
    expect(dropIn.seen).toEqual(official.seen);
    expect(dropIn.seen.server).toEqual([]);
    expect(dropIn.warnings.join('\n')).toMatch(/is on another origin than this page, which does not hear its answer/);
  });
});

/** Smartcar's hosts, served by the stand-in; the Connect URLs the browser asks for, recorded. */
async function routeSmartcar(context: BrowserContext, stack: Stack, connect: string[]): Promise<void> {
  await context.route(/^https:\/\/(connect|javascript-sdk)\.smartcar\.com\//, async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === CONNECT && url.pathname === '/oauth/authorize') connect.push(url.href);
    const response = await route.fetch({ url: `${stack.connect.origin}${url.pathname}${url.search}`, maxRedirects: 0 });
    await route.fulfill({ response });
  });
}

/** The app's server: a code that Connect issued exchanges for the user's vehicles; anything else, for none. */
function serverAnswer(url: string): { vehicles: { id: string; make: string; model: string }[] } {
  const code = new URL(url).searchParams.get('code') ?? '';
  return { vehicles: /^[0-9a-f-]{36}$/.test(code) ? [{ id: 'v-1', make: 'TESLA', model: 'Model 3' }] : [] };
}

/** A Connect URL with its state (a fresh one per flow) and the codes and ids Connect made up left out. */
function normalConnectUrl(href: string): string {
  const url = new URL(href);
  if (url.searchParams.has('state')) url.searchParams.set('state', '<state>');
  return url.href.replace(UUID, '<uuid>');
}

/** The observations themselves, for what a user of each app expects. */
function expectWhatTheUserSees(app: StarterApp, scenario: Scenario, seen: Observed): void {
  const connected = scenario !== 'access_denied' && scenario !== 'configuration_error';
  if (app === 'starter') {
    expect(seen.screen).toContain(connected ? 'TESLA Model 3' : scenario === 'access_denied' ? 'User denied access' : 'Unexpected error: configuration_error');
    expect(seen.server).toEqual(connected ? ['/api/exchange?code=<uuid>'] : []);
    expect(seen.connect.every((u) => u.includes('make=TESLA') && u.includes('single_select=false') && u.includes('approval_prompt=force'))).toBe(true);
  } else {
    expect(seen.screen).toBe(connected ? 'TESLA Model 3' : 'No vehicle');
    // The app's own defect, as on @smartcar/auth: an error's code goes to the server as "null".
    expect(seen.server).toEqual([connected ? '/api/exchange?code=<uuid>' : '/api/exchange?code=null']);
  }
  expect([seen.opens, seen.popups]).toEqual(scenario === 'the user closes the popup, then connects' ? [2, 2] : [1, 1]);
}
