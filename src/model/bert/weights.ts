/**
 * Checkpoint tensors → model parameters, and back, as HF's from_pretrained / save_pretrained do for BERT.
 *
 * Accepted stored names: canonical (`bert.`-prefixed), BertModel-style without the prefix, legacy LayerNorm
 * `gamma`/`beta`, and `cls.predictions.decoder.bias` as an alias of `cls.predictions.bias`. The MLM decoder is
 * always the word-embedding table (tied); a stored `cls.predictions.decoder.weight` is only compared with it.
 * Parameters the checkpoint lacks start from HF's _init_weights: N(0, initializer_range) weights and
 * embeddings (the [PAD] row zero), zero biases, LayerNorm 1 and 0.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../data/random';
import type { TensorEntry, TensorToWrite } from '../../io/safetensors';
import type { BertConfig } from './config';
import { WeightsError } from '../errors';
import { mergedValues, type LoraSettings } from '../lora';
import { parameterShapes, WORD_EMBEDDINGS, type BertArchitecture, type BertParams } from './params';

export const DECODER_WEIGHT = 'cls.predictions.decoder.weight';

/** Buffers some checkpoints carry that are not parameters; HF skips them without a word. */
const IGNORED = new Set(['bert.embeddings.position_ids']);

/** What loading did, in the spirit of from_pretrained(output_loading_info=True). Names are canonical unless noted. */
export interface LoadReport {
  /** Encoder parameters (bert.embeddings.*, bert.encoder.*) the checkpoint lacks: a wrong or truncated file. */
  missing: string[];
  /** Every parameter that starts from fresh random weights: new heads, a pooler, and anything missing. */
  initialised: string[];
  /** Stored tensors the model does not use (as named in the file), e.g. cls.seq_relationship.* or another head. */
  unexpected: string[];
  /** Parameters shared rather than loaded: the MLM decoder weight is the word-embedding table. */
  tied: string[];
  /** Oddities that did not stop loading, e.g. a stored decoder weight that differs from the word embeddings. */
  warnings: string[];
}

export interface LoadedWeights {
  params: BertParams;
  report: LoadReport;
}

/** The canonical HF name of a stored tensor name. */
export function canonicalName(stored: string): string {
  let name = stored;
  const root = name.split('.')[0];
  if (root === 'embeddings' || root === 'encoder' || root === 'pooler') name = `bert.${name}`;
  if (name.includes('LayerNorm.')) name = name.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
  if (name === 'cls.predictions.decoder.bias') name = 'cls.predictions.bias';
  return name;
}

/**
 * Builds the parameters of `architecture` from checkpoint tensors. Throws WeightsError on a shape mismatch
 * (naming the tensor and both shapes), on a non-float parameter tensor, and when no BERT encoder tensor is
 * found at all. `seed` makes the initialisation of missing parameters reproducible.
 */
export function loadBertWeights(
  config: BertConfig,
  tensors: Map<string, TensorEntry>,
  architecture: BertArchitecture,
  seed = 0,
): LoadedWeights {
  const shapes = parameterShapes(config, architecture);
  const report: LoadReport = { missing: [], initialised: [], unexpected: [], tied: [], warnings: [] };
  const found = new Map<string, { stored: string; entry: TensorEntry }>();
  let decoder: { stored: string; entry: TensorEntry } | undefined;

  for (const [stored, entry] of tensors) {
    const name = canonicalName(stored);
    if (IGNORED.has(name)) continue;
    if (name === DECODER_WEIGHT && architecture.mlm) {
      decoder = { stored, entry };
      continue;
    }
    const shape = shapes.get(name);
    if (shape === undefined) {
      report.unexpected.push(stored);
      continue;
    }
    checkEntry(stored, name, entry, shape);
    const previous = found.get(name);
    if (previous === undefined) {
      found.set(name, { stored, entry });
    } else if (maxAbsDiff(previous.entry.data, entry.data) > 0) {
      report.warnings.push(`${previous.stored} and ${stored} both give ${name} but differ; ${previous.stored} is used`);
    }
  }
  if (![...found.keys()].some((name) => name.startsWith('bert.embeddings.') || name.startsWith('bert.encoder.'))) {
    const sample = [...tensors.keys()].slice(0, 3).join(', ');
    throw new WeightsError('not-bert', `no BERT encoder tensor in this checkpoint (it holds e.g. ${sample || 'nothing'})`);
  }
  checkLayerCount(config, found.keys());

  const rng = createRng(seed);
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const hit = found.get(name);
    if (hit !== undefined) {
      values.set(name, hit.entry.data as Float32Array);
      continue;
    }
    values.set(name, initialValue(name, shape, config, rng.fork(name)));
    report.initialised.push(name);
    if (name.startsWith('bert.embeddings.') || name.startsWith('bert.encoder.')) report.missing.push(name);
  }
  if (architecture.mlm) {
    report.tied.push(DECODER_WEIGHT);
    if (decoder !== undefined) checkTiedDecoder(decoder, values.get(WORD_EMBEDDINGS)!, shapes.get(WORD_EMBEDDINGS)!, report);
  }

  const params: BertParams = new Map();
  for (const [name, shape] of shapes) {
    const init = tf.tensor(values.get(name)!, shape, 'float32');
    params.set(name, tf.variable(init, true));
    init.dispose();
  }
  return { params, report };
}

/**
 * The parameters as HF's save_pretrained writes them: canonical names, [out, in] layout, and no tied decoder
 * weight (HF drops it from safetensors files too). Ready for writeSafetensors. With `lora`, each adapter is merged
 * into the weight it adapts (what `transformers` loads without PEFT); without, adapters are kept as they are (a run's
 * own record, which continues training them).
 */
export async function exportBertWeights(params: BertParams, lora?: LoraSettings): Promise<Map<string, TensorToWrite>> {
  const values = lora ? await mergedValues(params, lora) : await rawValues(params);
  for (const [name, { data }] of values) checkFinite(name, data);
  return values;
}

async function rawValues(params: BertParams): Promise<Map<string, TensorToWrite>> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, variable] of params) out.set(name, { shape: [...variable.shape], data: (await variable.data()) as Float32Array });
  return out;
}

function checkEntry(stored: string, name: string, entry: TensorEntry, shape: number[]): void {
  const fits = entry.shape.length === shape.length && entry.shape.every((d, i) => d === shape[i]);
  if (!fits) {
    const target = stored === name ? '' : ` (as ${name})`;
    throw new WeightsError(
      'shape-mismatch',
      `${stored}${target} has shape [${entry.shape.join(', ')}] but the config needs [${shape.join(', ')}]`,
      stored,
    );
  }
  if (!(entry.data instanceof Float32Array)) {
    throw new WeightsError('not-float', `${stored} is stored as ${entry.dtype}; parameters must be floating point`, stored);
  }
  checkFinite(stored, entry.data);
}

/** Refuses NaN and Inf: a model holding them predicts garbage and would export it (e.g. a diverged run's save). */
function checkFinite(name: string, data: Float32Array): void {
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) bad += 1;
  if (bad > 0) {
    throw new WeightsError('not-finite', `${name} holds ${bad} NaN or Inf value${bad === 1 ? '' : 's'} (of ${data.length}): the checkpoint is damaged or was saved from a diverged run`, name);
  }
}

/** The checkpoint's sets of layer weights (canonical names) against the config's count, checked before any is initialised. */
function checkLayerCount(config: BertConfig, names: Iterable<string>): void {
  let stored = -1;
  for (const name of names) {
    const match = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
    if (match) stored = Math.max(stored, Number(match[1]));
  }
  if (stored >= 0 && config.numHiddenGroups > stored + 1) {
    const asked = config.numHiddenGroups === config.numHiddenLayers
      ? `${config.numHiddenLayers} layers (num_hidden_layers)`
      : `${config.numHiddenGroups} layer groups (num_hidden_groups)`;
    throw new WeightsError('layer-count', `config.json asks for ${asked} but the checkpoint holds ${stored + 1}; the rest would be random`);
  }
}

function checkTiedDecoder(
  decoder: { stored: string; entry: TensorEntry },
  wordEmbeddings: Float32Array,
  shape: number[],
  report: LoadReport,
): void {
  checkEntry(decoder.stored, DECODER_WEIGHT, decoder.entry, shape);
  const diff = maxAbsDiff(decoder.entry.data, wordEmbeddings);
  if (diff > 0) {
    report.warnings.push(
      `${decoder.stored} differs from the word embeddings (max abs difference ${diff.toPrecision(3)}); ` +
        'the decoder is tied, so the word embeddings are used for both',
    );
  }
}

/**
 * A freshly initialised checkpoint for `architecture`, as HF's `_init_weights` would make it: the from-scratch
 * baseline that a pretrained model is compared against.
 */
export function initialCheckpoint(config: BertConfig, architecture: BertArchitecture, seed: number): Map<string, TensorEntry> {
  const rng = createRng(seed);
  const out = new Map<string, TensorEntry>();
  for (const [name, shape] of parameterShapes(config, architecture)) {
    out.set(name, { dtype: 'F32', shape, data: initialValue(name, shape, config, rng.fork(name)) });
  }
  return out;
}

function initialValue(name: string, shape: number[], config: BertConfig, rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (name.includes('LayerNorm.')) return new Float32Array(size).fill(name.endsWith('.weight') ? 1 : 0);
  if (name.endsWith('.bias')) return new Float32Array(size);
  const values = normal(rng, size, config.initializerRange);
  if (name === WORD_EMBEDDINGS && config.padTokenId !== null) {
    values.fill(0, config.padTokenId * config.embeddingSize, (config.padTokenId + 1) * config.embeddingSize);
  }
  return values;
}

/** N(0, std) samples by Box–Muller, from the project's seeded generator (backend-independent). */
function normal(rng: Rng, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < size) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

function maxAbsDiff(a: Float32Array | Int32Array, b: Float32Array | Int32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
