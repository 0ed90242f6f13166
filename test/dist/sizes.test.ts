import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appSizes, appTable, withTable } from '../../bench/sizes.mjs';

// The README's size table is the build's: measured as the budgets are, so it cannot drift.

describe('what each kind of app pays', () => {
  it('is what the README says, and an app on both entries pays for the shared code once', async () => {
    const rows = await appSizes();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme, 'run `node bench/sizes.mjs --readme` after a change of size').toBe(withTable(readme, appTable(rows)));
    const size = (start: string) => rows.find((r) => r.name.startsWith(start))!.size;
    expect(size('an app on both entries')).toBeLessThan(size('an app on the popup entry') + size('an app on the main entry, popup only'));
    expect(size('an app on the popup entry')).toBeLessThan(size('an app on the main entry, popup only'));
  }, 60_000);
});
