/**
 * Test support: the parameter names and shapes of a BERT checkpoint in canonical Hugging Face layout,
 * without any weights, so group/freeze/LR tests can use real names at tiny sizes.
 */
import type { Shaped } from './groups';

export interface BertShapeOptions {
  numLayers: number;
  hidden?: number;
  intermediate?: number;
  vocab?: number;
  maxPositions?: number;
  typeVocab?: number;
  /** 'mlm' adds cls.predictions.*, a number adds classifier.* with that many labels. */
  head: 'mlm' | number;
  pooler?: boolean;
}

export function bertParamShapes(options: BertShapeOptions): Map<string, Shaped> {
  const { numLayers, hidden = 8, intermediate = 16, vocab = 30, maxPositions = 16, typeVocab = 2 } = options;
  const shapes = new Map<string, Shaped>();
  const add = (name: string, ...shape: number[]): void => void shapes.set(name, { shape });
  const dense = (prefix: string, out: number, inp: number): void => {
    add(`${prefix}.weight`, out, inp);
    add(`${prefix}.bias`, out);
  };
  const layerNorm = (prefix: string): void => {
    add(`${prefix}.weight`, hidden);
    add(`${prefix}.bias`, hidden);
  };
  add('bert.embeddings.word_embeddings.weight', vocab, hidden);
  add('bert.embeddings.position_embeddings.weight', maxPositions, hidden);
  add('bert.embeddings.token_type_embeddings.weight', typeVocab, hidden);
  layerNorm('bert.embeddings.LayerNorm');
  for (let i = 0; i < numLayers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    for (const part of ['query', 'key', 'value']) dense(`${layer}.attention.self.${part}`, hidden, hidden);
    dense(`${layer}.attention.output.dense`, hidden, hidden);
    layerNorm(`${layer}.attention.output.LayerNorm`);
    dense(`${layer}.intermediate.dense`, intermediate, hidden);
    dense(`${layer}.output.dense`, hidden, intermediate);
    layerNorm(`${layer}.output.LayerNorm`);
  }
  if (options.pooler ?? true) dense('bert.pooler.dense', hidden, hidden);
  if (options.head === 'mlm') {
    dense('cls.predictions.transform.dense', hidden, hidden);
    layerNorm('cls.predictions.transform.LayerNorm');
    add('cls.predictions.bias', vocab);
  } else {
    dense('classifier', options.head, hidden);
  }
  return shapes;
}
