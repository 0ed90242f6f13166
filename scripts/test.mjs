// `npm test`: every step runs, whatever an earlier one did, and the run ends with what each step
// did and the test runner's summary. It fails when any step failed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { REPORT, summarize } from './summary.mjs';

/** The steps, in order: the build comes before the tests that load it. */
const STEPS = ['typecheck', 'lint', 'build', 'build:examples', 'docs', 'test:vitest', 'size', 'package-lint'];

rmSync(REPORT, { force: true }); // a report left by an earlier run must not stand for this one
const results = STEPS.map((step) => {
  console.log(`\n> npm run ${step}`);
  const started = Date.now();
  const { status } = spawnSync('npm', ['run', '--silent', step], { stdio: 'inherit' });
  return { step, ok: status === 0, seconds: (Date.now() - started) / 1000 };
});

const { lines, ok: testsOk } = summarize();
console.log('\nsteps:');
for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.step.padEnd(14)} ${r.seconds.toFixed(1).padStart(6)} s`);
for (const line of lines) console.log(line);
const failed = results.filter((r) => !r.ok).map((r) => r.step);
if (failed.length) console.log(`npm test FAILED in: ${failed.join(', ')}`);
process.exit(failed.length || !testsOk ? 1 : 0);
