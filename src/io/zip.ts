/**
 * Zip archives of model folders: exporting a fine-tuned model, and loading a model the user dropped
 * as a zip. Unzipping trusts nothing: paths must stay inside the archive and sizes within a limit.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { localSource, type ModelSource } from './modelSource';
import { safePathSegments } from './paths';

export type ZipErrorCode = 'corrupt' | 'unsafe-path' | 'too-large';

export class ZipError extends Error {
  readonly code: ZipErrorCode;

  constructor(code: ZipErrorCode, message: string) {
    super(message);
    this.name = 'ZipError';
    this.code = code;
  }
}

export interface UnzipOptions {
  /** The most bytes all files may unpack to together. */
  maxTotalBytes?: number;
}

/** Large enough for BERT-large in float32 (1.3 GB) with its tokenizer. */
export const DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;

/** Weights barely compress and dominate an export, so they are stored; text files are deflated. */
const STORED = /\.(safetensors|bin|onnx)$/i;

export function zipFiles(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files)) {
    entries[checkedPath(name)] = [data, { level: STORED.test(name) ? 0 : 6 }];
  }
  return zipSync(entries);
}

/**
 * Unpacks every file, keyed by its normalized path. Directory entries and macOS metadata
 * (`__MACOSX/`, `.DS_Store`) are skipped. The size limit is checked against the sizes the archive
 * declares before anything is inflated; fflate never writes past a declared size.
 */
export function unzipFiles(bytes: Uint8Array, options: UnzipOptions = {}): Map<string, Uint8Array> {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_UNZIPPED_BYTES;
  let totalBytes = 0;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(bytes, {
      filter: ({ name, originalSize }) => {
        if (name.endsWith('/') || isMacMetadata(name)) return false;
        checkedPath(name);
        totalBytes += originalSize;
        if (totalBytes > maxTotalBytes) {
          throw new ZipError(
            'too-large',
            `The zip unpacks to more than ${formatBytes(maxTotalBytes)} (at ${name}); that is more than a BERT model needs`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError('corrupt', `This is not a readable zip file: ${(error as Error).message}`);
  }
  return new Map(Object.entries(unpacked).map(([name, data]) => [checkedPath(name), data]));
}

/** A model source over the files of a zip (a zipped model folder). */
export function localSourceFromZip(bytes: Uint8Array, name?: string, options: UnzipOptions = {}): ModelSource {
  const files = unzipFiles(bytes, options);
  // fflate unpacks into plain ArrayBuffers, which Blob accepts (its type says only ArrayBufferLike).
  const blobs = [...files].map(([path, data]): [string, Blob] => [path, new Blob([data as Uint8Array<ArrayBuffer>])]);
  return localSource(new Map(blobs), name);
}

function checkedPath(name: string): string {
  const segments = safePathSegments(name);
  if (!segments) throw new ZipError('unsafe-path', `Refusing the zip entry "${name}": it is absolute or leaves the archive`);
  return segments.join('/');
}

function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || name === '.DS_Store' || name.endsWith('/.DS_Store');
}

function formatBytes(bytes: number): string {
  return `${Number((bytes / 1024 ** 2).toPrecision(3))} MiB`;
}
