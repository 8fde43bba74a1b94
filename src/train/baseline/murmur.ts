/**
 * MurmurHash3 (x86, 32-bit) over a byte range, and the column it gives a feature: scikit-learn's
 * HashingVectorizer hashes each n-gram's UTF-8 bytes this way (seed 0, signed), so our hashed features are
 * the same columns sklearn's are and the golden fixture can check them one by one.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The signed 32-bit MurmurHash3_x86_32 of bytes[start, end), as sklearn's murmurhash3_32(..., positive=False). */
export function murmurhash3(bytes: Uint8Array, start: number, end: number, seed = 0): number {
  let h = seed | 0;
  const length = end - start;
  const blocksEnd = start + (length & ~3);
  for (let i = start; i < blocksEnd; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocksEnd];
    if (tail >= 2) k ^= bytes[blocksEnd + 1] << 8;
    if (tail === 3) k ^= bytes[blocksEnd + 2] << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** sklearn's column for a signed hash: |h| mod n, with |-2³¹| taken as 2³¹ (its `_hashing_fast` special case). */
export function hashColumn(hash: number, numFeatures: number): number {
  if (hash === -2147483648) return (2147483647 - (numFeatures - 1)) % numFeatures;
  return Math.abs(hash) % numFeatures;
}
