/**
 * A plain static host for a built studio (`vite build`'s folder) on 127.0.0.1: files with their content types
 * and nothing else — no Content-Security-Policy header, no cross-origin isolation — as a host that cannot send
 * headers serves it. For the test of the studio's own fallbacks there (its <meta> policy, isolation-sw.js).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { safePathSegments } from '../../src/io/paths';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(root: string): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const segments = path === '/' ? ['index.html'] : safePathSegments(path.slice(1));
    if (!segments) {
      res.writeHead(400).end();
      return;
    }
    readFile(join(root, ...segments)).then(
      (body) => res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(segments.at(-1)!)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
