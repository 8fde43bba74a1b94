/**
 * Where a model's files come from. A model is a set of files fetched by name from one base: a folder
 * bundled with the app, a folder or zip the user dropped, or a Hugging Face Hub repository.
 */
import type { Progress, ProgressCallback } from '../progress';
import { cancelled, download, exists, globalFetch, hostOf, NOT_FOUND_CODES, readStream, type FetchLike } from './download';
import { ModelSourceError } from './modelSourceError';
import { safePathSegments, stripCommonDirectories } from './paths';
import { parseShardIndex, SHARD_INDEX, type ShardIndex } from './shards';

export { ModelSourceError, type ModelSourceErrorKind } from './modelSourceError';
export type { FetchLike } from './download';

export interface ModelSource {
  /** Names the model for people: the bundled name, the dropped folder, or the Hub repo (with @revision). */
  readonly id: string;
  readonly kind: 'bundled' | 'local' | 'hub';
  has?(file: string): Promise<boolean>;
  /**
   * Reports stage "download" (over HTTP) or "read" (the user's own files) with the file as item; throws
   * ModelSourceError (kind "cancelled" once `signal` aborts).
   */
  fetchFile(file: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array>;
}

export interface HubSource extends ModelSource {
  readonly kind: 'hub';
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  /** The commit the revision points at now, from `{endpoint}/api/models/{repo}/revision/{revision}`. */
  resolveCommit(): Promise<string>;
  /** The same repository at another revision (e.g. the commit a branch resolved to). */
  atRevision(revision: string): HubSource;
}

/** A full git commit id, as the Hub's API gives it; a revision of this form never changes. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

export interface HubOptions {
  endpoint?: string;
  revision?: string;
  fetch?: FetchLike;
  /**
   * A Hub access token for gated and private repositories: sent as `Authorization: Bearer …` on requests to
   * `endpoint` only (a cross-origin redirect, as to the Hub's CDN, drops it, per the Fetch standard), never in a URL.
   */
  token?: string;
}

export const HUB_ENDPOINT = 'https://huggingface.co';

/** Files under `public/models/<name>/`, served with the app. */
export function bundledSource(name: string, baseUrl = '/models/', options: { fetch?: FetchLike } = {}): ModelSource {
  const segments = safePathSegments(name);
  if (segments?.length !== 1) {
    throw new ModelSourceError('invalid-path', `"${name}" is not a valid bundled model name`);
  }
  const fetchImpl = options.fetch ?? globalFetch;
  const base = `${withTrailingSlash(baseUrl)}${encodeURIComponent(name)}/`;
  return {
    id: name,
    kind: 'bundled',
    ...httpFiles(base, fetchImpl),
  };
}

/**
 * Files from a dropped folder or an unpacked zip, keyed by path. Directories every path shares are
 * stripped, so `bert-tiny/config.json` is found as `config.json`.
 */
export function localSource(files: Map<string, Blob>, name?: string): ModelSource {
  const entries = [...files].map(([path, blob]) => {
    const segments = safePathSegments(path);
    if (!segments) throw new ModelSourceError('invalid-path', `"${path}" is not a valid relative file path`, { file: path });
    return { segments, blob };
  });
  const stripped = stripCommonDirectories(entries.map((entry) => entry.segments));
  const byName = new Map(stripped.paths.map((path, i) => [path, entries[i].blob]));
  const id = name ?? stripped.directory ?? 'local files';
  const find = (file: string): Blob | undefined => {
    const segments = safePathSegments(file);
    return segments && byName.get(segments.join('/'));
  };
  return {
    id,
    kind: 'local',
    has: async (file) => find(file) !== undefined,
    fetchFile: (file, onProgress, signal) => {
      if (signal?.aborted) return Promise.reject(cancelled(file));
      const blob = find(file);
      if (!blob) {
        return Promise.reject(new ModelSourceError('not-found', `${file} is not among the files of ${id}`, { file }));
      }
      const unreadable = (): Error =>
        new ModelSourceError('not-found', `${file} of ${id} could not be read; was it moved or changed?`, { file });
      // The user's own files (a dropped folder or zip) are read, not downloaded.
      const reading = onProgress && ((progress: Progress) => onProgress({ ...progress, stage: 'read' }));
      return readStream(blob.stream(), blob.size, file, unreadable, reading);
    },
  };
}

/** A Hub repository, read through `{endpoint}/{repo}/resolve/{revision}/{file}`. */
export function hubSource(repo: string, options: HubOptions = {}): HubSource {
  const { endpoint = HUB_ENDPOINT, revision = 'main', fetch: plainFetch = globalFetch, token } = options;
  validateRepoId(repo);
  if (revision === '' || revision.split('/').includes('..')) {
    throw new ModelSourceError('invalid-repo', `"${revision}" is not a valid revision`);
  }
  const root = endpoint.replace(/\/+$/, '');
  const base = `${root}/${repo}/resolve/${encodeURIComponent(revision)}/`;
  const fetchImpl = token ? withToken(plainFetch, root, token, repo) : refusalExplained(plainFetch, repo);
  return {
    id: revision === 'main' ? repo : `${repo}@${revision}`,
    kind: 'hub',
    endpoint: root,
    repo,
    revision,
    atRevision: (other) => hubSource(repo, { ...options, revision: other }),
    resolveCommit: async () => {
      const url = `${root}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
      const bytes = await download(url, `the revision ${revision}`, fetchImpl);
      let sha: unknown;
      try {
        sha = (JSON.parse(new TextDecoder().decode(bytes)) as { sha?: unknown } | null)?.sha;
      } catch {
        sha = undefined;
      }
      if (typeof sha !== 'string' || !COMMIT_SHA.test(sha)) {
        throw new ModelSourceError('http', `${hostOf(root)} did not name the commit of ${repo}@${revision}`, { url });
      }
      return sha;
    },
    ...httpFiles(base, fetchImpl),
  };
}

/**
 * Hub repo ids are `name` or `owner/name`: letters, digits, "-", "_", "."; each part starts and ends
 * with a letter, digit or "_"; no "--" or ".."; at most 96 characters (the rules of huggingface_hub).
 */
export function validateRepoId(repo: string): void {
  const part = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
  const parts = repo.split('/');
  const valid =
    repo.length <= 96 &&
    parts.length <= 2 &&
    parts.every((p) => part.test(p)) &&
    !repo.includes('--') &&
    !repo.includes('..');
  if (!valid) {
    throw new ModelSourceError(
      'invalid-repo',
      `"${repo}" is not a Hub model id: use "owner/name" or "name" with letters, digits, "-", "_" and "."`,
    );
  }
}

export type TokenizerFiles =
  | { kind: 'vocab.txt'; vocab: string }
  | { kind: 'tokenizer.json'; json: string }
  /** RoBERTa's byte-level BPE files, for checkpoints without a tokenizer.json. */
  | { kind: 'vocab.json'; vocab: string; merges: string };

/** The raw files of a model, before anything parses them. */
export interface ModelFiles {
  sourceId: string;
  /** config.json text. */
  config: string;
  /** vocab.txt when present, else tokenizer.json, else vocab.json with merges.txt. */
  tokenizer: TokenizerFiles;
  tokenizerConfig?: string;
  specialTokensMap?: string;
  /** model.safetensors, or the shards a model.safetensors.index.json names (with that index). */
  weights: { file: Uint8Array } | { index: ShardIndex; shards: Map<string, Uint8Array> };
}

/**
 * Fetches everything a BERT model needs, in order config → tokenizer → weights. Progress is one
 * stream across files: `loaded` counts every byte so far, `total` is the finished files plus the
 * current file's size, so it grows as files are reached (the weights, last, dominate it); for a sharded
 * checkpoint it is the index's total size over all shards from the first shard on.
 * `checkBeforeWeights` sees the small files first and may throw: an unsupported config is then reported
 * before a gigabyte of weights is downloaded for nothing.
 */
export async function loadModelFiles(
  source: ModelSource,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
  checkBeforeWeights?: (files: Omit<ModelFiles, 'weights'>) => void,
): Promise<ModelFiles> {
  let finishedBytes = 0;
  /** Where the bytes end, when a shard index says (its tensors' total: the shards' headers come on top). */
  let indexedTotal: number | null = null;
  const fetchFile = async (file: string): Promise<Uint8Array> => {
    const bytes = await source.fetchFile(
      file,
      onProgress &&
        ((progress) => {
          const loaded = finishedBytes + progress.loaded;
          const fileEnd = progress.total === undefined ? undefined : finishedBytes + progress.total;
          const total = indexedTotal === null ? fileEnd : Math.max(indexedTotal, fileEnd ?? loaded);
          onProgress({ ...progress, loaded, total });
        }),
      signal,
    );
    finishedBytes += bytes.length;
    return bytes;
  };
  const optional = async (file: string): Promise<Uint8Array | undefined> => {
    try {
      return await fetchFile(file);
    } catch (error) {
      if (error instanceof ModelSourceError && error.kind === 'not-found') return undefined;
      throw error;
    }
  };
  const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

  const config = text(await fetchFile('config.json'));
  const vocab = await optional('vocab.txt');
  const tokenizerJson = vocab ? undefined : await optional('tokenizer.json');
  const vocabJson = vocab || tokenizerJson ? undefined : await optional('vocab.json');
  const merges = vocabJson ? await optional('merges.txt') : undefined;
  if (!vocab && !tokenizerJson && !(vocabJson && merges)) {
    throw new ModelSourceError('not-found', `${source.id} has no tokenizer: neither vocab.txt, tokenizer.json nor vocab.json with merges.txt was found`, {
      file: vocabJson ? 'merges.txt' : 'vocab.txt',
    });
  }
  const tokenizer: TokenizerFiles = vocab
    ? { kind: 'vocab.txt', vocab: text(vocab) }
    : tokenizerJson
      ? { kind: 'tokenizer.json', json: text(tokenizerJson) }
      : { kind: 'vocab.json', vocab: text(vocabJson!), merges: text(merges!) };
  const tokenizerConfig = await optional('tokenizer_config.json');
  const specialTokensMap = await optional('special_tokens_map.json');
  const head = {
    sourceId: source.id,
    config,
    tokenizer,
    tokenizerConfig: tokenizerConfig && text(tokenizerConfig),
    specialTokensMap: specialTokensMap && text(specialTokensMap),
  };
  checkBeforeWeights?.(head);
  const single = await optional('model.safetensors');
  if (single) return { ...head, weights: { file: single } };
  const indexBytes = await optional(SHARD_INDEX);
  if (!indexBytes) {
    throw new ModelSourceError(
      'no-safetensors',
      `${source.id} has neither model.safetensors nor ${SHARD_INDEX}. Only safetensors weights can be loaded: ` +
        'pytorch_model.bin is a Python pickle, which could run code, and is never opened. Convert the model first: ' +
        'on the Hub, the "Convert to safetensors" Space (huggingface.co/spaces/safetensors/convert) opens a pull ' +
        "request with the converted weights; locally, transformers' save_pretrained(dir, safe_serialization=True).",
      { file: 'model.safetensors' },
    );
  }
  const index = parseShardIndex(text(indexBytes));
  const shards = new Map<string, Uint8Array>();
  if (index.totalSize !== null) indexedTotal = finishedBytes + index.totalSize;
  for (const file of index.shards) shards.set(file, await fetchFile(file));
  return { ...head, weights: { index, shards } };
}

/** Files fetched over HTTP from under `base`, a URL ending in "/". */
function httpFiles(base: string, fetchImpl: FetchLike): Pick<ModelSource, 'has' | 'fetchFile'> {
  return {
    has: async (file) => exists(base + encodeFile(file), file, fetchImpl),
    fetchFile: async (file, onProgress, signal) => download(base + encodeFile(file), file, fetchImpl, onProgress, signal),
  };
}

function encodeFile(file: string): string {
  const segments = safePathSegments(file);
  if (!segments) throw new ModelSourceError('invalid-path', `"${file}" is not a valid relative file path`, { file });
  return segments.map(encodeURIComponent).join('/');
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The token on requests under `root`, and a refusal of it explained. */
function withToken(fetchImpl: FetchLike, root: string, token: string, repo: string): FetchLike {
  const authed: FetchLike = (input, init) => {
    if (!input.startsWith(`${root}/`)) return fetchImpl(input, init);
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetchImpl(input, { ...init, headers });
  };
  return explainRefusal(authed, `the access token was refused for ${repo}: check that it has read access to it and, for a gated model, that this account accepted its conditions on the model's Hub page`);
}

/** Without a token, a 401/403 (other than "no such repository") says how to get in. */
function refusalExplained(fetchImpl: FetchLike, repo: string): FetchLike {
  return explainRefusal(fetchImpl, `${repo} is private or gated: accept its conditions on its Hub page if it has any, then enter an access token with read access (Advanced, below the model id)`);
}

/** Turns a 401 or 403 answer into a ModelSourceError with `why`, leaving every other answer to the caller. */
function explainRefusal(fetchImpl: FetchLike, why: string): FetchLike {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const code = response.headers.get('x-error-code');
    const notFound = code !== null && NOT_FOUND_CODES.has(code);
    if ((response.status === 401 || response.status === 403) && !notFound) {
      const file = input.slice(input.lastIndexOf('/') + 1);
      throw new ModelSourceError('unauthorized', `Access refused (HTTP ${response.status}): ${why}.`, { file: decodeURIComponent(file), url: input, status: response.status });
    }
    return response;
  };
}
