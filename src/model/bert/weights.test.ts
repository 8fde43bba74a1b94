import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors, type TensorEntry } from '../../io/safetensors';
import { parseBertConfig, type BertConfig } from './config';
import { WeightsError } from '../errors';
import { disposeParams } from '../params';
import type { BertArchitecture } from './params';
import { FULL, randomCheckpoint, tinyConfig } from './testing';
import { canonicalName, DECODER_WEIGHT, exportBertWeights, initialCheckpoint, loadBertWeights, type LoadedWeights } from './weights';

const FIXTURES = join(__dirname, '../../../tools/reference/fixtures');
const MLM_ONLY: BertArchitecture = { pooler: false, mlm: true, classifier: false };
const HEAD_NAMES = [
  'cls.predictions.transform.dense.weight',
  'cls.predictions.transform.dense.bias',
  'cls.predictions.transform.LayerNorm.weight',
  'cls.predictions.transform.LayerNorm.bias',
  'cls.predictions.bias',
];

function fixture(name: string): { config: BertConfig; tensors: Map<string, TensorEntry> } {
  const config = parseBertConfig(JSON.parse(readFileSync(join(FIXTURES, name, 'config.json'), 'utf8')));
  const tensors = readSafetensors(new Uint8Array(readFileSync(join(FIXTURES, name, 'model.safetensors')))).tensors;
  return { config, tensors };
}

async function values(loaded: LoadedWeights, name: string): Promise<number[]> {
  return Array.from(await loaded.params.get(name)!.data());
}

function weightsError(load: () => unknown): WeightsError {
  try {
    load();
  } catch (error) {
    if (error instanceof WeightsError) return error;
    throw error;
  }
  throw new Error('loaded without error');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('canonicalName', () => {
  it.each([
    ['embeddings.word_embeddings.weight', 'bert.embeddings.word_embeddings.weight'],
    ['encoder.layer.3.output.LayerNorm.gamma', 'bert.encoder.layer.3.output.LayerNorm.weight'],
    ['bert.embeddings.LayerNorm.beta', 'bert.embeddings.LayerNorm.bias'],
    ['pooler.dense.bias', 'bert.pooler.dense.bias'],
    ['cls.predictions.decoder.bias', 'cls.predictions.bias'],
    ['cls.predictions.transform.LayerNorm.gamma', 'cls.predictions.transform.LayerNorm.weight'],
    ['classifier.weight', 'classifier.weight'],
    ['cls.seq_relationship.weight', 'cls.seq_relationship.weight'],
  ])('%s → %s', (stored, canonical) => {
    expect(canonicalName(stored)).toBe(canonical);
  });
});

describe('loadBertWeights on the checkpoint variants', () => {
  it('no-prefix (BertModel names): loads the encoder and pooler, initialises both heads', async () => {
    const { config, tensors } = fixture('no-prefix');
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report).toEqual({
      missing: [],
      initialised: [...HEAD_NAMES, 'classifier.weight', 'classifier.bias'],
      unexpected: [],
      tied: [DECODER_WEIGHT],
      warnings: [],
    });
    const stored = tensors.get('encoder.layer.0.attention.self.query.weight')!;
    expect(await values(loaded, 'bert.encoder.layer.0.attention.self.query.weight')).toEqual(Array.from(stored.data));
    expect(loaded.params.get('bert.encoder.layer.0.attention.self.query.weight')!.shape).toEqual(stored.shape);
    disposeParams(loaded.params);
  });

  it('legacy-names: gamma/beta and the decoder-bias alias load; an equal stored decoder is silently tied', async () => {
    const { config, tensors } = fixture('legacy-names');
    const loaded = loadBertWeights(config, tensors, { pooler: true, mlm: true, classifier: false });
    expect(loaded.report).toEqual({ missing: [], initialised: [], unexpected: [], tied: [DECODER_WEIGHT], warnings: [] });
    expect(await values(loaded, 'bert.embeddings.LayerNorm.weight')).toEqual(Array.from(tensors.get('bert.embeddings.LayerNorm.gamma')!.data));
    expect(await values(loaded, 'cls.predictions.bias')).toEqual(Array.from(tensors.get('cls.predictions.decoder.bias')!.data));
    disposeParams(loaded.params);
  });

  it('tied-decoder: no decoder weight stored, everything else loads', () => {
    const { config, tensors } = fixture('tied-decoder');
    expect(tensors.has(DECODER_WEIGHT)).toBe(false);
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report).toEqual({ missing: [], initialised: [], unexpected: [], tied: [DECODER_WEIGHT], warnings: [] });
    disposeParams(loaded.params);
  });

  it('no-pooler (BertForMaskedLM): a classification model initialises the pooler and the classifier', () => {
    const { config, tensors } = fixture('no-pooler');
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report.initialised).toEqual(['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']);
    expect(loaded.report.missing).toEqual([]);
    disposeParams(loaded.params);
    const mlmOnly = loadBertWeights(config, tensors, MLM_ONLY);
    expect(mlmOnly.report.initialised).toEqual([]);
    expect(mlmOnly.params.has('bert.pooler.dense.weight')).toBe(false);
    disposeParams(mlmOnly.params);
  });

  it('reports the heads a classification model does not use as unexpected, as stored', () => {
    const { config, tensors } = fixture('legacy-names');
    const loaded = loadBertWeights(config, tensors, { pooler: true, mlm: false, classifier: true });
    expect(loaded.report.unexpected.sort()).toEqual([
      'cls.predictions.decoder.bias',
      'cls.predictions.decoder.weight',
      'cls.predictions.transform.LayerNorm.beta',
      'cls.predictions.transform.LayerNorm.gamma',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.dense.weight',
    ]);
    expect(loaded.report.tied).toEqual([]);
    disposeParams(loaded.params);
  });
});

describe('loadBertWeights on synthetic checkpoints', () => {
  const config = tinyConfig();

  it('throws on a shape mismatch, naming the tensor and both shapes', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.set('bert.encoder.layer.1.output.dense.weight', { dtype: 'F32', shape: [8, 15], data: new Float32Array(120) });
    const error = weightsError(() => loadBertWeights(config, tensors, FULL));
    expect(error.code).toBe('shape-mismatch');
    expect(error.tensor).toBe('bert.encoder.layer.1.output.dense.weight');
    expect(error.message).toContain('[8, 15]');
    expect(error.message).toContain('[8, 16]');
  });

  it('names the stored and the canonical tensor when a renamed tensor mismatches', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.delete('bert.embeddings.LayerNorm.weight');
    tensors.set('embeddings.LayerNorm.gamma', { dtype: 'F32', shape: [9], data: new Float32Array(9) });
    const error = weightsError(() => loadBertWeights(config, tensors, FULL));
    expect(error.message).toMatch(/embeddings\.LayerNorm\.gamma \(as bert\.embeddings\.LayerNorm\.weight\) has shape \[9\]/);
  });

  it('rejects integer parameter tensors', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.set('classifier.bias', { dtype: 'I64', shape: [3], data: new Int32Array(3) });
    expect(weightsError(() => loadBertWeights(config, tensors, FULL)).code).toBe('not-float');
  });

  it('rejects a decoder weight of the wrong shape', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.set(DECODER_WEIGHT, { dtype: 'F32', shape: [20, 4], data: new Float32Array(80) });
    expect(weightsError(() => loadBertWeights(config, tensors, FULL)).code).toBe('shape-mismatch');
  });

  it('throws when nothing looks like a BERT encoder', () => {
    const roberta = new Map<string, TensorEntry>([
      ['roberta.embeddings.word_embeddings.weight', { dtype: 'F32', shape: [20, 8], data: new Float32Array(160) }],
    ]);
    const error = weightsError(() => loadBertWeights(config, roberta, FULL));
    expect(error.code).toBe('not-bert');
    expect(error.message).toContain('roberta.embeddings.word_embeddings.weight');
    expect(weightsError(() => loadBertWeights(config, new Map(), FULL)).code).toBe('not-bert');
  });

  it('warns when a stored decoder weight differs from the word embeddings, and uses the embeddings', async () => {
    const tensors = randomCheckpoint(config, FULL);
    const words = tensors.get('bert.embeddings.word_embeddings.weight')!;
    const decoder = Float32Array.from(words.data, (v) => v + 0.25);
    tensors.set(DECODER_WEIGHT, { dtype: 'F32', shape: words.shape, data: decoder });
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report.warnings).toHaveLength(1);
    expect(loaded.report.warnings[0]).toMatch(/cls\.predictions\.decoder\.weight differs .* 0\.250/);
    expect(await values(loaded, 'bert.embeddings.word_embeddings.weight')).toEqual(Array.from(words.data));
    disposeParams(loaded.params);
  });

  it('warns when two stored names for one parameter differ', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.set('cls.predictions.decoder.bias', { dtype: 'F32', shape: [20], data: new Float32Array(20).fill(3) });
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report.warnings).toEqual([
      'cls.predictions.bias and cls.predictions.decoder.bias both give cls.predictions.bias but differ; cls.predictions.bias is used',
    ]);
    disposeParams(loaded.params);
  });

  it('skips position_ids buffers and reports other unknown tensors', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.set('bert.embeddings.position_ids', { dtype: 'I64', shape: [1, 16], data: new Int32Array(16) });
    tensors.set('cls.seq_relationship.weight', { dtype: 'F32', shape: [2, 8], data: new Float32Array(16) });
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report.unexpected).toEqual(['cls.seq_relationship.weight']);
    disposeParams(loaded.params);
  });

  it('reports a missing encoder tensor as missing and initialised', () => {
    const tensors = randomCheckpoint(config, FULL);
    tensors.delete('bert.encoder.layer.1.output.dense.weight');
    const loaded = loadBertWeights(config, tensors, FULL);
    expect(loaded.report.missing).toEqual(['bert.encoder.layer.1.output.dense.weight']);
    expect(loaded.report.initialised).toEqual(['bert.encoder.layer.1.output.dense.weight']);
    disposeParams(loaded.params);
  });

  it('refuses a config asking for more layers than the checkpoint holds, before filling them with random weights', () => {
    const tensors = randomCheckpoint(config, FULL);
    const error = weightsError(() => loadBertWeights(tinyConfig({ num_hidden_layers: 100 }), tensors, FULL));
    expect(error.code).toBe('layer-count');
    expect(error.message).toMatch(/asks for 100 layers \(num_hidden_layers\) but the checkpoint holds 2/);
  });

  it('refuses NaN and Inf weights at load, naming the tensor', () => {
    const tensors = randomCheckpoint(config, FULL);
    const entry = tensors.get('bert.encoder.layer.1.attention.self.query.weight')!;
    entry.data[3] = NaN;
    entry.data[5] = -Infinity;
    const error = weightsError(() => loadBertWeights(config, tensors, FULL));
    expect(error.code).toBe('not-finite');
    expect(error.tensor).toBe('bert.encoder.layer.1.attention.self.query.weight');
    expect(error.message).toMatch(/holds 2 NaN or Inf values/);
  });

  it('never exports NaN or Inf weights', async () => {
    const loaded = loadBertWeights(config, randomCheckpoint(config, FULL), FULL);
    const bias = loaded.params.get('classifier.bias')!;
    bias.assign(tf.fill(bias.shape, NaN));
    await expect(exportBertWeights(loaded.params)).rejects.toThrow(/classifier\.bias holds \d+ NaN or Inf/);
    disposeParams(loaded.params);
  });

  it('initialises as HF: N(0, initializer_range) weights, zero [PAD] row, zero biases, LayerNorm 1 and 0', async () => {
    const wide = tinyConfig({ vocab_size: 500, pad_token_id: 3, initializer_range: 0.05 });
    const tensors = randomCheckpoint(wide, FULL);
    for (const name of ['bert.embeddings.word_embeddings.weight', ...HEAD_NAMES, 'classifier.bias']) tensors.delete(name);
    const loaded = loadBertWeights(wide, tensors, FULL, 7);
    const words = await values(loaded, 'bert.embeddings.word_embeddings.weight');
    expect(words.slice(3 * 8, 4 * 8)).toEqual(new Array(8).fill(0));
    const std = Math.sqrt(words.reduce((sum, v) => sum + v * v, 0) / (words.length - 8));
    expect(std).toBeGreaterThan(0.045);
    expect(std).toBeLessThan(0.055);
    expect(Math.abs(words.reduce((a, b) => a + b, 0) / words.length)).toBeLessThan(0.005);
    expect(new Set(await values(loaded, 'cls.predictions.transform.LayerNorm.weight'))).toEqual(new Set([1]));
    expect(new Set(await values(loaded, 'cls.predictions.transform.LayerNorm.bias'))).toEqual(new Set([0]));
    expect(new Set(await values(loaded, 'cls.predictions.bias'))).toEqual(new Set([0]));
    expect(new Set(await values(loaded, 'classifier.bias'))).toEqual(new Set([0]));

    const again = loadBertWeights(wide, tensors, FULL, 7);
    const other = loadBertWeights(wide, tensors, FULL, 8);
    expect(await values(again, 'cls.predictions.transform.dense.weight')).toEqual(await values(loaded, 'cls.predictions.transform.dense.weight'));
    expect(await values(other, 'cls.predictions.transform.dense.weight')).not.toEqual(await values(loaded, 'cls.predictions.transform.dense.weight'));
    [loaded, again, other].forEach((l) => disposeParams(l.params));
  });

  it('reads a classifier without a pooler as a token classifier: no pooler, a fresh classifier', () => {
    const { params, report } = loadBertWeights(config, randomCheckpoint(config, MLM_ONLY), { pooler: false, mlm: false, classifier: true });
    expect(params.has('bert.pooler.dense.weight')).toBe(false);
    expect(report.initialised).toEqual(['classifier.weight', 'classifier.bias']);
    disposeParams(params);
  });
});

describe('exportBertWeights', () => {
  it('writes canonical names without the tied decoder and loads back to the same values', async () => {
    const { config, tensors } = fixture('legacy-names');
    const loaded = loadBertWeights(config, tensors, { pooler: true, mlm: true, classifier: false });
    const exported = await exportBertWeights(loaded.params);
    expect([...exported.keys()]).toEqual([...loaded.params.keys()]);
    expect(exported.has(DECODER_WEIGHT)).toBe(false);
    expect(exported.get('bert.encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([32, 16]); // [out, in]

    const file = readSafetensors(writeSafetensors(exported));
    expect(file.metadata.format).toBe('pt');
    const reloaded = loadBertWeights(config, file.tensors, { pooler: true, mlm: true, classifier: false });
    expect(reloaded.report).toEqual({ missing: [], initialised: [], unexpected: [], tied: [DECODER_WEIGHT], warnings: [] });
    for (const name of loaded.params.keys()) expect(await values(reloaded, name)).toEqual(await values(loaded, name));
    disposeParams(loaded.params);
    disposeParams(reloaded.params);
  });
});

describe('initialCheckpoint', () => {
  it('initialises as HF does: N(0, initializer_range) weights, zero biases, unit LayerNorm, zero padding row', () => {
    const config = tinyConfig();
    const tensors = initialCheckpoint(config, FULL, 3);
    const word = tensors.get('bert.embeddings.word_embeddings.weight')!.data;
    const padRow = word.subarray(config.padTokenId! * config.hiddenSize, (config.padTokenId! + 1) * config.hiddenSize);
    expect(padRow.every((v) => v === 0)).toBe(true);
    const query = tensors.get('bert.encoder.layer.0.attention.self.query.weight')!.data as Float32Array;
    const std = Math.sqrt(query.reduce((s, v) => s + v * v, 0) / query.length);
    expect(std).toBeGreaterThan(config.initializerRange * 0.7);
    expect(std).toBeLessThan(config.initializerRange * 1.3);
    expect(tensors.get('bert.encoder.layer.0.attention.self.query.bias')!.data.every((v) => v === 0)).toBe(true);
    expect(tensors.get('bert.embeddings.LayerNorm.weight')!.data.every((v) => v === 1)).toBe(true);
    const { report, params } = loadBertWeights(config, tensors, FULL);
    expect(report.initialised).toEqual([]);
    disposeParams(params);
  });
});
