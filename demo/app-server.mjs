// Serves the example app, the built package and the callback page, on loopback only,
// under a strict Content-Security-Policy: no inline script, no eval.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

/** URL prefixes and the folders they serve. */
const MOUNTS = [
  ['/dist/', 'dist'],
  ['/demo/', 'demo/public'],
  ['/e2e/', 'test/e2e/pages'],
  ['/bench/', 'bench/pages'],
  ['/examples/', 'examples'],
  ['/vendor/smartcar-auth/', 'node_modules/@smartcar/auth/dist/npm'],
];

function resolvePath(pathname) {
  if (pathname === '/') return 'demo/public/index.html';
  // Every page's icon, so no browser asks for one in vain (a 404 in its console).
  if (pathname === '/favicon.ico') return 'demo/public/favicon.svg';
  if (pathname === '/connect/callback' || pathname === '/connect/callback-coop') return 'demo/public/callback.html';
  for (const [prefix, folder] of MOUNTS) {
    if (pathname.startsWith(prefix)) return join(folder, pathname.slice(prefix.length));
  }
  return undefined;
}

/**
 * Starts the app's origin. `connectOrigin` is allowed in connect-src so the demo page may
 * talk to the stand-in; `frameOrigin` may be framed (the e2e tests frame a hostile page).
 */
export async function startApp({ host = 'localhost', port = 0, connectOrigin = '', frameOrigin = '' } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://app');
    const relative = resolvePath(decodeURIComponent(url.pathname));
    const file = relative && normalize(join(ROOT, relative));
    if (!file || !file.startsWith(ROOT) || file.includes(`${sep}..${sep}`)) {
      res.statusCode = 404;
      return res.end('not found');
    }
    try {
      const body = await readFile(file);
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      // Revalidate every time, but let the back-forward cache keep pages (no-store would forbid it).
      res.setHeader('Cache-Control', 'no-cache');
      // A callback page served with COOP, as some apps serve every page: it loses its opener.
      if (url.pathname === '/connect/callback-coop') res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader(
        'Content-Security-Policy',
        `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${connectOrigin}; frame-src 'self' ${frameOrigin}`,
      );
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  // 'localhost' may resolve to ::1 first; listen where the browser will look.
  await new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`smartcar-connect demo: port ${port} is already in use; choose another`) : e),
    );
    server.listen(port, host === 'localhost' ? '127.0.0.1' : host, resolve);
  });
  const origin = `http://${host}:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}
