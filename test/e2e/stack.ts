import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startApp } from '../../demo/app-server.mjs';
import { startConnectStandIn as startConnect } from '../../src/testing/server';

import { CHROMIUM, HAS_CHROMIUM, launchChromium } from '../../scripts/chromium.mjs';

export { HAS_CHROMIUM, launchChromium };

if (!HAS_CHROMIUM) {
  if (process.env.CI) throw new Error(`CI must run the browser tests, but there is no Chromium at ${CHROMIUM}.`);
  console.warn(
    `\n!!! Browser tests SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      '!!! Enable them with: apt-get update && apt-get install -y chromium   (or set CHROMIUM_PATH)\n',
  );
}

/** Three loopback origins: the app (with its callback page), Connect's stand-in, and a hostile third party. */
export interface Stack {
  app: { origin: string; close(): Promise<void> };
  connect: Awaited<ReturnType<typeof startConnect>>;
  hostile: { origin: string; close(): Promise<void> };
  browser: Browser;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const connect = await startConnect({ host: '127.0.0.1' });
  const hostile = await startApp({ host: '127.0.0.1' });
  const app = await startApp({ host: 'localhost', connectOrigin: connect.origin, frameOrigin: hostile.origin });
  const browser = await launchChromium();
  return {
    app,
    connect,
    hostile,
    browser,
    async close() {
      await browser.close();
      await Promise.all([app.close(), connect.close(), hostile.close()]);
    },
  };
}

/** The stack for the enclosing describe block: started before its tests, closed after them. */
export function useStack(): Stack {
  const stack = {} as Stack;
  beforeAll(async () => {
    Object.assign(stack, await startStack());
  });
  afterAll(async () => {
    await stack.close?.();
  });
  return stack;
}

export type Build = 'iife' | 'esm';

/** Opens the test app page with the built package, and a client configured against the stand-in. */
export async function openApp(stack: Stack, build: Build = 'iife', config: Record<string, unknown> = {}) {
  const context: BrowserContext = await stack.browser.newContext();
  const page: Page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${stack.app.origin}/e2e/${build === 'iife' ? 'app.html' : 'app-esm.html'}`);
  await page.waitForFunction(() => window.ready === true);
  await page.evaluate((options) => harness.configure(options), {
    clientId: 'e2e-app',
    redirectUri: `${stack.app.origin}/connect/callback`,
    connectOrigin: stack.connect.origin,
    scope: ['read_vehicle_info', 'required:read_odometer'],
    mode: 'test',
    ...config,
  });
  return { context, page };
}

/** The page's driver (see pages/driver.js). */
export interface Harness {
  configure(options: Record<string, unknown>): void;
  popup(): number;
  abort(reason?: string): void;
  destroy(): void;
  redirect(options?: Record<string, unknown>): Promise<Outcome>;
  handleRedirect(url?: string): Promise<Outcome>;
  attach(target: string, options?: Record<string, unknown>): void;
  detach(): void;
}

/** Frames `url` into `page`, and returns that frame once it has loaded. */
export async function frameInto(page: Page, url: string): Promise<Frame> {
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
    return new Promise((resolve) => (frame.onload = resolve));
  }, url);
  return page.frames().find((f) => f.url().startsWith(url))!;
}

/** Frames a page of the hostile third origin into the app page, and returns that frame. */
export const frameHostile = (page: Page, stack: Stack): Promise<Frame> => frameInto(page, `${stack.hostile.origin}/e2e/hostile.html`);

/** Resolves once the popup window is gone, whether it closed before or after the call. */
export async function closed(popup: Page): Promise<void> {
  if (!popup.isClosed()) await popup.waitForEvent('close');
}

/** Sets the next flow's options, clicks the button and returns the popup window's page. */
export async function clickPopup(page: Page, options: Record<string, unknown> = {}): Promise<Page> {
  await page.evaluate((o) => (window.nextOptions = o), options);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
  return popup;
}

export interface Outcome {
  ok: boolean;
  value?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

/** Waits for flow number `n` of this page to settle, and returns what it settled with. */
export async function outcomeOf(page: Page, n = 0): Promise<Outcome> {
  await page.waitForFunction((i) => window.outcomes[i] !== undefined, n, { timeout: 20_000 });
  return page.evaluate((i) => window.outcomes[i], n);
}

export const eventsOf = (page: Page) => page.evaluate(() => window.events);
export const eventNames = async (page: Page) => (await eventsOf(page)).map(([name]) => name);

export const resourcesOf = (page: Page): Promise<Record<string, number>> => page.evaluate(() => liveResources());
