import { describe, expect, it } from 'vitest';
import { f16ToF32, f32ToF16, floatToHalfBits, halfBitsToFloat } from './float16';

describe('float16 conversion', () => {
  it('maps known values to their IEEE half bit patterns', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519.99, 0x7bff],
      [65520, 0x7c00], // the tie above the largest half rounds to even: Infinity
      [1e9, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // tie to even at the bottom of the subnormals
      [1.5 * 2 ** -25, 0x0001],
      [2 ** -14, 0x0400],
      [2 ** -14 - 2 ** -25, 0x0400], // tie between the largest subnormal and the smallest normal
    ];
    for (const [value, bits] of cases) expect([value, floatToHalfBits(value)]).toEqual([value, bits]);
    expect(floatToHalfBits(NaN) & 0x7c00).toBe(0x7c00);
    expect(floatToHalfBits(NaN) & 0x3ff).not.toBe(0);
    expect(halfBitsToFloat(0x7e00)).toBeNaN();
  });

  it('round-trips every half and rounds every midpoint to the even neighbour', () => {
    for (let bits = 0; bits < 0x7c00; bits++) {
      for (const sign of [0, 0x8000]) {
        expect(floatToHalfBits(halfBitsToFloat(sign | bits))).toBe(sign | bits);
      }
      const midpoint = (halfBitsToFloat(bits) + halfBitsToFloat(bits + 1)) / 2;
      const even = bits % 2 === 0 ? bits : bits + 1;
      if (floatToHalfBits(midpoint) !== even) throw new Error(`midpoint above 0x${bits.toString(16)} rounded wrong`);
    }
  });

  it('converts whole arrays both ways', () => {
    const values = Float32Array.from([0.333251953125, -1024, 6.103515625e-5]);
    expect(f16ToF32(f32ToF16(values))).toEqual(values);
  });
});
