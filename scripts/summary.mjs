// The closing lines of `npm test`, from vitest's JSON report: how many browser flows passed per
// engine, "tests: N passed, N failed, N skipped", and, loudly, which browser tests were skipped.
import { existsSync, readFileSync } from 'node:fs';
import { ENGINES } from './engines.mjs';

export const REPORT = new URL('../.vitest/report.json', import.meta.url);

/** The summary's lines, and whether every test that ran passed. A missing report is a failure. */
export function summarize() {
  if (!existsSync(REPORT)) return { lines: ['tests: none ran (vitest wrote no report)'], ok: false };
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  const browser = report.testResults.filter((file) => file.name.includes('/test/e2e/')).flatMap((file) => file.assertionResults);
  const skippedBrowser = browser.filter((test) => test.status === 'skipped' || test.status === 'pending');
  const lines = [];
  const missing = ENGINES.filter((engine) => !engine.available);
  if (skippedBrowser.length > 0 || missing.length > 0) {
    lines.push(
      '',
      `!!! ${skippedBrowser.length} browser tests were SKIPPED${missing.length ? `: no ${missing.map((e) => `${e.name} (${e.binary})`).join(', ')}` : ''}.`,
      `!!! Enable them with: apt-get update && ${(missing.length ? missing : ENGINES).map((e) => e.install).join(' && ')}`,
      '',
    );
  }
  const perEngine = ENGINES.map((engine) => {
    const passed = browser.filter((test) => test.status === 'passed' && test.ancestorTitles.some((t) => t.includes(` in ${engine.name},`)));
    return `${engine.name} ${passed.length}`;
  });
  lines.push(`browser flows passed per engine (cross-engine suites): ${perEngine.join(', ')}`);
  // A failure is named here too: CI keeps only the end of the output.
  const firstLine = (text = '') => `       ${text.split('\n')[0].slice(0, 300)}`;
  for (const file of report.testResults) {
    const where = file.name.slice(file.name.indexOf('/test/') + 1);
    for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
      lines.push(`FAILED ${where} > ${[...test.ancestorTitles, test.title].join(' > ')}`, firstLine(test.failureMessages[0]));
    }
    if (file.status === 'failed' && file.message) lines.push(`FAILED ${where}`, firstLine(file.message));
  }
  const skipped = report.numPendingTests + report.numTodoTests;
  lines.push(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  return { lines, ok: report.numFailedTests === 0 && report.success };
}
