/**
 * BertEmbeddings: word + token type + absolute position embeddings, then LayerNorm and dropout. A family without
 * token types (typeVocabSize 0: DistilBERT's Embeddings) adds words and positions only; RoBERTa's one type row is
 * added to every token, and its positions count from the padding id (config.positionIdsFromPadding).
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
  const tokens = config.typeVocabSize > 0 ? tf.add(words, tokenTypes(params, config, batch)) : words; // [tokens, hidden]
  const summed = config.positionIdsFromPadding
    ? tf.add(tokens, embeddingLookup(positionTable, paddedPositionIds(batch, config.padTokenId ?? 0))) // [tokens, width]
    : tf.add(tf.reshape(tokens, [batchSize, seqLen, width]), tf.slice(positionTable, [0, 0], [seqLen, width])); // [batch, seq, width], positions 0..seq-1

  const normed = layerNorm(params, 'bert.embeddings.LayerNorm', tf.reshape(summed, [-1, width]), config.layerNormEps);
  const embedded = dropout(normed, config.hiddenDropoutProb, 'bert.embeddings', opts); // [tokens, width]
  // ELECTRA's embeddings_project: the encoder's input (and HF's hidden_states[0]) is the projection.
  return params.has(`${EMBEDDINGS_PROJECT}.weight`) ? linear(params, EMBEDDINGS_PROJECT, embedded) : embedded; // [tokens, hidden]
}

/**
 * HF's create_position_ids_from_input_ids: each non-pad token's count of non-pad tokens up to it in its row, plus
 * `padId`; a pad's position is `padId` itself (wherever it stands). [tokens], row-major as the ids.
 */
export function paddedPositionIds(batch: Pick<BertBatch, 'inputIds' | 'seqLen'>, padId: number): Int32Array {
  const { inputIds, seqLen } = batch;
  const positions = new Int32Array(inputIds.length);
  let count = 0;
  for (let i = 0; i < inputIds.length; i++) {
    if (i % seqLen === 0) count = 0;
    positions[i] = inputIds[i] === padId ? padId : padId + ++count;
  }
  return positions;
}

/** The token type embedding of every token, [tokens, width], or of all of them at once when there is one type, [1, width]. */
function tokenTypes(params: BertParams, config: BertConfig, batch: BertBatch): tf.Tensor2D {
  const typeTable = param(params, 'bert.embeddings.token_type_embeddings.weight'); // [types, hidden]
  if (config.typeVocabSize === 1) return typeTable as tf.Tensor2D; // broadcast onto every token
  // A one-hot matMul rather than a gather: the type table has a handful of rows and matMul's gradient is exact.
  return tf.matMul(oneHotFloat(batch.tokenTypeIds, config.typeVocabSize), typeTable);
}
