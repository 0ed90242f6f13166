// npm run bench: sizes and latency, printed as tables and written to bench/results.json.
import { writeFileSync } from 'node:fs';
import { latency, printLatency } from './latency.mjs';
import { printSizes, sizes } from './sizes.mjs';

const sizeRows = await sizes();
printSizes(sizeRows);
const timing = await latency();
printLatency(timing);

const strip = (s) => ({ n: s.n, p50: s.p50, p95: s.p95 });
writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      sizes: sizeRows,
      latency: {
        flows: timing.flows,
        ours: { callbackToSettle: strip(timing.ours.callbackToSettle), closeToError: strip(timing.ours.closeToError) },
        bare: { callbackToSettle: strip(timing.bare.callbackToSettle) },
        official: { callbackToSettle: strip(timing.official.callbackToSettle), closeToError: null },
      },
    },
    null,
    2,
  )}\n`,
);
console.log('\nWritten to bench/results.json');
