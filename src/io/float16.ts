/** IEEE 754 half precision ↔ single precision conversion on raw bit patterns. */

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Every half's float value, built on first use: 256 KiB that makes bulk upcasts a table lookup. */
let halfTable: Float32Array | undefined;

export function halfBitsToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Rounds to the nearest half, ties to even; overflow becomes ±Infinity and NaN stays NaN. */
export function floatToHalfBits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: shift the 24-bit significand (implicit bit included) down to units of 2^-24.
    if (halfExponent < -10) return sign;
    return sign | roundShift(mantissa | 0x800000, 14 - halfExponent);
  }
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  return sign | ((halfExponent << 10) + roundShift(mantissa, 13));
}

export function f16ToF32(halves: Uint16Array): Float32Array {
  halfTable ??= Float32Array.from({ length: 0x10000 }, (_, bits) => halfBitsToFloat(bits));
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = halfTable[halves[i]];
  return out;
}

export function f32ToF16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatToHalfBits(values[i]);
  return out;
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  return rest > halfway || (rest === halfway && kept & 1) ? kept + 1 : kept;
}
