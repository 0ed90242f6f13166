// The three browser engines the e2e tests run in, each driven by what works with Debian's build:
// Chromium and Firefox ESR through puppeteer-core (CDP and WebDriver BiDi), WebKitGTK through
// selenium-webdriver and WebKitWebDriver under Xvfb. Nothing here downloads a browser or a driver.
//
// Every engine gives the same small interface: a session per test (its own profile or context),
// tabs that evaluate functions, click like a user, and hand back the popup a click opens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import puppeteer from 'puppeteer-core';
import { Builder, By, Key } from 'selenium-webdriver';
import { CHROMIUM } from './chromium.mjs';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Each engine: where it is, how to install it, and whether this machine has it. */
export const ENGINES = [
  { name: 'chromium', binary: CHROMIUM, install: 'apt-get install -y chromium' },
  { name: 'firefox', binary: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', install: 'apt-get install -y firefox-esr' },
  { name: 'webkit', binary: '/usr/bin/WebKitWebDriver', install: 'apt-get install -y webkit2gtk-driver xvfb' },
].map((engine) => ({
  ...engine,
  available: existsSync(engine.binary) && (engine.name !== 'webkit' || (existsSync(MINIBROWSER) && existsSync('/usr/bin/xvfb-run'))),
}));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or fails after `timeout` ms with `what`. A probe stuck for 5 s counts as not yet. */
export async function until(check, what = check.toString(), timeout = 20_000) {
  const end = Date.now() + timeout;
  for (;;) {
    let timer;
    const stuck = new Promise((resolve) => (timer = setTimeout(() => resolve(false), 5_000)));
    const ok = await Promise.race([check(), stuck]);
    clearTimeout(timer);
    if (ok) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A function and its argument, as source that any driver can run in the page. */
const call = (fn, arg) => `return (${fn.toString()})(${JSON.stringify(arg ?? null)});`;

// ---------------------------------------------------------------- puppeteer (Chromium, Firefox)

async function launchPuppeteer(engine) {
  const chrome = engine.name === 'chromium';
  const browser = await puppeteer.launch({
    browser: chrome ? 'chrome' : 'firefox',
    executablePath: engine.binary,
    headless: true,
    args: chrome ? ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] : [],
    // puppeteer turns the popup blocker off; users have it on.
    ignoreDefaultArgs: chrome ? ['--disable-popup-blocking'] : undefined,
    extraPrefsFirefox: { 'dom.disable_open_during_load': true },
  });
  return {
    async session() {
      const context = await browser.createBrowserContext();
      const own = new Set();
      const wrap = (page) => ({
        page,
        goto: (url) => page.goto(url, { waitUntil: 'load' }),
        // A navigation the browser starts (a typed URL), not waited for: the page it leaves may still run.
        navigate: (url) => void page.goto(url).catch(() => undefined),
        evaluate: (fn, arg) => page.evaluate(new Function(call(fn, arg))),
        waitFor: (fn, arg, timeout) => until(() => page.evaluate(new Function(call(fn, arg))).catch(() => false), fn.toString(), timeout),
        click: (selector) => page.click(selector),
        key: (selector, key) => page.focus(selector).then(() => page.keyboard.press(key === ' ' ? 'Space' : key)),
        async popup(action) {
          const opened = new Promise((resolve, reject) => {
            page.once('popup', resolve);
            setTimeout(() => reject(new Error('timed out waiting for a popup')), 20_000);
          });
          await action();
          return wrap(await opened);
        },
        text: (selector) => page.$eval(selector, (e) => e.textContent),
        url: () => page.url(),
        // Chromium swaps a popup that is still loading to a new target: close whatever window of the
        // session is not one of its own tabs, as a user's click on its ✕ would.
        close: () =>
          page.close().catch(async () => {
            for (const other of await context.pages()) if (!own.has(other)) await other.close();
          }),
        closed: () => page.isClosed(),
      });
      return {
        open: async (url) => {
          const page = await context.newPage();
          own.add(page);
          const tab = wrap(page);
          if (url) await tab.goto(url);
          return tab;
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- selenium (WebKitGTK)

/** A session's steps as lines (`+ms what (took ms)`), with runs of the same step folded into one. */
function foldSteps(log) {
  const lines = [];
  let run;
  for (const { what, at, ms } of log) {
    if (run?.what === what) {
      run.n++;
      run.ms = ms;
    } else lines.push((run = { what, at, ms, n: 1 }));
  }
  return lines.map((r) => `+${r.at} ms ${r.what}${r.n > 1 ? ` ×${r.n}` : ''} (${r.ms === undefined ? 'no answer yet' : `${r.ms} ms`})`);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function launchWebKit(engine) {
  const port = await freePort();
  // MiniBrowser has no headless mode: WebKitWebDriver starts it on a virtual display.
  const driverProcess = spawn('xvfb-run', ['-a', engine.binary, `--port=${port}`], { detached: true, stdio: 'ignore' });
  const server = `http://127.0.0.1:${port}`;
  await until(() => fetch(`${server}/status`).then((r) => r.ok, () => false), 'WebKitWebDriver', 15_000);
  return {
    async session() {
      // What the driver was asked, when, and how long it took: printed when a test fails (steps()).
      const started = Date.now();
      const log = [];
      const timed = async (what, step) => {
        const entry = { what, at: Date.now() - started, ms: undefined };
        log.push(entry);
        try {
          return await step();
        } finally {
          entry.ms = Date.now() - started - entry.at;
        }
      };
      const driver = await timed('new session', () =>
        new Builder()
          .usingServer(server)
          .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
          .build(),
      );
      await driver.manage().setTimeouts({ implicit: 0, pageLoad: 15_000, script: 10_000 });
      // One driver, several windows: every step first switches to its own window.
      let queue = Promise.resolve();
      const serial = (what, step) => {
        const run = () => timed(what, step);
        return (queue = queue.then(run, run));
      };
      const wrap = (handle) => {
        const on = (what, step) => serial(what, async () => (await driver.switchTo().window(handle), step()));
        return {
          handle,
          goto: (url) => on(`get ${url.slice(0, 80)}`, () => driver.get(url)),
          // WebKitWebDriver answers nothing else while it loads a page: a typed URL is always waited for.
          navigate: undefined,
          evaluate: (fn, arg) => on('script', () => driver.executeScript(call(fn, arg))),
          waitFor: (fn, arg, timeout) => until(() => on('poll', () => driver.executeScript(call(fn, arg))).catch(() => false), fn.toString(), timeout),
          click: (selector) => on(`click ${selector}`, () => driver.findElement(By.css(selector)).click()),
          key: (selector, key) => on(`key ${selector}`, () => driver.findElement(By.css(selector)).sendKeys(key === 'Enter' ? Key.ENTER : Key.SPACE)),
          async popup(action) {
            const before = await serial('windows', () => driver.getAllWindowHandles());
            await action();
            let added;
            await until(async () => {
              const now = await serial('windows', () => driver.getAllWindowHandles());
              added = now.find((h) => !before.includes(h));
              return Boolean(added);
            }, 'a popup');
            return wrap(added);
          },
          text: (selector) => on(`text ${selector}`, () => driver.findElement(By.css(selector)).getText()),
          url: () => on('url', () => driver.getCurrentUrl()),
          close: () => on('close window', () => driver.close()),
          closed: () => serial('windows', () => driver.getAllWindowHandles()).then((all) => !all.includes(handle)),
        };
      };
      let first = await driver.getWindowHandle();
      return {
        open: async (url) => {
          // The session's first window serves the first tab; each later one is a new top-level tab.
          const handle = first ?? (await serial('new tab', async () => (await driver.switchTo().newWindow('tab'), driver.getWindowHandle())));
          first = undefined;
          const tab = wrap(handle);
          if (url) await tab.goto(url);
          return tab;
        },
        close: () => timed('quit', () => driver.quit()).catch(() => undefined),
        /** The driver's steps so far, a line each; repeated polls folded into one line. */
        steps: () => foldSteps(log),
      };
    },
    close: async () => {
      try {
        process.kill(-driverProcess.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Starts an engine: `session()` gives a fresh profile or context for one test. */
export function launch(engine) {
  return engine.name === 'webkit' ? launchWebKit(engine) : launchPuppeteer(engine);
}
