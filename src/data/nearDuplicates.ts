/**
 * Near-duplicate texts by MinHash with LSH banding, so 50k rows need about n·bands hash-map lookups instead
 * of n² comparisons.
 *
 * Each text becomes its set of character 5-grams (after case and whitespace normalisation); resemblance is
 * the Jaccard index of two such sets. A signature has 64 MinHash values (see `signature`); two texts become
 * candidates when all 4 values of any of 16 bands agree (probability 1 − (1 − J⁴)¹⁶:
 * 0.9998 at J = 0.8, 0.12 at J = 0.3). A candidate is first screened by the share of equal signature values
 * (an unbiased estimate of J) and then confirmed by the exact Jaccard index.
 *
 * Each row is compared with the first row of every bucket it lands in, and confirmed pairs are joined with
 * union–find; clusters are therefore transitive, and a pair that only ever meets through third rows can be
 * missed. That is the usual trade for linear time.
 */
import type { ProgressCallback } from '../progress';

export interface NearDuplicateOptions {
  /** Minimum Jaccard index of character 5-gram sets (default 0.8). */
  threshold?: number;
  onProgress?: ProgressCallback;
  /** Report progress every this many texts (default 2000). */
  progressEvery?: number;
}

const SHINGLE = 5;
/** 2^6 = 64 signature values: the top 6 bits of a shingle hash pick its bin. */
const BIN_BITS = 6;
const HASHES = 1 << BIN_BITS;
const VALUE_MASK = 2 ** (32 - BIN_BITS) - 1;
const ROWS_PER_BAND = 4;
const BANDS = HASHES / ROWS_PER_BAND;
/** Signature estimates below threshold − this margin are rejected without the exact check (≈3σ at J = 0.8). */
const SCREEN_MARGIN = 0.15;

/** Lower case, one space between words: "Hello  World" and "hello world" are the same text. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** murmur3's finalizer: spreads every input bit over the 32-bit output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Calls `visit` with the hash of each character 5-gram (repeats included). */
function forEachShingle(normalized: string, visit: (hash: number) => void): void {
  const last = Math.max(0, normalized.length - SHINGLE);
  for (let i = 0; i <= last; i++) {
    let h = 0x811c9dc5;
    const end = Math.min(i + SHINGLE, normalized.length);
    for (let j = i; j < end; j++) h = Math.imul(h ^ normalized.charCodeAt(j), 0x01000193);
    visit(fmix32(h));
  }
}

/** Hashed character 5-grams of a normalised text; a text shorter than 5 is its own single shingle. */
export function shingles(normalized: string): Set<number> {
  const out = new Set<number>();
  forEachShingle(normalized, (hash) => out.add(hash));
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

const EMPTY = 0xffffffff;

/**
 * One-permutation MinHash with optimal densification (Shrivastava, ICML 2017): one hash per shingle; its top
 * 6 bits pick one of 64 bins and each bin keeps its minimum. An empty bin (short texts leave many) copies
 * the bin chosen by a probe sequence fixed per bin index, so two texts' values agree with probability ≈ J
 * as in classic MinHash, at 1/64 of its cost.
 */
function signature(normalized: string, out: Uint32Array, at: number): void {
  out.fill(EMPTY, at, at + HASHES);
  forEachShingle(normalized, (x) => {
    const bin = at + (x >>> (32 - BIN_BITS));
    const value = x & VALUE_MASK;
    if (value < out[bin]) out[bin] = value;
  });
  const filled = out.slice(at, at + HASHES);
  for (let i = 0; i < HASHES; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) % HASHES;
      if (filled[j] !== EMPTY) {
        out[at + i] = filled[j];
        break;
      }
    }
  }
}

class UnionFind {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index stays the root so clusters are reported by their first row.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/**
 * Clusters (ascending indices into `texts`, at least 2 each, ordered by first index) of texts whose
 * normalised character 5-gram sets have Jaccard ≥ threshold with another member.
 */
export function findNearDuplicates(texts: readonly string[], options: NearDuplicateOptions = {}): number[][] {
  const { threshold = 0.8, onProgress } = options;
  const every = Math.max(1, options.progressEvery ?? 2000);
  const n = texts.length;
  const normalized = texts.map(normalizeText);
  const signatures = new Uint32Array(n * HASHES);
  for (let i = 0; i < n; i++) {
    signature(normalized[i], signatures, i * HASHES);
    if ((i + 1) % every === 0) onProgress?.({ stage: 'near-duplicates', loaded: i + 1, total: n });
  }

  // Bucket heads meet many rows, so their shingle sets are kept for the band being scanned.
  const headSets = new Map<number, Set<number>>();
  const similar = (head: number, i: number): boolean => {
    let equal = 0;
    for (let h = 0; h < HASHES; h++) if (signatures[head * HASHES + h] === signatures[i * HASHES + h]) equal++;
    if (equal / HASHES < threshold - SCREEN_MARGIN) return false;
    let headSet = headSets.get(head);
    if (!headSet) {
      headSet = shingles(normalized[head]);
      headSets.set(head, headSet);
    }
    return jaccard(headSet, shingles(normalized[i])) >= threshold;
  };

  const clusters = new UnionFind(n);
  for (let band = 0; band < BANDS; band++) {
    // A band's 4 values hashed to one number; a collision only costs one screened comparison.
    const buckets = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const at = i * HASHES + band * ROWS_PER_BAND;
      let key = band;
      for (let r = 0; r < ROWS_PER_BAND; r++) key = fmix32(key ^ signatures[at + r]);
      const first = buckets.get(key);
      if (first === undefined) buckets.set(key, i);
      else if (clusters.find(first) !== clusters.find(i) && similar(first, i)) clusters.union(first, i);
    }
    headSets.clear();
  }
  onProgress?.({ stage: 'near-duplicates', loaded: n, total: n });

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = clusters.find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()].filter((g) => g.length > 1).sort((a, b) => a[0] - b[0]);
}
