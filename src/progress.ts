/**
 * The one progress shape every long operation reports: downloads, parsing, tokenization, training.
 * `total` is undefined when the size is not known in advance (a download without Content-Length).
 */
export interface Progress {
  /** What is happening, e.g. "download", "parse", "tokenize", "train". */
  stage: string;
  /** The file or item being worked on, when there is one. */
  item?: string;
  loaded: number;
  total?: number;
}

export type ProgressCallback = (progress: Progress) => void;
