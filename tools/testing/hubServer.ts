/**
 * A stand-in for the Hugging Face Hub: serves local folders at `/{repo}/resolve/{revision}/{file}` on
 * 127.0.0.1, so tests and the CLI download models without the network. Like the Hub it sends
 * Content-Length and answers an unknown repository with 401 + `X-Error-Code: RepoNotFound` and a missing
 * file with 404 + `EntryNotFound`. Unlike the Hub it serves files of the user's disk, so it never sends
 * `Access-Control-Allow-Origin: *` (any web page the user has open could read them) and serves nothing
 * outside the folder, through ".." or a symlink.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { safePathSegments } from '../../src/io/paths';

export interface HubRequest {
  method: string;
  repo: string;
  revision: string;
  file: string;
}

/**
 * An injected failure: an HTTP status, `'reset'` to drop the connection before answering, or
 * `'truncate'` to send the headers and half the body, then drop it.
 */
export type HubFailure = number | 'reset' | 'truncate';

export interface HubServerOptions {
  /** Called for every resolve request; a returned failure replaces the normal answer. */
  fail?: (request: HubRequest) => HubFailure | undefined;
  /** Send bodies in chunks of this many bytes, `chunkDelayMs` apart, so clients see progress. */
  chunkBytes?: number;
  chunkDelayMs?: number;
  /**
   * The commit a revision points at, for `/api/models/{repo}/revision/{revision}`; undefined answers 404
   * RevisionNotFound. Default: a fixed id derived from repo and revision. Read on every request, so a test can
   * move a branch.
   */
  commit?: (repo: string, revision: string) => string | undefined;
  /**
   * The one page origin (e.g. `http://127.0.0.1:5173`) allowed to read responses cross-origin. Default: any
   * loopback origin, where tests serve their pages.
   */
  allowOrigin?: string;
  /** The `X-Linked-Etag` to send with a file, given its real SHA-256 (the Hub sends `"sha256"` for LFS files); none by default. */
  linkedEtag?: (request: HubRequest, sha256: string) => string | undefined;
}

export interface HubServer {
  /** e.g. `http://127.0.0.1:41234`, to pass as a hub source's endpoint. */
  endpoint: string;
  /** Every resolve request answered so far, in order. */
  requests: HubRequest[];
  /** Every revision API request (`/api/models/{repo}/revision/{revision}`), in order. */
  revisionRequests: Omit<HubRequest, 'file'>[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `repos` (repo id → absolute folder) on a free port of 127.0.0.1. */
export async function startHubServer(repos: Record<string, string>, options: HubServerOptions = {}): Promise<HubServer> {
  const requests: HubRequest[] = [];
  const revisionRequests: Omit<HubRequest, 'file'>[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res, repos, options, requests, revisionRequests).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    revisionRequests,
    close: () =>
      new Promise<void>((done) => {
        // Keep-alive connections would hold close() open; nothing is mid-transfer when tests finish.
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  repos: Record<string, string>,
  options: HubServerOptions,
  requests: HubRequest[],
  revisionRequests: Omit<HubRequest, 'file'>[],
): Promise<void> {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin !== undefined && (options.allowOrigin === undefined ? isLoopbackOrigin(origin) : origin === options.allowOrigin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'X-Error-Code, Content-Length, X-Linked-Etag');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.writeHead(204).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'MethodNotAllowed', 'Use GET or HEAD');
  const pathname = new URL(req.url ?? '/', 'http://hub').pathname;
  const revision = parseRevisionPath(pathname, repos);
  if (revision) {
    revisionRequests.push({ method: req.method, ...revision });
    const sha = (options.commit ?? defaultCommit)(revision.repo, revision.revision);
    if (sha === undefined) return send(res, 404, 'RevisionNotFound', `Invalid rev id: ${revision.revision}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: revision.repo, sha }));
    return;
  }
  const parsed = parseResolvePath(pathname, repos);
  if (!parsed) return send(res, 401, 'RepoNotFound', 'Repository not found');
  const request: HubRequest = { method: req.method, ...parsed };
  requests.push(request);

  const failure = options.fail?.(request);
  if (failure === 'reset') {
    req.socket.destroy();
    return;
  }
  if (typeof failure === 'number') return send(res, failure, 'InjectedFailure', `Injected HTTP ${failure}`);

  const path = await servedPath(repos[request.repo], request.file);
  const info = path === undefined ? undefined : await stat(path).catch(() => undefined);
  if (!path || !info?.isFile()) return send(res, 404, 'EntryNotFound', `Entry not found: ${request.file}`);

  const linkedEtag = options.linkedEtag && options.linkedEtag(request, createHash('sha256').update(await readFile(path)).digest('hex'));
  res.writeHead(200, {
    'Content-Length': info.size,
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    ...(linkedEtag === undefined ? {} : { 'X-Linked-Etag': linkedEtag }),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await streamFile(path, res, failure === 'truncate' ? Math.floor(info.size / 2) : undefined, options);
}

function isLoopbackOrigin(origin: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin);
}

/**
 * The real path of `file` in `folder`, or undefined when the file climbs out with ".." or resolves, through a
 * symlink, to a place outside the folder. A Hugging Face cache snapshot (`models--x/snapshots/{commit}/`)
 * holds only symlinks into its repository's `blobs/`, so there the repository folder is the boundary.
 */
async function servedPath(folder: string, file: string): Promise<string | undefined> {
  const segments = safePathSegments(file);
  if (!segments) return undefined;
  const root = resolve(folder);
  const boundary = await realpath(basename(dirname(root)) === 'snapshots' ? resolve(root, '..', '..') : root).catch(() => undefined);
  const real = await realpath(resolve(root, ...segments)).catch(() => undefined);
  return boundary !== undefined && real?.startsWith(boundary + sep) ? real : undefined;
}

function defaultCommit(repo: string, revision: string): string {
  return createHash('sha1').update(`${repo}@${revision}`).digest('hex');
}

/** Splits `/api/models/{owner/name or name}/revision/{revision}`; undefined when it is not one. */
function parseRevisionPath(pathname: string, repos: Record<string, string>): Omit<HubRequest, 'method' | 'file'> | undefined {
  const match = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  try {
    const [repo, revision] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
    return Object.hasOwn(repos, repo) ? { repo, revision } : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `/{owner/name or name}/resolve/{revision}/{file…}`; undefined when no served repo matches. */
function parseResolvePath(pathname: string, repos: Record<string, string>): Omit<HubRequest, 'method'> | undefined {
  let segments: string[];
  try {
    segments = pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  for (const repoParts of [1, 2]) {
    const repo = segments.slice(0, repoParts).join('/');
    if (segments[repoParts] === 'resolve' && Object.hasOwn(repos, repo) && segments.length > repoParts + 2) {
      return { repo, revision: segments[repoParts + 1], file: segments.slice(repoParts + 2).join('/') };
    }
  }
  return undefined;
}

/** Pipes the file (or its first `cutAt` bytes, then drops the connection) in optional timed chunks. */
async function streamFile(
  path: string,
  res: ServerResponse,
  cutAt: number | undefined,
  { chunkBytes, chunkDelayMs = 0 }: HubServerOptions,
): Promise<void> {
  if (cutAt !== 0) {
    const stream = createReadStream(path, { highWaterMark: chunkBytes, end: cutAt === undefined ? undefined : cutAt - 1 });
    for await (const chunk of stream) {
      if (!res.write(chunk)) await new Promise((done) => res.once('drain', done));
      if (chunkDelayMs > 0) await new Promise((done) => setTimeout(done, chunkDelayMs));
    }
  }
  if (cutAt === undefined) {
    res.end();
  } else {
    res.flushHeaders();
    res.destroy();
  }
}

function send(res: ServerResponse, status: number, errorCode: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Error-Code': errorCode });
  res.end(message);
}
