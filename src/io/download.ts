/** HTTP downloads of model files: status → typed errors, and bodies streamed so progress is real. */
import type { ProgressCallback } from '../progress';
import { ModelSourceError } from './modelSourceError';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The global fetch, called unbound: a stored `window.fetch` called as a method throws "Illegal invocation". */
export const globalFetch: FetchLike = (input, init) => fetch(input, init);

/** The Hub's error codes (X-Error-Code) that mean "nothing here"; it answers 401, not 404, for unknown repos. */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['RepoNotFound', 'EntryNotFound', 'RevisionNotFound']);

/** GETs `url` and returns the whole body, reporting stage "download" for `file` as bytes arrive. */
export async function download(
  url: string,
  file: string,
  fetchImpl: FetchLike,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await request(url, file, fetchImpl, 'GET', signal);
  const cutOff = (): Error =>
    signal?.aborted
      ? cancelled(file)
      : new ModelSourceError('offline', `The download of ${file} from ${hostOf(url)} was cut off — are you offline?`, {
          file,
          url,
        });
  const bytes = await readStream(response.body, contentLength(response), file, cutOff, onProgress);
  const expected = linkedSha256(response);
  if (expected !== undefined && globalThis.crypto?.subtle) {
    const actual = toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    if (actual !== expected) {
      throw new ModelSourceError(
        'bad-hash',
        `${file} from ${hostOf(url)} is not the file the server states: its SHA-256 is ${actual.slice(0, 12)}…, not ${expected.slice(0, 12)}… (corrupted on the way, or changed on the server)`,
        { file, url },
      );
    }
  }
  return bytes;
}

/**
 * The SHA-256 the Hub states for an LFS file: its `X-Linked-Etag`, quoted and possibly weak (`W/"…"`). A browser
 * sees it only where the server answers the file itself and exposes the header (a mirror, the test Hub); where the
 * Hub redirects to its CDN, the redirect's headers stay hidden. Git-stored files carry a SHA-1 there, not checked.
 */
function linkedSha256(response: Response): string | undefined {
  const match = /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(response.headers.get('x-linked-etag')?.trim() ?? '');
  return match?.[1].toLowerCase();
}

function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** HEADs `url`: true when the file exists, false when the server says it does not. */
export async function exists(url: string, file: string, fetchImpl: FetchLike): Promise<boolean> {
  try {
    await request(url, file, fetchImpl, 'HEAD');
    return true;
  } catch (error) {
    if (error instanceof ModelSourceError && error.kind === 'not-found') return false;
    throw error;
  }
}

/**
 * A stated length above this sizes the first buffer only up to it; the rest grows as bytes actually arrive, so
 * a Content-Length of 1e12 cannot make the page allocate gigabytes before a single byte is read.
 */
const MAX_PREALLOCATED_BYTES = 64 * 2 ** 20;

/** No single model file is larger (BERT-large in float32 is 1.3 GB; the zip limit is 2 GiB). */
export const MAX_FILE_BYTES = 4 * 2 ** 30;

/**
 * Reads a byte stream to the end. `total`, when known, sizes the buffer up front so a large file is
 * not copied while it grows. A failing read throws `readFailure()`; errors of `onProgress` pass as they are.
 */
export async function readStream(
  stream: ReadableStream<Uint8Array> | null,
  total: number | undefined,
  file: string,
  readFailure: () => Error,
  onProgress?: ProgressCallback,
): Promise<Uint8Array> {
  if (total !== undefined && total > MAX_FILE_BYTES) {
    throw new ModelSourceError('bad-size', `${file} states a size of ${total} bytes, beyond any model file (limit ${MAX_FILE_BYTES})`, { file });
  }
  let buffer = new Uint8Array(Math.min(total ?? 64 * 1024, MAX_PREALLOCATED_BYTES));
  let loaded = 0;
  onProgress?.({ stage: 'download', item: file, loaded, total });
  if (stream) {
    const reader = stream.getReader();
    const next = (): Promise<ReadableStreamReadResult<Uint8Array>> =>
      reader.read().catch(() => {
        throw readFailure();
      });
    for (let chunk = await next(); !chunk.done; chunk = await next()) {
      if (loaded + chunk.value.length > (total ?? MAX_FILE_BYTES)) {
        throw new ModelSourceError('bad-size', `${file} sent more than its stated ${total ?? MAX_FILE_BYTES} bytes`, { file });
      }
      if (loaded + chunk.value.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + chunk.value.length));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(chunk.value, loaded);
      loaded += chunk.value.length;
      onProgress?.({ stage: 'download', item: file, loaded, total });
    }
  }
  // A short body is a dropped connection or a truncating proxy: never hand it on (or to the cache) as the file.
  if (total !== undefined && loaded !== total) {
    throw new ModelSourceError('bad-size', `${file} ended after ${loaded} of its ${total} bytes: the download was cut short`, { file });
  }
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}

export function cancelled(file: string): ModelSourceError {
  return new ModelSourceError('cancelled', `The download of ${file} was cancelled.`, { file });
}

async function request(url: string, file: string, fetchImpl: FetchLike, method: 'GET' | 'HEAD', signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method, signal });
  } catch (err) {
    // A source's own fetch may explain an answer itself (a Hub's refusal of its token).
    if (err instanceof ModelSourceError) throw err;
    if (signal?.aborted) throw cancelled(file);
    throw new ModelSourceError('offline', `Could not reach ${hostOf(url)} to get ${file} — are you offline?`, {
      file,
      url,
    });
  }
  checkStatus(response, url, file);
  return response;
}

function checkStatus(response: Response, url: string, file: string): void {
  const { status } = response;
  const details = { file, url, status };
  const errorCode = response.headers.get('x-error-code');
  if (status === 404 || (errorCode !== null && NOT_FOUND_CODES.has(errorCode))) {
    const what = errorCode === 'RepoNotFound' ? `The repository of ${file}` : file;
    throw new ModelSourceError('not-found', `${what} was not found at ${url}`, details);
  }
  if (status === 401 || status === 403) {
    throw new ModelSourceError(
      'http',
      `Access to ${file} was refused (HTTP ${status}) at ${url}`,
      details,
    );
  }
  if (!response.ok) {
    throw new ModelSourceError('http', `Downloading ${file} failed with HTTP ${status} at ${url}`, details);
  }
  // Single-page-app servers (Vite's dev server among them) answer a missing file with index.html.
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/html') && !/\.html?$/i.test(file)) {
    throw new ModelSourceError('not-found', `${file} was not found at ${url} (the server sent an HTML page instead)`, details);
  }
}

/** The body's size, when the server states it for the bytes we will actually read (not a compressed size). */
function contentLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

export function hostOf(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).host || url;
  } catch {
    return url;
  }
}
