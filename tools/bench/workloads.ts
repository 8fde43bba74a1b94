// The models and data the benchmark trains on: real architectures with freshly initialised weights, and
// synthetic examples of one fixed length so every batch has the same shape.
import * as tf from '@tensorflow/tfjs';
import type { EncodedExample } from '../../src/data/encode';
import { createRng } from '../../src/data/random';
import { parseBertConfig, type BertConfig } from '../../src/model/config';
import type { BertArchitecture, BertParams } from '../../src/model/params';
import { initialCheckpoint, loadBertWeights } from '../../src/model/weights';
import type { SpecialTokens } from '../../src/tokenizer/types';
import type { BenchModelName, ModelShape } from './protocol';

/**
 * Each benchmarked model's config.json: where it is served (the Vite dev server serves the repository, public/
 * at /), or the config itself.
 */
const CONFIGS: Record<BenchModelName, string | Record<string, unknown>> = {
  fixture: '/tools/reference/fixtures/base/config.json',
  default: '/models/bert-tiny-en/config.json',
  mini: { model_type: 'bert', vocab_size: 30522, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 },
};

/** mini is timed at the sequence length BERT fine-tuning usually takes; the small models at the request's. */
export function benchSeqLen(name: BenchModelName, requested: number): number {
  return name === 'mini' ? 128 : requested;
}

async function configOf(name: BenchModelName): Promise<unknown> {
  const source = CONFIGS[name];
  if (typeof source !== 'string') return source;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`);
  return response.json();
}

/** Fine-tuning for sequence classification: encoder, pooler and classifier. */
const CLASSIFIER: BertArchitecture = { pooler: true, mlm: false, classifier: true };

export const SPECIAL: SpecialTokens = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };

export interface BenchModel {
  name: BenchModelName;
  config: BertConfig;
  params: BertParams;
  shape: ModelShape;
}

export async function loadBenchModel(name: BenchModelName, seqLen: number, seed = 1): Promise<BenchModel> {
  const config = parseBertConfig(await configOf(name));
  const { params } = loadBertWeights(config, initialCheckpoint(config, CLASSIFIER, seed), CLASSIFIER, seed);
  const shape: ModelShape = {
    seqLen,
    layers: config.numHiddenLayers,
    hidden: config.hiddenSize,
    vocab: config.vocabSize,
    parameters: [...params.values()].reduce((n, p) => n + p.size, 0),
    parameterTensors: params.size,
  };
  return { name, config, params, shape };
}

/** `count` examples of exactly `seqLen` tokens ([CLS] random ids [SEP]) with alternating labels. */
export function syntheticExamples(count: number, seqLen: number, vocabSize: number, seed = 1): EncodedExample[] {
  const rng = createRng(seed);
  const firstOrdinary = Math.max(...Object.values(SPECIAL)) + 1;
  if (!Number.isInteger(seqLen) || seqLen < 3) throw new RangeError(`seqLen must be a whole number >= 3, got ${seqLen}`);
  if (!(vocabSize > firstOrdinary)) throw new RangeError(`vocabSize must exceed the special ids (${firstOrdinary}), got ${vocabSize}`);
  return Array.from({ length: count }, (_, index) => {
    const inner = Array.from({ length: seqLen - 2 }, () => firstOrdinary + rng.int(vocabSize - firstOrdinary));
    return {
      inputIds: Int32Array.from([SPECIAL.cls, ...inner, SPECIAL.sep]),
      tokenTypeIds: new Int32Array(seqLen),
      wordIds: Int32Array.from({ length: seqLen }, (_, i) => (i === 0 || i === seqLen - 1 ? -1 : i - 1)),
      specialMask: Uint8Array.from({ length: seqLen }, (_, i) => (i === 0 || i === seqLen - 1 ? 1 : 0)),
      label: index % 2,
      index,
    };
  });
}

/** One random gradient per parameter, as a backward pass would deliver them. */
export function randomGrads(params: BertParams, seed: number): Map<string, tf.Tensor> {
  return new Map([...params].map(([name, p], i) => [name, tf.randomNormal(p.shape, 0, 1e-2, 'float32', seed + i)]));
}
