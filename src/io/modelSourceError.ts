export type ModelSourceErrorKind =
  /** The file (or the whole repository) does not exist at the source. */
  | 'not-found'
  /** The server could not be reached, or the connection dropped mid-download. */
  | 'offline'
  /** Any other HTTP failure. */
  | 'http'
  /** 401/403 from a Hub: a private or gated repository, without a token or with one that is refused. */
  | 'unauthorized'
  /** The Hub repository id or revision is malformed. */
  | 'invalid-repo'
  /** A file or model name is absolute, climbs out with "..", or is empty. */
  | 'invalid-path'
  /** The model has no model.safetensors (only safetensors weights are ever loaded). */
  | 'no-safetensors'
  /** model.safetensors.index.json is malformed, or its shards disagree with it. */
  | 'bad-index'
  /** The user cancelled the download. */
  | 'cancelled'
  /** The body's size disagrees with its stated Content-Length, or the stated size is beyond any model file. */
  | 'bad-size'
  /** The body's SHA-256 differs from the one the server states for it (the Hub's X-Linked-Etag of an LFS file). */
  | 'bad-hash';

export interface ModelSourceErrorDetails {
  file?: string;
  url?: string;
  status?: number;
}

export class ModelSourceError extends Error {
  readonly kind: ModelSourceErrorKind;
  readonly file?: string;
  readonly url?: string;
  readonly status?: number;

  constructor(kind: ModelSourceErrorKind, message: string, details: ModelSourceErrorDetails = {}) {
    super(message);
    this.name = 'ModelSourceError';
    this.kind = kind;
    this.file = details.file;
    this.url = details.url;
    this.status = details.status;
  }

  /** The kind under the name every error class gives its code, which the worker sends to the page. */
  get code(): ModelSourceErrorKind {
    return this.kind;
  }
}
