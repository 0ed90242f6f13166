import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Server = typeof import('../../src/testing/server');
const require = createRequire(import.meta.url);
const bin = new URL('../../bin/smartcar-connect-stand-in.mjs', import.meta.url);

describe('the Connect stand-in from the built package', () => {
  it('serves Connect’s consent page on loopback, and a second one on the same port is a one-line error', async () => {
    const { startConnectStandIn } = require('../../dist/testing-server.cjs') as Server;
    const standIn = await startConnectStandIn({ port: 0 });
    try {
      expect(standIn.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${standIn.origin}/oauth/authorize?response_type=code&client_id=a&redirect_uri=${encodeURIComponent('http://localhost/cb')}`);
      expect(await page.text()).toContain('Connect your car');
      const port = Number(new URL(standIn.origin).port);
      await expect(startConnectStandIn({ port })).rejects.toThrow(
        `smartcar-connect: port ${port} is already in use; choose another (--port N, or port: 0 for any free port)`,
      );
      const again = spawnSync(process.execPath, [bin.pathname, '--port', String(port)], { encoding: 'utf8', timeout: 10_000 });
      expect(again.status).toBe(1);
      expect(again.stderr.trim().split('\n')).toEqual([`smartcar-connect: port ${port} is already in use; choose another (--port N, or port: 0 for any free port)`]);
    } finally {
      await standIn.close();
    }
  });

  it('lists a request Connect holds (holdMs) as it arrives, and closes while it is still held', async () => {
    const { startConnectStandIn } = require('../../dist/testing-server.cjs') as Server;
    const standIn = await startConnectStandIn({ port: 0 });
    await fetch(`${standIn.origin}/__control`, { method: 'POST', body: JSON.stringify({ outcome: 'allow', holdMs: 600_000 }) });
    const held = fetch(`${standIn.origin}/oauth/authorize?response_type=code&client_id=a&state=held&redirect_uri=${encodeURIComponent('http://localhost/cb')}`);
    const refused = held.then(() => 'answered', () => 'refused');
    await expect.poll(() => standIn.requests.map((q) => q.state)).toEqual(['held']);
    await standIn.close();
    expect(await refused).toBe('refused');
  });

  it('imports the testing entry in Node without touching a browser global', () => {
    const testing = require('../../dist/testing.cjs') as Record<string, unknown>;
    expect(Object.keys(testing).sort()).toEqual(['connectAnswer', 'simulateConnect']);
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  });
});
