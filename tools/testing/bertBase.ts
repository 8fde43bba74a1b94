/**
 * bert-base-uncased's shapes (110M parameters) with synthetic weights, for the stress tests and benchmarks that
 * run once at the size users bring. The values are a smooth deterministic pattern of scale 0.02, like a fresh
 * initialisation; nothing here is a trained model.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBertConfig } from '../../src/model/bert/config';
import { parameterShapes } from '../../src/model/bert/params';
import { writeSafetensors, type TensorToWrite } from '../../src/io/safetensors';
import { FIXTURES_DIR } from './fixtures';

export const BERT_BASE = { model_type: 'bert', vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 };

export function syntheticValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.sin(i * 12.9898 + seed) * 0.02;
  return out;
}

/** Every weight of bert-base with the given heads, as the model names them. */
export function syntheticBertBase(architecture: { pooler: boolean; mlm: boolean; classifier: boolean }): Map<string, TensorToWrite> {
  const shapes = parameterShapes(parseBertConfig(BERT_BASE), architecture);
  return new Map([...shapes].map(([name, shape], i) => [name, { shape, data: syntheticValues(shape.reduce((a, b) => a * b, 1), i) }]));
}

/**
 * A Hugging Face model folder at bert-base size: config.json, model.safetensors (~440 MB, with pooler) and a
 * vocab.txt of 30,522 entries (the test fixture's tokens, then `[unused…]` fillers). Returns the weights' bytes.
 */
export function writeSyntheticBertBase(dir: string): number {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: ['BertModel'], ...BERT_BASE, max_position_embeddings: 512, type_vocab_size: 2 }));
  const tokens = readFileSync(join(FIXTURES_DIR, 'base', 'vocab.txt'), 'utf8').trim().split('\n');
  const fillers = Array.from({ length: BERT_BASE.vocab_size - tokens.length }, (_, i) => `[unused${i}]`);
  writeFileSync(join(dir, 'vocab.txt'), `${[...tokens, ...fillers].join('\n')}\n`);
  const weights = writeSafetensors(syntheticBertBase({ pooler: true, mlm: false, classifier: false }));
  writeFileSync(join(dir, 'model.safetensors'), weights);
  return weights.length;
}
