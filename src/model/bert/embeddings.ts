/**
 * BertEmbeddings: word + token type + absolute position embeddings, then LayerNorm and dropout. A family without
 * token types (typeVocabSize 0: DistilBERT's Embeddings) adds words and positions only.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertBatch } from './batch';
import type { BertConfig } from './config';
import { embeddingLookup } from '../embeddingLookup';
import { dropout, layerNorm, oneHotFloat, type DropoutOptions } from '../nn';
import { param } from '../params';
import { WORD_EMBEDDINGS, type BertParams } from './params';

/** The embedding output as [tokens, hidden] with tokens = batch * seq, row-major. */
export function bertEmbeddings(
  params: BertParams,
  config: BertConfig,
  batch: BertBatch,
  opts: DropoutOptions,
): tf.Tensor2D {
  const { batchSize, seqLen } = batch;
  const hidden = config.hiddenSize;
  const wordTable = param(params, WORD_EMBEDDINGS); // [vocab, hidden]
  const positionTable = param(params, 'bert.embeddings.position_embeddings.weight'); // [maxPositions, hidden]

  const words = embeddingLookup(wordTable, batch.inputIds); // [tokens, hidden]
  const positions = tf.slice(positionTable, [0, 0], [seqLen, hidden]); // [seq, hidden], positions 0..seq-1
  const tokens = config.typeVocabSize > 0 ? tf.add(words, tokenTypes(params, config, batch)) : words; // [tokens, hidden]
  const summed = tf.add(tf.reshape(tokens, [batchSize, seqLen, hidden]), positions); // [batch, seq, hidden]

  const normed = layerNorm(params, 'bert.embeddings.LayerNorm', tf.reshape(summed, [-1, hidden]), config.layerNormEps);
  return dropout(normed, config.hiddenDropoutProb, 'bert.embeddings', opts); // [tokens, hidden]
}

/** The token type embedding of every token, [tokens, hidden]. */
function tokenTypes(params: BertParams, config: BertConfig, batch: BertBatch): tf.Tensor2D {
  const typeTable = param(params, 'bert.embeddings.token_type_embeddings.weight'); // [types, hidden]
  // A one-hot matMul rather than a gather: the type table has a handful of rows and matMul's gradient is exact.
  return tf.matMul(oneHotFloat(batch.tokenTypeIds, config.typeVocabSize), typeTable);
}
