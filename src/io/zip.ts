/**
 * Zip archives of model folders: exporting a fine-tuned model, and loading a model the user dropped
 * as a zip. Unzipping trusts nothing: paths must stay inside the archive and sizes within a limit.
 */
import { Inflate, strFromU8, zipSync, type Zippable } from 'fflate';
import type { Progress, ProgressCallback } from '../progress';
import { localSource, type ModelSource } from './modelSource';
import { safePathSegments } from './paths';

export type ZipErrorCode = 'corrupt' | 'unsafe-path' | 'too-large' | 'unsupported';

export class ZipError extends Error {
  readonly code: ZipErrorCode;
  /** The archive entry at fault, when one is. */
  readonly entry?: string;

  constructor(code: ZipErrorCode, message: string, entry?: string) {
    super(message);
    this.name = 'ZipError';
    this.code = code;
    this.entry = entry;
  }
}

export interface UnzipOptions {
  /** The most bytes all files may unpack to together. */
  maxTotalBytes?: number;
  /** The most bytes an entry larger than 16 MiB may declare per compressed byte. */
  maxRatio?: number;
  /** Stage "unzip", the entry as item, bytes unpacked so far against the declared total. */
  onProgress?: ProgressCallback;
}

/** Large enough for BERT-large in float32 (1.3 GB) with its tokenizer. */
export const DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;

/**
 * Weights deflate barely (float noise; 1.1:1) and text a few times, while deflate reaches 1032:1 on repeated
 * bytes: an entry past 100:1 is a zip bomb, not a model file.
 */
export const DEFAULT_MAX_RATIO = 100;

/** Small files may compress as well as they like (a vocab of "[unused]" lines); only a large one is a threat. */
const RATIO_FREE_BYTES = 16 * 2 ** 20;

/** Compressed bytes handed to the inflater at once: a lying entry overshoots its declared size by at most ~64 MiB. */
const INFLATE_CHUNK = 64 * 1024;

/** Bytes unpacked between progress reports. */
const PROGRESS_EVERY = 16 * 2 ** 20;

/** Weights barely compress and dominate an export, so they are stored; text files are deflated. */
const STORED = /\.(safetensors|bin|onnx)$/i;

export function zipFiles(files: Record<string, Uint8Array>): Uint8Array<ArrayBuffer> {
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files)) {
    entries[checkedPath(name)] = [data, { level: STORED.test(name) ? 0 : 6 }];
  }
  // fflate allocates the archive in a plain ArrayBuffer of its own.
  return zipSync(entries) as Uint8Array<ArrayBuffer>;
}

/**
 * Unpacks every file, keyed by its normalized path. Directory entries and macOS metadata
 * (`__MACOSX/`, `.DS_Store`) are skipped. The sizes the central directory declares are checked against the
 * limits before anything is inflated, and each entry must then inflate to exactly its declared size.
 */
export function unzipFiles(bytes: Uint8Array, options: UnzipOptions = {}): Map<string, Uint8Array<ArrayBuffer>> {
  try {
    const entries = readCentralDirectory(bytes).filter(({ name }) => !name.endsWith('/') && !isMacMetadata(name));
    const total = checkDeclaredSizes(entries, options);
    const files = new Map<string, Uint8Array<ArrayBuffer>>();
    let done = 0;
    const report = (item: string, loaded: number): void => options.onProgress?.({ stage: 'unzip', item, loaded, total });
    for (const entry of entries) {
      files.set(checkedPath(entry.name), unpackEntry(bytes, entry, (loaded) => report(entry.name, done + loaded)));
      done += entry.size;
      report(entry.name, done);
    }
    return files;
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError('corrupt', `This is not a readable zip file: ${(error as Error).message}`);
  }
}

/** What the unzip worker (`zip.worker.ts`) is sent: the zip as a Blob (a dropped File is one), read there. */
export interface UnzipRequest {
  zip: Blob;
}

export type UnzipReply =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'done'; files: [string, Blob][] }
  | { kind: 'error'; code: ZipErrorCode; message: string; entry?: string };

/**
 * The unzip worker's whole job, here so it can be tested without a worker. The zip is read and the files are
 * made Blobs here, off the page's thread; Blobs cross to the page (and on to the engine) by reference.
 */
export async function answerUnzip({ zip }: UnzipRequest, post: (reply: UnzipReply) => void): Promise<void> {
  try {
    const bytes = new Uint8Array(await zip.arrayBuffer());
    const files = [...unzipFiles(bytes, { onProgress: (progress) => post({ kind: 'progress', progress }) })];
    post({ kind: 'done', files: files.map(([name, data]): [string, Blob] => [name, new Blob([data])]) });
  } catch (error) {
    const { code, message, entry } = error as ZipError;
    post({ kind: 'error', code, message, entry });
  }
}

/** One file of the archive as its central directory describes it. */
interface ZipEntry {
  name: string;
  flags: number;
  compression: number;
  compressedSize: number;
  /** Uncompressed, as declared. */
  size: number;
  localHeader: number;
}

const SIGNATURE = { end: 0x06054b50, central: 0x02014b50, local: 0x04034b50 };
/** The largest comment that may follow the end record. */
const MAX_COMMENT = 0xffff;
/** A 16- or 32-bit field at its maximum means "see the ZIP64 record". */
const ZIP64_MARKS = [0xffff, 0xffffffff];

/**
 * Reads the central directory, the archive's own index, which fflate reads too but gives no data offsets for.
 * Out-of-range reads throw RangeError, reported as a corrupt zip.
 */
function readCentralDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - 22 - MAX_COMMENT);
  let end = bytes.length - 22;
  while (end >= lowest && view.getUint32(end, true) !== SIGNATURE.end) end--;
  if (end < lowest) throw new ZipError('corrupt', 'This is not a readable zip file: it has no central directory');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw zip64();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== SIGNATURE.central) throw new ZipError('corrupt', `This is not a readable zip file: entry ${i} of its directory is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const flags = view.getUint16(at + 8, true);
    // Bit 11: the name is UTF-8; without it, it is code page 437, read as Latin-1 like fflate does.
    const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) === 0);
    const entry: ZipEntry = {
      name,
      flags,
      compression: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeader: view.getUint32(at + 42, true),
    };
    if ([entry.compressedSize, entry.size, entry.localHeader].some((field) => ZIP64_MARKS.includes(field))) throw zip64(name);
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

function zip64(entry?: string): ZipError {
  return new ZipError('unsupported', 'This zip uses ZIP64 (for archives over 4 GiB), larger than any model the studio opens', entry);
}

/** Refuses, before inflating anything, what no model folder needs; returns the declared total. */
function checkDeclaredSizes(entries: ZipEntry[], options: UnzipOptions): number {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_UNZIPPED_BYTES;
  const maxRatio = options.maxRatio ?? DEFAULT_MAX_RATIO;
  let total = 0;
  for (const { name, size, compressedSize, flags, compression } of entries) {
    checkedPath(name);
    if (flags & 1) throw new ZipError('unsupported', `${name} is encrypted; unpack the zip with its password first`, name);
    if (compression !== 0 && compression !== 8) {
      throw new ZipError('unsupported', `${name} uses compression method ${compression}; only stored and deflated files can be opened`, name);
    }
    total += size;
    if (total > maxTotalBytes) {
      throw new ZipError(
        'too-large',
        `The zip unpacks to more than ${formatBytes(maxTotalBytes)} (at ${name}); that is more than a BERT model needs`,
        name,
      );
    }
    if (size > RATIO_FREE_BYTES && size > maxRatio * compressedSize) {
      throw new ZipError(
        'too-large',
        `${name} declares ${formatBytes(size)} from ${compressedSize} compressed bytes, a ratio of ${Math.round(size / Math.max(compressedSize, 1))}:1; ` +
          `model files compress far less (at most ${maxRatio}:1 is accepted), so this is a zip bomb`,
        name,
      );
    }
  }
  return total;
}

/** The entry's bytes, exactly as many as it declares: a header that lies either way is refused. */
function unpackEntry(bytes: Uint8Array, entry: ZipEntry, onLoaded: (loaded: number) => void): Uint8Array<ArrayBuffer> {
  const { name, size, compressedSize } = entry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(entry.localHeader, true) !== SIGNATURE.local) throw new ZipError('corrupt', `The zip's header of ${name} is damaged`, name);
  const start = entry.localHeader + 30 + view.getUint16(entry.localHeader + 26, true) + view.getUint16(entry.localHeader + 28, true);
  if (start + compressedSize > bytes.length) throw new ZipError('corrupt', `${name} runs past the end of the zip: it was cut short`, name);
  const data = bytes.subarray(start, start + compressedSize);
  if (entry.compression === 0) {
    if (compressedSize !== size) throw new ZipError('corrupt', `${name} is stored with ${compressedSize} bytes but declares ${size}`, name);
    return data.slice();
  }
  const out = new Uint8Array(size);
  let loaded = 0;
  let reported = 0;
  const inflater = new Inflate((chunk) => {
    if (loaded + chunk.length > size) throw new ZipError('corrupt', `${name} inflates to more than the ${size} bytes the zip declares for it`, name);
    out.set(chunk, loaded);
    loaded += chunk.length;
    if (loaded - reported >= PROGRESS_EVERY) {
      reported = loaded;
      onLoaded(loaded);
    }
  });
  for (let at = 0; at < data.length; at += INFLATE_CHUNK) inflater.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
  if (loaded !== size) throw new ZipError('corrupt', `${name} inflates to ${loaded} bytes, not the ${size} the zip declares for it`, name);
  return out;
}

/** A model source over the files of a zip (a zipped model folder). */
export function localSourceFromZip(bytes: Uint8Array, name?: string, options: UnzipOptions = {}): ModelSource {
  const files = unzipFiles(bytes, options);
  const blobs = [...files].map(([path, data]): [string, Blob] => [path, new Blob([data])]);
  return localSource(new Map(blobs), name);
}

function checkedPath(name: string): string {
  const segments = safePathSegments(name);
  if (!segments) throw new ZipError('unsafe-path', `Refusing the zip entry "${name}": it is absolute or leaves the archive`, name);
  return segments.join('/');
}

function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || name === '.DS_Store' || name.endsWith('/.DS_Store');
}

function formatBytes(bytes: number): string {
  const [scale, unit] = bytes >= 1024 ** 3 ? [1024 ** 3, 'GiB'] : [1024 ** 2, 'MiB'];
  return `${Number((bytes / scale).toPrecision(3))} ${unit}`;
}
