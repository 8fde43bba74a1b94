/**
 * Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
 * an 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor bytes.
 * The reader trusts nothing in the file: every offset, shape and dtype is checked before use.
 */
import { f16ToF32, f32ToF16 } from './float16';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I32' | 'I64';

/** F16/BF16 are upcast to Float32Array; I32 and I64 become Int32Array. `dtype` is the stored one. */
export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Map<string, TensorEntry>;
}

export type SafetensorsErrorCode =
  | 'too-small'
  | 'header-length'
  | 'header-json'
  | 'bad-entry'
  | 'dtype'
  | 'bounds'
  | 'overlap'
  | 'size-mismatch'
  | 'int-range';

export class SafetensorsError extends Error {
  readonly code: SafetensorsErrorCode;

  constructor(code: SafetensorsErrorCode, message: string) {
    super(message);
    this.name = 'SafetensorsError';
    this.code = code;
  }
}

export interface TensorToWrite {
  shape: number[];
  data: Float32Array;
  dtype?: 'F32' | 'F16';
}

/** Same limit as the reference implementation: a larger header is a corrupt or hostile file. */
export const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8 };
const METADATA_KEY = '__metadata__';

export function dtypeByteSize(dtype: SafetensorsDtype): number {
  return DTYPE_BYTES[dtype];
}

export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) {
    throw new SafetensorsError('too-small', `File is ${bytes.length} bytes; a safetensors file has at least 8`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new SafetensorsError('header-length', `Header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (8 + headerLength > bytes.length) {
    throw new SafetensorsError('header-length', `Header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const data = bytes.subarray(8 + headerLength);

  let metadata: Record<string, string> = {};
  const entries: (ReturnType<typeof parseEntry> & { name: string })[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries.push({ name, ...parseEntry(name, value, data.length) });
  }
  // Before decoding anything: entries sharing one range would otherwise each decode a copy of it.
  checkNoOverlap(entries);
  const tensors = new Map<string, TensorEntry>();
  for (const { name, dtype, shape, begin, end } of entries) {
    tensors.set(name, { dtype, shape, data: decode(name, dtype, data.subarray(begin, end)) });
  }
  return { metadata, tensors };
}

export function writeSafetensors(
  tensors: Map<string, TensorToWrite>,
  metadata: Record<string, string> = {},
): Uint8Array<ArrayBuffer> {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { [METADATA_KEY]: { format: 'pt', ...metadata } };
  const encoded: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError('bad-entry', `"${METADATA_KEY}" is reserved and cannot name a tensor`);
    }
    const tensor = tensors.get(name)!;
    const dtype = tensor.dtype ?? 'F32';
    checkShape(name, tensor.shape);
    if (product(tensor.shape) !== tensor.data.length) {
      throw new SafetensorsError(
        'size-mismatch',
        `Tensor "${name}" has ${tensor.data.length} values but shape [${tensor.shape.join(', ')}]`,
      );
    }
    const raw = encode(dtype, tensor.data);
    header[name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + raw.length] };
    encoded.push(raw);
    offset += raw.length;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const raw of encoded) {
    out.set(raw, position);
    position += raw.length;
  }
  return out;
}

function parseHeader(headerBytes: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new SafetensorsError('header-json', `Header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) {
    throw new SafetensorsError('header-json', 'Header JSON is not an object');
  }
  return parsed;
}

function parseMetadata(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new SafetensorsError('bad-entry', `"${METADATA_KEY}" must be an object of strings`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new SafetensorsError('bad-entry', `"${METADATA_KEY}.${key}" must be a string, got ${typeof item}`);
    }
  }
  return value as Record<string, string>;
}

function parseEntry(
  name: string,
  value: unknown,
  dataLength: number,
): { dtype: SafetensorsDtype; shape: number[]; begin: number; end: number } {
  if (!isPlainObject(value)) {
    throw new SafetensorsError('bad-entry', `Tensor "${name}": entry is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') {
    throw new SafetensorsError('bad-entry', `Tensor "${name}": missing or non-string "dtype"`);
  }
  if (!Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw new SafetensorsError(
      'dtype',
      `Tensor "${name}": unsupported dtype ${dtype} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`,
    );
  }
  if (!Array.isArray(shape)) {
    throw new SafetensorsError('bad-entry', `Tensor "${name}": missing or non-array "shape"`);
  }
  checkShape(name, shape);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
    throw new SafetensorsError('bad-entry', `Tensor "${name}": "data_offsets" must be two non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) {
    throw new SafetensorsError('bounds', `Tensor "${name}": data_offsets [${begin}, ${end}] are reversed`);
  }
  if (end > dataLength) {
    throw new SafetensorsError(
      'bounds',
      `Tensor "${name}": data_offsets [${begin}, ${end}] run past the ${dataLength}-byte data section`,
    );
  }
  const typed = dtype as SafetensorsDtype;
  const expected = product(shape) * DTYPE_BYTES[typed];
  if (end - begin !== expected) {
    throw new SafetensorsError(
      'size-mismatch',
      `Tensor "${name}": ${end - begin} bytes for shape [${shape.join(', ')}] of ${dtype} (expected ${expected})`,
    );
  }
  return { dtype: typed, shape, begin, end };
}

function checkShape(name: string, shape: unknown[]): asserts shape is number[] {
  if (!shape.every(isNonNegativeInteger)) {
    throw new SafetensorsError('bad-entry', `Tensor "${name}": shape [${shape.join(', ')}] must hold non-negative integers`);
  }
}

function checkNoOverlap(spans: { name: string; begin: number; end: number }[]): void {
  // Empty tensors occupy no bytes, so they cannot overlap anything.
  const sorted = spans.filter((span) => span.end > span.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (current.begin < previous.end) {
      throw new SafetensorsError(
        'overlap',
        `Tensors "${previous.name}" [${previous.begin}, ${previous.end}) and "${current.name}" [${current.begin}, ${current.end}) overlap`,
      );
    }
  }
}

/**
 * Decodes little-endian tensor bytes. `new Uint8Array(bytes)` copies into a fresh, aligned buffer (offsets
 * in the file may be unaligned; and a Node Buffer's `slice()` would be a view, not a copy); viewing it directly
 * relies on a little-endian host, which every browser and Node platform with WebGPU is.
 */
function decode(name: string, dtype: SafetensorsDtype, bytes: Uint8Array): Float32Array | Int32Array {
  const buffer = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'I32':
      return new Int32Array(buffer);
    case 'F16':
      return f16ToF32(new Uint16Array(buffer));
    case 'BF16':
      return bf16ToF32(new Uint16Array(buffer));
    case 'I64':
      return i64ToI32(name, new Int32Array(buffer));
  }
}

function encode(dtype: 'F32' | 'F16', data: Float32Array): Uint8Array {
  const typed = dtype === 'F16' ? f32ToF16(data) : data;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function bf16ToF32(halves: Uint16Array): Float32Array {
  // A bfloat16 is the top half of a float32's bits.
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
  return new Float32Array(bits.buffer);
}

/** `words` holds [low, high] int32 pairs; a value fits int32 exactly when high is low's sign extension. */
function i64ToI32(name: string, words: Int32Array): Int32Array {
  const out = new Int32Array(words.length / 2);
  for (let i = 0; i < out.length; i++) {
    const low = words[2 * i];
    const high = words[2 * i + 1];
    if (high !== low >> 31) {
      const value = (BigInt(high) << 32n) | BigInt(low >>> 0);
      throw new SafetensorsError('int-range', `Tensor "${name}": I64 value ${value} at index ${i} is outside the int32 range`);
    }
    out[i] = low;
  }
  return out;
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
