/**
 * BertEmbeddings: word + token type + absolute position embeddings, then LayerNorm and dropout. A family without
 * token types (typeVocabSize 0: DistilBERT's Embeddings) adds words and positions only.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertBatch } from './batch';
import type { BertConfig } from './config';
import { embeddingLookup } from '../embeddingLookup';
import { dropout, layerNorm, linear, oneHotFloat, type DropoutOptions } from '../nn';
import { param } from '../params';
import { EMBEDDINGS_PROJECT, WORD_EMBEDDINGS, type BertParams } from './params';

/** The embedding output as [tokens, hidden] with tokens = batch * seq, row-major. */
export function bertEmbeddings(
  params: BertParams,
  config: BertConfig,
  batch: BertBatch,
  opts: DropoutOptions,
): tf.Tensor2D {
  const { batchSize, seqLen } = batch;
  const width = config.embeddingSize;
  const wordTable = param(params, WORD_EMBEDDINGS); // [vocab, hidden]
  const positionTable = param(params, 'bert.embeddings.position_embeddings.weight'); // [maxPositions, hidden]

  const words = embeddingLookup(wordTable, batch.inputIds); // [tokens, hidden]
  const positions = tf.slice(positionTable, [0, 0], [seqLen, width]); // [seq, width], positions 0..seq-1
  const tokens = config.typeVocabSize > 0 ? tf.add(words, tokenTypes(params, config, batch)) : words; // [tokens, hidden]
  const summed = tf.add(tf.reshape(tokens, [batchSize, seqLen, width]), positions); // [batch, seq, width]

  const normed = layerNorm(params, 'bert.embeddings.LayerNorm', tf.reshape(summed, [-1, width]), config.layerNormEps);
  const embedded = dropout(normed, config.hiddenDropoutProb, 'bert.embeddings', opts); // [tokens, width]
  // ELECTRA's embeddings_project: the encoder's input (and HF's hidden_states[0]) is the projection.
  return params.has(`${EMBEDDINGS_PROJECT}.weight`) ? linear(params, EMBEDDINGS_PROJECT, embedded) : embedded; // [tokens, hidden]
}

/** The token type embedding of every token, [tokens, width]. */
function tokenTypes(params: BertParams, config: BertConfig, batch: BertBatch): tf.Tensor2D {
  const typeTable = param(params, 'bert.embeddings.token_type_embeddings.weight'); // [types, hidden]
  // A one-hot matMul rather than a gather: the type table has a handful of rows and matMul's gradient is exact.
  return tf.matMul(oneHotFloat(batch.tokenTypeIds, config.typeVocabSize), typeTable);
}
