import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Another site than the app's and Connect's (127.0.0.2: a site of its own for every engine), where
 * the user's browser goes in the middle of a flow: a page, a page that is slow to come, a response
 * that never replaces the page (204, as a download or a mailto: link), and a carmaker's login page
 * that links back into Connect.
 */
export async function startElsewhere(): Promise<{ origin: string; close(): Promise<void> }> {
  const html = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>elsewhere</title></head><body>${body}</body></html>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://elsewhere');
    res.setHeader('Cache-Control', 'no-cache');
    if (url.pathname === '/no-content') {
      res.statusCode = 204;
      return res.end();
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (url.pathname === '/oem') {
      const back = url.searchParams.get('back') ?? '';
      const href = back.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      return res.end(html(`<p>Your carmaker’s login</p><a id="back" href="${href}">Back to Connect</a>`));
    }
    const ms = Number(url.searchParams.get('ms') ?? 0);
    setTimeout(() => res.end(html('<p id="elsewhere">Another site</p>')), ms);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return {
    origin: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
