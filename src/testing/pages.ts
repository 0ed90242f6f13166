/// <reference types="node" />
import type { IncomingMessage } from 'node:http';

// Small helpers the local servers share: escaping, a page shell, request bodies.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}.note{color:#666;font-size:.9rem}.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.button{display:inline-block;padding:.5rem 1rem;border:1px solid #999;border-radius:.4rem;color:inherit;text-decoration:none}
.primary{background:#0b6bcb;border-color:#0b6bcb;color:#fff}`;

export const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 1e5) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
