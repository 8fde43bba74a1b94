/**
 * BERT's masked-language-model corruption, applied per batch so each epoch sees new masks.
 *
 * Per sequence, k = max(1, round(p · n)) of its n maskable tokens are chosen (an exact count, as in Google's
 * create_pretraining_data.py; specials and padding are never maskable). Of the chosen tokens 80% become
 * [MASK], 10% a random ordinary token, 10% stay as they are. With whole-word masking, whole words are taken
 * until the budget k is reached (a word that would overshoot is skipped; if none fits, the shortest word is
 * taken, so every sequence has at least one target).
 *
 * The MLM head only projects the chosen positions, so the targets are a flat list, not a [batch, seq] label
 * matrix. The list is padded with weight-0 entries to a capacity fixed per (batchSize, seqLen), so its shape
 * repeats across steps (the WebGPU buffer pool keeps every shape it sees).
 */
import type { Tokenizer } from '../tokenizer/types';
import type { Batch } from './batching';
import { DataError } from './errors';
import type { Rng } from './random';

export interface MaskedBatch {
  /** [batch, seq] input ids with the corruption applied (a copy; the batch is untouched). */
  inputIds: Int32Array;
  /** [capacity] flat indices b·seqLen + t of the targets, ascending; 0 on padding entries. */
  maskedPositions: Int32Array;
  /** [capacity] original token id at each target; 0 on padding entries. */
  maskedLabels: Int32Array;
  /** [capacity] 1 for real targets, 0 for padding entries. */
  maskedWeights: Float32Array;
  /** Number of real targets (the leading entries). */
  maskedCount: number;
}

export interface MaskingOptions {
  tokenizer: Pick<Tokenizer, 'vocabSize' | 'special'>;
  /** Fork one per step (e.g. rng.fork(`mlm:${epoch}:${step}`)) so masks are reproducible from the seed. */
  rng: Rng;
  /** Share of maskable tokens to predict (default 0.15). */
  probability?: number;
  wholeWord?: boolean;
  /**
   * Length of the target arrays (default maskCapacity(batchSize, seqLen, probability)). Only whole-word
   * masking of sequences whose every word is longer than their budget can exceed it; then the arrays are
   * exactly as long as the targets.
   */
  capacity?: number;
}

export const DEFAULT_MASK_PROBABILITY = 0.15;
export const IGNORE_INDEX = -100;

const MASK_SHARE = 0.8;
const RANDOM_SHARE = 0.1;

/** Upper bound on targets in a batch: each row predicts at most max(1, round(p · seqLen)) tokens. */
export function maskCapacity(batchSize: number, seqLen: number, probability = DEFAULT_MASK_PROBABILITY): number {
  return batchSize * Math.max(1, Math.round(probability * seqLen));
}

/** Picks k items of `items` uniformly without replacement (partial Fisher–Yates; reorders `items`). */
function sample<T>(items: T[], k: number, rng: Rng): T[] {
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(items.length - i);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items.slice(0, k);
}

/** Positions of one row's maskable tokens grouped by word, in order of appearance. */
function wordsOf(wordIds: Int32Array, start: number, seqLen: number): number[][] {
  const words = new Map<number, number[]>();
  for (let t = 0; t < seqLen; t++) {
    const w = wordIds[start + t];
    if (w < 0) continue;
    const positions = words.get(w);
    if (positions) positions.push(t);
    else words.set(w, [t]);
  }
  return [...words.values()];
}

function chooseWholeWords(words: number[][], budget: number, rng: Rng): number[] {
  const order = rng.shuffle([...words]);
  const chosen: number[] = [];
  for (const word of order) {
    if (chosen.length >= budget) break;
    if (chosen.length + word.length > budget) continue;
    chosen.push(...word);
  }
  if (chosen.length > 0) return chosen;
  return order.reduce((shortest, w) => (w.length < shortest.length ? w : shortest));
}

export function maskTokens(
  batch: Pick<Batch, 'inputIds' | 'batchSize' | 'seqLen' | 'wordIds'>,
  options: MaskingOptions,
): MaskedBatch {
  const { tokenizer, rng, probability = DEFAULT_MASK_PROBABILITY, wholeWord = false } = options;
  const { batchSize, seqLen, wordIds } = batch;
  if (!wordIds) throw new DataError('bad-option', 'Masking needs word ids: collate with includeWordIds: true.');
  if (!(probability > 0 && probability < 1)) {
    throw new DataError('bad-option', `The masking probability must be in (0, 1), got ${probability}.`);
  }
  if (options.capacity !== undefined && !(Number.isInteger(options.capacity) && options.capacity >= 0)) {
    throw new DataError('bad-option', `The target capacity must be a non-negative integer, got ${options.capacity}.`);
  }
  const { special, vocabSize } = tokenizer;
  const excluded = new Set([special.pad, special.unk, special.cls, special.sep, special.mask]);
  if (vocabSize <= excluded.size) {
    throw new DataError('bad-option', `A vocabulary of ${vocabSize} has no ordinary tokens to sample.`);
  }
  const randomToken = (): number => {
    for (;;) {
      const id = rng.int(vocabSize);
      if (!excluded.has(id)) return id;
    }
  };

  const inputIds = batch.inputIds.slice(); // [batch, seq]
  const positions: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const start = b * seqLen;
    const words = wordsOf(wordIds, start, seqLen);
    const maskable = words.flat();
    if (maskable.length === 0) continue;
    const budget = Math.max(1, Math.round(probability * maskable.length));
    const chosen = wholeWord ? chooseWholeWords(words, budget, rng) : sample(maskable, budget, rng);
    for (const t of chosen.sort((x, y) => x - y)) positions.push(start + t);
  }

  const capacity = Math.max(positions.length, options.capacity ?? maskCapacity(batchSize, seqLen, probability));
  const maskedPositions = new Int32Array(capacity); // [capacity]
  const maskedLabels = new Int32Array(capacity); // [capacity]
  const maskedWeights = new Float32Array(capacity); // [capacity]
  positions.forEach((p, i) => {
    maskedPositions[i] = p;
    maskedLabels[i] = inputIds[p];
    maskedWeights[i] = 1;
    const r = rng.next();
    if (r < MASK_SHARE) inputIds[p] = special.mask;
    else if (r < MASK_SHARE + RANDOM_SHARE) inputIds[p] = randomToken();
  });
  return { inputIds, maskedPositions, maskedLabels, maskedWeights, maskedCount: positions.length };
}

/** The [batch, seq] label matrix of Hugging Face's collator: IGNORE_INDEX (-100) everywhere but the targets. */
export function mlmLabelMatrix(masked: MaskedBatch, batchSize: number, seqLen: number): Int32Array {
  const labels = new Int32Array(batchSize * seqLen).fill(IGNORE_INDEX); // [batch, seq]
  for (let i = 0; i < masked.maskedCount; i++) labels[masked.maskedPositions[i]] = masked.maskedLabels[i];
  return labels;
}
