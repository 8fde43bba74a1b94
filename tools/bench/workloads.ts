// The models and data the benchmark trains on: real architectures with freshly initialised weights, and
// synthetic examples of one fixed length so every batch has the same shape.
import { collate, type Batch } from '../../src/data/batching';
import type { EncodedExample } from '../../src/data/encode';
import { createRng } from '../../src/data/random';
import { parseBertConfig, type BertConfig } from '../../src/model/bert/config';
import type { BertArchitecture, BertParams } from '../../src/model/bert/params';
import { initialCheckpoint, loadBertWeights } from '../../src/model/bert/weights';
import type { SpecialTokens } from '../../src/tokenizer/types';
import { CONFIG_SOURCES, servedPath } from './configs';
import type { BenchConfigName, ModelShape } from './protocol';

async function configOf(name: BenchConfigName): Promise<unknown> {
  const source = CONFIG_SOURCES[name];
  if ('json' in source) return source.json;
  const response = await fetch(servedPath(source.file));
  if (!response.ok) throw new Error(`${source.file}: HTTP ${response.status}`);
  return response.json();
}

/** Fine-tuning for sequence classification: encoder, pooler and classifier. */
const CLASSIFIER: BertArchitecture = { pooler: true, mlm: false, classifier: true };

export const SPECIAL: SpecialTokens = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };

export interface BenchModel {
  name: BenchConfigName;
  config: BertConfig;
  params: BertParams;
  shape: ModelShape;
}

export async function loadBenchModel(name: BenchConfigName, seed = 1): Promise<BenchModel> {
  const config = parseBertConfig(await configOf(name));
  const { params } = loadBertWeights(config, initialCheckpoint(config, CLASSIFIER, seed), CLASSIFIER, seed);
  const shape: ModelShape = {
    layers: config.numHiddenLayers,
    hidden: config.hiddenSize,
    heads: config.numAttentionHeads,
    intermediate: config.intermediateSize,
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

/** One batch of `batchSize` synthetic examples, collated as the Trainer collates them. */
export function syntheticBatch(batchSize: number, seqLen: number, vocabSize: number, seed = 1): Batch {
  const examples = syntheticExamples(batchSize, seqLen, vocabSize, seed);
  return collate(examples, { rows: examples.map((_, i) => i), seqLen }, { batchSize, padId: SPECIAL.pad });
}
