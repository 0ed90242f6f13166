import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TEST_VIN_MESSAGE } from '../fixtures/connect';
import { HAS_CHROMIUM, launchChromium } from './stack';

/** Starts `npm run demo` as a newcomer would, on free ports, and resolves with the app's URL it prints. */
function startDemo(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('npm', ['run', 'demo'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, DEMO_PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm run demo printed no URL:\n${out}`)), 90_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Example app:\s+(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm run demo exited with ${code}:\n${out}`)));
  });
}

describe.skipIf(!HAS_CHROMIUM)('npm run demo', () => {
  let demo: { url: string; child: ChildProcess };
  let browser: Browser;
  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (demo?.child.pid) process.kill(-demo.child.pid, 'SIGTERM');
  });

  it('runs a popup flow to Connect’s Error page and back to configuration_error, shown as text', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    await page.fill('input[name=state]', '<b>user-42</b>');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
    await popup.click('text=Other outcomes');
    await popup.click('text=Error page, then Exit');
    expect(await popup.textContent('#message')).toBe(TEST_VIN_MESSAGE);
    await popup.click('#exit');
    await page.waitForFunction(() => document.querySelector('#log li.error')?.textContent?.includes('popup() rejected'));
    // One entry for the outcome, naming both the event and the promise.
    expect(await page.locator('#log li.error').count()).toBe(1);
    const log = await page.textContent('#log');
    expect(log).toContain('error event: configuration_error · popup() rejected');
    expect(log).toContain('"name": "ConfigurationError"');
    expect(log).toContain('"statusCode": 400');
    expect(log).toContain(`"errorMessage": "${TEST_VIN_MESSAGE}"`);
    expect(log).toContain('"state": "<b>user-42</b>"');
    expect(await page.locator('#log b').count()).toBe(0); // markup in the state stays text
    await page.close();
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 375, height: 740 },
  ]) {
    it(`shows what each click did where the user looks, at ${viewport.width}×${viewport.height}, with a console free of errors and 404s`, async () => {
      const context = await browser.newContext({ viewport });
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
        page.on('response', (r) => void (r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`)));
      };
      context.on('page', watch);
      const page = await context.newPage();
      await page.goto(demo.url);
      /** The newest log entry is on screen, and the page never scrolled to show it. */
      const newestInView = () =>
        page.evaluate(() => {
          const box = document.querySelector('#log li span')!.getBoundingClientRect();
          return window.scrollY === 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        });
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
      await popup.click('text=Allow');
      await page.waitForFunction(() => document.querySelector('#log li')?.textContent?.includes('popup() resolved'));
      expect(await newestInView()).toBe(true);
      const [battery] = await Promise.all([page.waitForEvent('popup'), page.click('#battery')]);
      await battery.click("text=I don't know the battery capacity");
      await page.waitForFunction(() => document.querySelector('#log li')?.textContent?.includes('popup({ batteryCapacity }) rejected'));
      expect(await newestInView()).toBe(true);
      expect(await page.textContent('#log li')).toContain('"vehicleId": "sc4a1b01e5-0497-417c-a30e-6df6ba33ba46"');
      // The development build: it says in the console what to fix.
      const warning = page.waitForEvent('console', (m) => m.type() === 'warning');
      await page.evaluate(() => {
        const sdk = (window as unknown as { SmartcarConnect: typeof import('../../src/index') }).SmartcarConnect;
        sdk.createConnect({ clientId: 'app', redirectUri: `${location.origin}/connect/callback`, scopes: [] } as never);
      });
      expect((await warning).text()).toContain('scopes is not an option of smartcar-connect-browser, so it is ignored. Did you mean scope?');
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('names the demo’s own buttons under “Things to try”, and shows “I don’t know the battery capacity” on the battery page only', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    const buttons = await page.locator('.buttons button').allTextContents();
    const tips = await page.textContent('details ul');
    for (const name of buttons) expect(tips).toContain(name);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
    await popup.waitForSelector('text=Allow');
    expect(await popup.locator('a[href*="outcome=battery_capacity_no_selection"]').count()).toBe(0);
    await popup.close();
    await page.close();
  });

  it('re-connects a car: Connect’s re-authentication page, then vehicleId in the log', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#reauthenticate')]);
    expect(await popup.textContent('h1')).toBe('Log in to your carmaker again');
    await popup.click('text=Log in again');
    await page.waitForSelector('#log li.success');
    const log = await page.textContent('#log');
    expect(log).toContain('popup({ reauthenticate }) resolved');
    expect(log).toContain('"vehicleId": "sc4a1b01e5-0497-417c-a30e-6df6ba33ba46"');
    await page.close();
  });

  it('asks for the battery capacity: Connect’s battery-capacity page, then selectedCapacity in the log', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#battery')]);
    expect(await popup.textContent('h1')).toBe('Which battery does your car have?');
    await popup.click('text=80.9 kWh');
    await page.waitForFunction(() => document.querySelector('#log li.success')?.textContent?.includes('popup({ batteryCapacity }) resolved'));
    const log = await page.textContent('#log');
    expect(log).toContain('"selectedCapacity": 80.9');
    expect(log).toContain('"reason": "battery_capacity"');
    expect(log).toContain('"vehicleId": "sc4a1b01e5-0497-417c-a30e-6df6ba33ba46"');
    await page.close();
  });

  it('meets Connect’s own Error page for a test-mode VIN in live mode when the SDK’s check is bypassed', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#seed')]);
    expect(await popup.textContent('#message')).toBe(TEST_VIN_MESSAGE);
    await popup.click('#exit');
    await page.waitForSelector('#log li.error');
    const log = await page.textContent('#log');
    expect(log).toContain('parseConnectResponse()');
    expect(log).toContain('"statusCode": 400');
    expect(log).toContain(`"errorMessage": "${TEST_VIN_MESSAGE}"`);
    await page.close();
  });

  it('says in one line that a port is taken when run a second time on it', () => {
    const port = new URL(demo.url).port;
    const second = spawnSync('node', ['demo/server.mjs'], { cwd: new URL('../..', import.meta.url), env: { ...process.env, DEMO_PORT: port }, encoding: 'utf8', timeout: 20_000 });
    expect(second.status).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([
      `smartcar-connect demo: port ${port} is already in use; run the demo on other ports with DEMO_PORT=N npm run demo (the stand-in takes N+1), or DEMO_PORT=0`,
    ]);
  });

  it('runs a same-window round trip and logs the success on return', async () => {
    const page = await browser.newPage();
    await page.goto(demo.url);
    await page.click('#redirect');
    await page.click('text=Allow');
    await page.waitForSelector('#log li.success');
    expect(await page.textContent('#log')).toContain('handleRedirect() resolved');
    expect(new URL(page.url()).searchParams.has('code')).toBe(false);
    await page.close();
  });
});
