/**
 * A batch of token ids as the model takes it: flat row-major [batch, seq] arrays, checked against the config
 * before anything reaches the GPU (where an out-of-range id would silently read zeros).
 */
import { maxSequenceLength, type BertConfig } from './config';
import { ModelInputError } from '../errors';

export interface BertBatch {
  /** [batchSize * seqLen] row-major. */
  inputIds: Int32Array;
  /** [batchSize * seqLen]: 0 for the first text, 1 for the pair. */
  tokenTypeIds: Int32Array;
  /** [batchSize * seqLen]: 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  batchSize: number;
  seqLen: number;
}

/** PyTorch's torch.finfo(torch.float32).min: HF adds it to the scores of masked keys. */
export const FLOAT32_MIN = -3.4028234663852886e38;

/** Throws ModelInputError naming the first array or value that does not fit the config. */
export function checkBatch(batch: BertBatch, config: BertConfig): void {
  const { batchSize, seqLen } = batch;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ModelInputError('batchSize', `must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new ModelInputError('seqLen', `must be a positive integer, got ${seqLen}`);
  const longest = maxSequenceLength(config);
  if (seqLen > longest) {
    const offset = longest === config.maxPositionEmbeddings ? '' : ` less the ${config.maxPositionEmbeddings - longest} rows below the first position`;
    throw new ModelInputError('seqLen', `${seqLen} exceeds max_position_embeddings (${config.maxPositionEmbeddings})${offset}`);
  }
  checkIds('inputIds', batch.inputIds, batchSize * seqLen, config.vocabSize);
  // A family without token types ignores them, as DistilBERT's forward has no token_type_ids; one with a single
  // type (RoBERTa) adds it to every token, as its tokenizer returns no segment ids.
  if (config.typeVocabSize > 1) checkIds('tokenTypeIds', batch.tokenTypeIds, batchSize * seqLen, config.typeVocabSize);
  checkIds('attentionMask', batch.attentionMask, batchSize * seqLen, 2);
}

/** Checks length and that every value lies in [0, limit). */
export function checkIds(field: string, ids: Int32Array, length: number, limit: number): void {
  if (!(ids instanceof Int32Array)) throw new ModelInputError(field, 'must be an Int32Array');
  if (ids.length !== length) throw new ModelInputError(field, `has ${ids.length} values, expected ${length}`);
  const bad = ids.findIndex((id) => id < 0 || id >= limit);
  if (bad !== -1) throw new ModelInputError(field, `value ${ids[bad]} at index ${bad} is outside [0, ${limit})`);
}

/** HF's get_extended_attention_mask: [batch, 1, 1, seq] of 0 where attended, FLOAT32_MIN where masked. */
export function extendedAttentionMask(batch: BertBatch): Float32Array {
  return Float32Array.from(batch.attentionMask, (m) => (m === 1 ? 0 : FLOAT32_MIN));
}
