import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError, writeSafetensors, type SafetensorsErrorCode } from './safetensors';

/** Builds a file from a header object (or raw header text) and a data section, like a hostile writer could. */
function build(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerOf(file: Uint8Array): { length: number; text: string } {
  const length = new DataView(file.buffer, file.byteOffset).getUint32(0, true);
  return { length, text: new TextDecoder().decode(file.subarray(8, 8 + length)) };
}

function expectCode(bytes: Uint8Array, code: SafetensorsErrorCode, message?: RegExp): void {
  try {
    readSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as SafetensorsError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a SafetensorsError with code ${code}`);
}

const f32Entry = (begin: number, end: number, shape = [(end - begin) / 4]) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

describe('writeSafetensors + readSafetensors', () => {
  it('round-trips F32 tensors exactly, with metadata and "format": "pt"', () => {
    const weight = Float32Array.from([1.5, -2.25, 3e-8, 1e30, -0, 7]);
    const bias = Float32Array.from([0.1, 0.2]);
    const bytes = writeSafetensors(
      new Map([
        ['w', { shape: [2, 3], data: weight }],
        ['b', { shape: [2], data: bias }],
      ]),
      { step: '12' },
    );
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt', step: '12' });
    expect(file.tensors.get('w')).toEqual({ dtype: 'F32', shape: [2, 3], data: weight });
    expect(file.tensors.get('b')!.data).toEqual(bias);
    expect(Object.is(file.tensors.get('w')!.data[4], -0)).toBe(true);
  });

  it('writes tensors sorted by name and a header padded with spaces to 8 bytes', () => {
    const bytes = writeSafetensors(
      new Map([
        ['z', { shape: [1], data: Float32Array.from([1]) }],
        ['a', { shape: [1], data: Float32Array.from([2]) }],
      ]),
    );
    const { length, text } = headerOf(bytes);
    expect(length % 8).toBe(0);
    expect(text.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
        '"z":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
    );
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(bytes.length).toBe(8 + length + 8);
  });

  it('round-trips F16 within half precision, rounding to nearest even', () => {
    const values = Float32Array.from([1, -2, 0.5, 65504, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -24, 1e6, 0.1]);
    const file = readSafetensors(writeSafetensors(new Map([['h', { shape: [9], data: values, dtype: 'F16' }]])));
    const entry = file.tensors.get('h')!;
    expect(entry.dtype).toBe('F16');
    expect(entry.data).toBeInstanceOf(Float32Array);
    expect(Array.from(entry.data)).toEqual([
      1,
      -2,
      0.5,
      65504,
      1, // exact tie rounds to the even neighbour
      1 + 4 * 2 ** -11, // tie rounds up to even
      2 ** -24,
      Infinity,
      0.0999755859375,
    ]);
  });

  it('handles zero-size tensors and scalars', () => {
    const bytes = writeSafetensors(
      new Map([
        ['empty', { shape: [0, 4], data: new Float32Array(0) }],
        ['scalar', { shape: [], data: Float32Array.from([42]) }],
      ]),
    );
    const file = readSafetensors(bytes);
    expect(file.tensors.get('empty')).toEqual({ dtype: 'F32', shape: [0, 4], data: new Float32Array(0) });
    expect(file.tensors.get('scalar')).toEqual({ dtype: 'F32', shape: [], data: Float32Array.from([42]) });
  });

  it('rejects a data length that does not match the shape, and the reserved name', () => {
    expect(() => writeSafetensors(new Map([['x', { shape: [3], data: new Float32Array(2) }]]))).toThrow(
      expect.objectContaining({ code: 'size-mismatch' }),
    );
    expect(() => writeSafetensors(new Map([['__metadata__', { shape: [0], data: new Float32Array(0) }]]))).toThrow(
      expect.objectContaining({ code: 'bad-entry' }),
    );
    expect(() => writeSafetensors(new Map([['x', { shape: [-1], data: new Float32Array(0) }]]))).toThrow(
      expect.objectContaining({ code: 'bad-entry' }),
    );
  });
});

describe('readSafetensors decodes', () => {
  it('BF16 from hand-built bytes', () => {
    // 1.0 = 0x3F80, -2.5 = 0xC020, 3.140625 = 0x4049 (bfloat16 keeps a float32's top 16 bits).
    const data = Uint8Array.from([0x80, 0x3f, 0x20, 0xc0, 0x49, 0x40]);
    const file = readSafetensors(build({ x: { dtype: 'BF16', shape: [3], data_offsets: [0, 6] } }, data));
    expect(file.tensors.get('x')).toEqual({ dtype: 'BF16', shape: [3], data: Float32Array.from([1, -2.5, 3.140625]) });
  });

  it('I32 and in-range I64 as Int32Array', () => {
    const i32 = new Uint8Array(Int32Array.from([7, -1]).buffer);
    const i64 = new Uint8Array(BigInt64Array.from([5n, -3n, 2147483647n, -2147483648n]).buffer);
    const file = readSafetensors(
      build(
        {
          a: { dtype: 'I32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'I64', shape: [2, 2], data_offsets: [8, 40] },
        },
        Uint8Array.from([...i32, ...i64]),
      ),
    );
    expect(file.tensors.get('a')!.data).toEqual(Int32Array.from([7, -1]));
    expect(file.tensors.get('b')).toEqual({
      dtype: 'I64',
      shape: [2, 2],
      data: Int32Array.from([5, -3, 2147483647, -2147483648]),
    });
  });

  it('F32 at an unaligned offset', () => {
    const data = new Uint8Array(9);
    new DataView(data.buffer).setFloat32(1, 1.25, true);
    new DataView(data.buffer).setFloat32(5, -8, true);
    const file = readSafetensors(build({ x: f32Entry(1, 9) }, data));
    expect(file.tensors.get('x')!.data).toEqual(Float32Array.from([1.25, -8]));
  });

  it('a file with only metadata', () => {
    const file = readSafetensors(build({ __metadata__: { format: 'pt' } }));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.size).toBe(0);
  });
});

describe('readSafetensors rejects', () => {
  const eight = new Uint8Array(8);

  it('a file shorter than 8 bytes', () => {
    expectCode(new Uint8Array(5), 'too-small', /5 bytes/);
  });

  it('a header length past the end or over 100 MB', () => {
    const past = build({});
    new DataView(past.buffer).setUint32(0, 1000, true);
    expectCode(past, 'header-length', /past the end/);
    const absurd = new Uint8Array(16);
    new DataView(absurd.buffer).setUint32(4, 1, true); // 2^32 bytes
    expectCode(absurd, 'header-length', /limit/);
  });

  it('a header that is not JSON or not an object', () => {
    expectCode(build('{"x": '), 'header-json');
    expectCode(build('[1, 2]'), 'header-json', /not an object/);
    expectCode(build('null'), 'header-json');
  });

  it('entries with missing or mistyped fields', () => {
    expectCode(build({ x: 3 }), 'bad-entry', /"x"/);
    expectCode(build({ x: { shape: [2], data_offsets: [0, 8] } }, eight), 'bad-entry', /dtype/);
    expectCode(build({ x: { dtype: 'F32', data_offsets: [0, 8] } }, eight), 'bad-entry', /shape/);
    expectCode(build({ x: { dtype: 'F32', shape: [2] } }, eight), 'bad-entry', /data_offsets/);
    expectCode(build({ x: { dtype: 'F32', shape: [2], data_offsets: [0, '8'] } }, eight), 'bad-entry');
    expectCode(build({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4, 8] } }, eight), 'bad-entry');
  });

  it('negative or fractional dims', () => {
    expectCode(build({ x: f32Entry(0, 8, [-2]) }, eight), 'bad-entry', /shape/);
    expectCode(build({ x: f32Entry(0, 8, [1.5]) }, eight), 'bad-entry', /shape/);
  });

  it('unsupported dtypes', () => {
    expectCode(build({ x: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, eight), 'dtype', /F64/);
  });

  it('offsets outside the data section or reversed', () => {
    expectCode(build({ x: f32Entry(0, 12) }, eight), 'bounds', /past/);
    expectCode(build({ x: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, eight), 'bounds', /reversed/);
  });

  it('overlapping tensors', () => {
    expectCode(build({ a: f32Entry(0, 8), b: f32Entry(4, 8, [1]) }, eight), 'overlap', /"a".*"b"/);
  });

  it('overlapping tensors before decoding any of them (64 entries on one range would decode 64 copies)', () => {
    // Both entries cover an I64 value outside the int32 range: decoding first would report that instead.
    const data = new Uint8Array(BigInt64Array.from([2n ** 40n]).buffer);
    const entry = { dtype: 'I64', shape: [1], data_offsets: [0, 8] };
    expectCode(build({ a: entry, b: entry }, data), 'overlap');
  });

  it('a byte span that does not match the shape', () => {
    expectCode(build({ x: f32Entry(0, 8, [3]) }, eight), 'size-mismatch', /expected 12/);
  });

  it('non-string metadata values', () => {
    expectCode(build({ __metadata__: { epoch: 3 } }), 'bad-entry', /epoch/);
    expectCode(build({ __metadata__: 'pt' }), 'bad-entry');
  });

  it('I64 values outside the int32 range', () => {
    const data = new Uint8Array(BigInt64Array.from([1n, 2n ** 31n]).buffer);
    expectCode(build({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data), 'int-range', /2147483648.*index 1/);
  });
});

describe('readSafetensors on a Node Buffer', () => {
  it('decodes each tensor from its own bytes, not the whole pooled buffer', () => {
    const file = writeSafetensors(new Map([
      ['a', { shape: [2], data: Float32Array.from([1, 2]) }],
      ['b', { shape: [1], data: Float32Array.from([3]) }],
    ]));
    const read = readSafetensors(Buffer.from(file));
    expect(Array.from(read.tensors.get('a')!.data)).toEqual([1, 2]);
    expect(Array.from(read.tensors.get('b')!.data)).toEqual([3]);
  });
});
