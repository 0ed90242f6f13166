// Prints the closing line of `npm test` from vitest's JSON report:
// "tests: N passed, N failed, N skipped", and says loudly which browser engines were skipped.
import { readFileSync } from 'node:fs';
import { ENGINES } from './engines.mjs';

const report = JSON.parse(readFileSync(new URL('../.vitest/report.json', import.meta.url), 'utf8'));
const skippedBrowser = report.testResults
  .filter((file) => file.name.includes('/test/e2e/'))
  .flatMap((file) => file.assertionResults)
  .filter((test) => test.status === 'skipped' || test.status === 'pending');

const missing = ENGINES.filter((engine) => !engine.available);
if (skippedBrowser.length > 0 || missing.length > 0) {
  console.log(`
!!! ${skippedBrowser.length} browser tests were SKIPPED${missing.length ? `: no ${missing.map((e) => `${e.name} (${e.binary})`).join(', ')}` : ''}.
!!! Enable them with: apt-get update && ${(missing.length ? missing : ENGINES).map((e) => e.install).join(' && ')}
`);
}
const perEngine = ENGINES.map((engine) => {
  const tests = report.testResults
    .filter((file) => file.name.includes('/test/e2e/'))
    .flatMap((file) => file.assertionResults)
    .filter((test) => test.status === 'passed' && test.ancestorTitles.some((t) => t.includes(`in ${engine.name},`)));
  return `${engine.name} ${tests.length}`;
});
console.log(`browser flows passed per engine (cross-engine suite): ${perEngine.join(', ')}`);
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || !report.success ? 1 : 0);
