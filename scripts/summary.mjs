// Prints the closing line of `npm test` from vitest's JSON report:
// "tests: N passed, N failed, N skipped", and says loudly when browser tests were skipped.
import { readFileSync } from 'node:fs';
import { CHROMIUM } from './chromium.mjs';

const report = JSON.parse(readFileSync(new URL('../.vitest/report.json', import.meta.url), 'utf8'));
const skippedBrowser = report.testResults
  .filter((file) => file.name.includes('/test/e2e/'))
  .flatMap((file) => file.assertionResults)
  .filter((test) => test.status === 'skipped' || test.status === 'pending');

if (skippedBrowser.length > 0) {
  console.log(`
!!! ${skippedBrowser.length} browser tests were SKIPPED: no Chromium at ${CHROMIUM}.
!!! Enable them with: apt-get update && apt-get install -y chromium   (or set CHROMIUM_PATH)
`);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || !report.success ? 1 : 0);
