// Writes an export's files from the CLI page to disk in chunks and reads each back before reporting success:
// a bert-base checkpoint (440 MB) does not fit in one string handed over by page.evaluate, and a file that came
// out short must never be reported as written.
import { closeSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bytes per page.evaluate round trip: 8 MiB become an 11 MB base64 string, far below V8's limits. */
export const CHUNK_BYTES = 8 * 2 ** 20;

/** Reads `length` bytes of an exported file from `offset`. */
export type ChunkReader = (name: string, offset: number, length: number) => Promise<Uint8Array>;

export class ExportWriteError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ExportWriteError';
  }
}

/**
 * Writes every file (path under `dir` → size; a path may hold folders, as the web export's onnx/ and a recipe's
 * data/) through a temporary name, checks it, then moves it into place.
 */
export async function writeExportFiles(dir: string, sizes: Record<string, number>, read: ChunkReader): Promise<void> {
  for (const [name, size] of Object.entries(sizes)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    const fd = openSync(partial, 'w');
    try {
      for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
        const chunk = await read(name, offset, Math.min(CHUNK_BYTES, size - offset));
        writeSync(fd, chunk);
      }
    } finally {
      closeSync(fd);
    }
    verifyWritten(partial, name, size);
    renameSync(partial, path);
  }
}

/** Checks a written file against its expected size and, for weights and JSON, its own structure. */
export function verifyWritten(path: string, name: string, expectedSize: number): void {
  const size = statSync(path).size;
  if (size !== expectedSize) throw new ExportWriteError(name, `wrote ${size} bytes, expected ${expectedSize}`);
  if (name.endsWith('.safetensors')) verifySafetensors(path, name, size);
  else if (name.endsWith('.json')) {
    try {
      JSON.parse(readBytes(path, 0, size).toString('utf8'));
    } catch (err) {
      throw new ExportWriteError(name, `is not valid JSON after writing: ${(err as Error).message}`);
    }
  }
}

/** The header must parse and its last tensor must end exactly at the end of the file. */
function verifySafetensors(path: string, name: string, size: number): void {
  if (size < 8) throw new ExportWriteError(name, `is ${size} bytes, too short for a safetensors header`);
  const headerLength = Number(readBytes(path, 0, 8).readBigUInt64LE(0));
  if (8 + headerLength > size) throw new ExportWriteError(name, `header length ${headerLength} runs past the ${size}-byte file`);
  let header: Record<string, { data_offsets?: [number, number] }>;
  try {
    header = JSON.parse(readBytes(path, 8, headerLength).toString('utf8'));
  } catch (err) {
    throw new ExportWriteError(name, `header is not JSON: ${(err as Error).message}`);
  }
  let end = 0;
  for (const [key, entry] of Object.entries(header)) if (key !== '__metadata__') end = Math.max(end, entry.data_offsets?.[1] ?? 0);
  if (8 + headerLength + end !== size) {
    throw new ExportWriteError(name, `tensors end at byte ${8 + headerLength + end} but the file has ${size}`);
  }
}

function readBytes(path: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, position);
  } finally {
    closeSync(fd);
  }
  return buffer;
}
