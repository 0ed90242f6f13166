// @vitest-environment node
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { connectAnswer } from 'smartcar-connect-browser/testing';
import { expect, test } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

test.skipIf(!existsSync(CHROMIUM))('shows Connect’s message when the user leaves its Error page (Playwright)', async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext();
  // Connect's real origin answers with the redirect Connect would send for this authorize URL.
  await context.route('https://connect.smartcar.com/**', (route) =>
    route.fulfill({
      status: 302,
      headers: { location: connectAnswer(route.request().url(), 'configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' }) },
    }),
  );
  // The app under test: here examples/html and this package's build, served from disk.
  await context.route('http://localhost:5173/**', (route) => route.fulfill({ path: `examples/html${new URL(route.request().url()).pathname}` }));
  await context.route('https://unpkg.com/smartcar-connect-browser/**', (route) => route.fulfill({ path: new URL(route.request().url()).pathname.slice(26) }));
  const page = await context.newPage();
  await page.goto('http://localhost:5173/index.html');
  await page.click('text=Connect your car');
  await page.waitForFunction(() => document.getElementById('status')!.textContent !== '');
  expect(await page.textContent('#status')).toBe('Connect could not continue (400): You have entered a test mode VIN.');
  await browser.close();
});
