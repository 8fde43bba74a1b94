/**
 * BERT's parameter names and shapes: the canonical Hugging Face names, with the `bert.` prefix, as
 * BertForMaskedLM / BertForSequenceClassification / BertForQuestionAnswering save them, in HF's [out, in] layout.
 */
import type { Params } from '../params';
import type { BertConfig } from './config';

export type BertParams = Params;

/** Which parts sit on top of the encoder (HF: BertModel's add_pooling_layer, the MLM and classifier heads). */
export interface BertArchitecture {
  /** tanh(dense(h[CLS])): BertModel and BertForSequenceClassification have it, BertForMaskedLM does not. */
  pooler: boolean;
  /** cls.predictions.*: transform + decoder tied to the word embeddings. */
  mlm: boolean;
  /**
   * classifier.*: a linear layer on the pooled output, or on every token when there is no pooler (HF's
   * *ForTokenClassification, the one class with a classifier and no pooler).
   */
  classifier: boolean;
  /**
   * qa_outputs.*: a linear layer from every token's hidden state to its answer-start and answer-end logits (HF's
   * *ForQuestionAnswering, which has no pooler). Absent: no such head.
   */
  qa?: boolean;
}

/** qa_outputs' width: a start and an end logit per token. */
export const QA_OUTPUTS = 2;

/** A classifier without a pooler classifies tokens (see BertArchitecture.classifier). */
export function classifiesTokens(architecture: BertArchitecture): boolean {
  return architecture.classifier && !architecture.pooler;
}

export const WORD_EMBEDDINGS = 'bert.embeddings.word_embeddings.weight';
export const POOLER_WEIGHT = 'bert.pooler.dense.weight';
/** ELECTRA's embeddings_project (absent when embedding_size is hidden_size) and ALBERT's embedding_hidden_mapping_in. */
export const EMBEDDINGS_PROJECT = 'bert.embeddings.project';

/** Every parameter of the architecture with its shape, in HF's order (embeddings, layers, pooler, heads). */
export function parameterShapes(config: BertConfig, architecture: BertArchitecture): Map<string, number[]> {
  const { hiddenSize: h, embeddingSize: e, intermediateSize: inner, vocabSize: v } = config;
  const shapes = new Map<string, number[]>();
  const linear = (prefix: string, out: number, inp: number): void => {
    shapes.set(`${prefix}.weight`, [out, inp]);
    shapes.set(`${prefix}.bias`, [out]);
  };
  const layerNorm = (prefix: string, width = h): void => {
    shapes.set(`${prefix}.weight`, [width]);
    shapes.set(`${prefix}.bias`, [width]);
  };
  shapes.set(WORD_EMBEDDINGS, [v, e]);
  shapes.set('bert.embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, e]);
  if (config.typeVocabSize > 0) shapes.set('bert.embeddings.token_type_embeddings.weight', [config.typeVocabSize, e]);
  layerNorm('bert.embeddings.LayerNorm', e);
  if (config.embeddingsProjected) linear(EMBEDDINGS_PROJECT, h, e);
  for (let i = 0; i < config.numHiddenGroups; i++) {
    const layer = `bert.encoder.layer.${i}`;
    linear(`${layer}.attention.self.query`, h, h);
    linear(`${layer}.attention.self.key`, h, h);
    linear(`${layer}.attention.self.value`, h, h);
    linear(`${layer}.attention.output.dense`, h, h);
    layerNorm(`${layer}.attention.output.LayerNorm`);
    linear(`${layer}.intermediate.dense`, inner, h);
    linear(`${layer}.output.dense`, h, inner);
    layerNorm(`${layer}.output.LayerNorm`);
  }
  if (architecture.pooler) linear('bert.pooler.dense', h, h);
  if (architecture.mlm) {
    linear('cls.predictions.transform.dense', e, h);
    layerNorm('cls.predictions.transform.LayerNorm', e);
    shapes.set('cls.predictions.bias', [v]);
  }
  if (architecture.classifier) linear('classifier', config.numLabels, h);
  if (architecture.qa) linear('qa_outputs', QA_OUTPUTS, h);
  return shapes;
}

/** What a parameter set (or a map of its exported weights) holds, read back from its names. */
export function architectureOf(params: Pick<ReadonlyMap<string, unknown>, 'has'>): BertArchitecture {
  return {
    pooler: params.has(POOLER_WEIGHT),
    mlm: params.has('cls.predictions.bias'),
    classifier: params.has('classifier.weight'),
    qa: params.has('qa_outputs.weight'),
  };
}
