// Latency in headless Chromium, this SDK beside @smartcar/auth through the same Connect stand-in:
// from the callback page's navigation start to the app's promise (or onComplete) settling (this
// SDK both with its callback script and with a callback page that has none), and from the user
// closing the popup to PopupClosedError. Loopback only; the official SDK's requests to
// connect.smartcar.com are routed to the stand-in.
import { startApp } from '../demo/app-server.mjs';
import { startConnectStandIn as startConnect } from '../dist/testing-server.mjs';
import { CHROMIUM, HAS_CHROMIUM, launchChromium } from '../scripts/chromium.mjs';

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (values) => ({ n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), samples: values });

export async function latency(flows = Number(process.env.BENCH_FLOWS ?? 50)) {
  if (!HAS_CHROMIUM) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
  const connect = await startConnect({ host: '127.0.0.1' });
  const app = await startApp({ host: 'localhost', connectOrigin: connect.origin });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await context.route('https://connect.smartcar.com/**', (route) => {
      const url = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { location: `${connect.origin}${url.pathname}${url.search}` } });
    });
    const page = await context.newPage();
    await page.goto(`${app.origin}/bench/bench.html?connect=${encodeURIComponent(connect.origin)}`);

    const settled = async () => {
      await page.waitForFunction(() => window.result, undefined, { timeout: 20_000 });
      return page.evaluate(() => ({ ...window.result, callbackStart: Number(localStorage.getItem('callbackStart')) }));
    };

    /** One flow to success: the callback page's navigation start to the app settling. */
    const toSettle = async (button) => {
      connect.next({ outcome: 'allow' });
      await page.evaluate(() => localStorage.removeItem('callbackStart'));
      await Promise.all([page.waitForEvent('popup'), page.click(`#${button}`)]);
      const r = await settled();
      if (!r.ok || !r.code) throw new Error(`${button}: flow did not succeed: ${JSON.stringify(r)}`);
      return r.settledAt - r.callbackStart;
    };

    /** One flow the user abandons: closing the popup to PopupClosedError. */
    const toClosed = async () => {
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#ours')]);
      await popup.waitForSelector('text=Allow');
      await page.waitForTimeout(1_100); // the user reads Connect for a moment before closing it
      const closedAt = Date.now();
      await popup.close();
      const r = await settled();
      if (r.code !== 'popup_closed') throw new Error(`close: expected popup_closed, got ${JSON.stringify(r)}`);
      return r.settledAt - closedAt;
    };

    const results = { ours: { callbackToSettle: [], closeToError: [] }, bare: { callbackToSettle: [] }, official: { callbackToSettle: [] } };
    for (let i = 0; i < flows; i++) {
      // Alternate, so that every route meets the same moments of a shared, noisy machine.
      results.ours.callbackToSettle.push(await toSettle('ours'));
      results.bare.callbackToSettle.push(await toSettle('bare'));
      results.official.callbackToSettle.push(await toSettle('official'));
    }
    for (let i = 0; i < flows; i++) results.ours.closeToError.push(await toClosed());
    await context.close();
    return {
      flows,
      ours: { callbackToSettle: summary(results.ours.callbackToSettle), closeToError: summary(results.ours.closeToError) },
      bare: { callbackToSettle: summary(results.bare.callbackToSettle) },
      official: { callbackToSettle: summary(results.official.callbackToSettle), closeToError: null },
    };
  } finally {
    await browser.close();
    await Promise.all([app.close(), connect.close()]);
  }
}

const ms = (v) => `${v.toFixed(1)} ms`;

export function printLatency(r) {
  console.log(`\nLatency in headless Chromium, ${r.flows} flows each (loopback, this machine)\n`);
  console.log('| measure | this SDK p50 | p95 | @smartcar/auth p50 | p95 | ratio p50 |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const a = r.ours.callbackToSettle;
  const b = r.official.callbackToSettle;
  console.log(`| callback page navigation start → result in the app | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(b.p50)} | ${ms(b.p95)} | ${(a.p50 / b.p50).toFixed(2)}× |`);
  const d = r.bare.callbackToSettle;
  console.log(`| the same, callback page without the script (address bar read) | ${ms(d.p50)} | ${ms(d.p95)} | never | never | — |`);
  const c = r.ours.closeToError;
  console.log(`| user closes the popup → PopupClosedError | ${ms(c.p50)} | ${ms(c.p95)} | never | never | — |`);
}
