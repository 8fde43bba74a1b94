/**
 * Seeded random numbers used across the project (shuffling, splits, masking, initialisation), so that a run
 * is reproducible from one integer seed.
 *
 * The generator is sfc32 (passes PractRand, 128-bit state, fast with 32-bit integer ops). Its state is
 * filled from the seed with splitmix32 so that neighbouring seeds (1, 2, 3…) give unrelated streams.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n); n must be a positive safe integer. */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns `a`. */
  shuffle<T>(a: T[]): T[];
  /**
   * An independent stream derived from this generator's seed and `label` only. It does not draw from (or
   * advance) this generator, so adding a draw elsewhere never changes what a fork yields.
   */
  fork(label: string): Rng;
}

const UINT32 = 0x1_0000_0000;

/** splitmix32 step: a good 32-bit mixer for turning one seed into several state words. */
function splitmix32(state: number): [value: number, next: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [(z ^ (z >>> 15)) >>> 0, next];
}

/** FNV-1a over UTF-16 code units, mixed with the parent key: the seed of a fork. */
function hashLabel(key: number, label: string): number {
  let h = (0x811c9dc5 ^ key) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return splitmix32(h)[0];
}

function fromKey(key: number): Rng {
  let s = key;
  let a: number, b: number, c: number, d: number;
  [a, s] = splitmix32(s);
  [b, s] = splitmix32(s);
  [c, s] = splitmix32(s);
  [d] = splitmix32(s);

  function nextUint32(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  // Discard the first outputs: sfc32 needs a few rounds to spread a low-entropy state.
  for (let i = 0; i < 12; i++) nextUint32();

  const rng: Rng = {
    next: () => nextUint32() / UINT32,
    int(n: number): number {
      if (!Number.isSafeInteger(n) || n <= 0) {
        throw new RangeError(`Rng.int needs a positive integer bound, got ${n}`);
      }
      if (n <= UINT32) return Math.floor(rng.next() * n);
      // 53 random bits (27 + 26) for bounds beyond 2^32, where one 32-bit draw would leave gaps.
      const hi = nextUint32() >>> 5;
      const lo = nextUint32() >>> 6;
      return Math.floor(((hi * 0x4000000 + lo) / 2 ** 53) * n);
    },
    shuffle<T>(arr: T[]): T[] {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = arr[i];
        arr[i] = arr[j];
        arr[j] = tmp;
      }
      return arr;
    },
    fork: (label: string) => fromKey(hashLabel(key, label)),
  };
  return rng;
}

/** A generator for `seed` (any finite number; non-integers are truncated, larger values wrap to 32 bits). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng needs a finite seed, got ${seed}`);
  return fromKey(Math.trunc(seed) | 0);
}
