/** Test support: a tiny config and random checkpoints / parameters for it, in canonical HF layout. */
import { createRng } from '../../data/random';
import type { TensorEntry } from '../../io/safetensors';
import { parseBertConfig, type BertConfig } from './config';
import { parameterShapes, type BertArchitecture, type BertParams } from './params';
import { loadBertWeights } from './weights';

export const FULL: BertArchitecture = { pooler: true, mlm: true, classifier: true };

/** hidden 8, 2 layers, 2 heads, vocab 20, 3 labels, overridable with raw config.json keys. */
export function tinyConfig(overrides: Record<string, unknown> = {}): BertConfig {
  return parseBertConfig({
    model_type: 'bert',
    vocab_size: 20,
    hidden_size: 8,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 16,
    max_position_embeddings: 16,
    id2label: { 0: 'a', 1: 'b', 2: 'c' },
    ...overrides,
  });
}

/** Every parameter of the architecture with values uniform in [-0.5, 0.5), as a checkpoint would hold them. */
export function randomCheckpoint(config: BertConfig, architecture: BertArchitecture, seed = 1): Map<string, TensorEntry> {
  const rng = createRng(seed);
  const tensors = new Map<string, TensorEntry>();
  for (const [name, shape] of parameterShapes(config, architecture)) {
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5);
    tensors.set(name, { dtype: 'F32', shape, data });
  }
  return tensors;
}

export function randomParams(config: BertConfig, architecture: BertArchitecture = FULL, seed = 1): BertParams {
  return loadBertWeights(config, randomCheckpoint(config, architecture, seed), architecture).params;
}
