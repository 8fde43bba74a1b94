/**
 * Compares the tfjs BERT (src/model) with a golden fixture written by make_fixtures.py, on whatever tfjs
 * backend is active: forward outputs and losses by max abs error, gradients by max abs error relative to the
 * largest magnitude of the reference gradient. Shared by the Node test (fs) and the browser harness (fetch).
 */
import * as tf from '@tensorflow/tfjs';
import { readSafetensors, type TensorEntry } from '../../src/io/safetensors';
import type { BertBatch } from '../../src/model/bert/batch';
import { bertForward, type BertOutput } from '../../src/model/bert/model';
import type { BertConfig } from '../../src/model/bert/config';
import { classificationHead, mlmHead, questionAnsweringHead, tokenClassificationHead } from '../../src/model/bert/heads';
import { classificationLoss, crossEntropyLoss, IGNORE_INDEX, maskedLmTargets, questionAnsweringLoss } from '../../src/model/losses';
import type { BertArchitecture, BertParams } from '../../src/model/bert/params';
import { disposeParams } from '../../src/model/params';
import { loadBertWeights, type LoadReport } from '../../src/model/bert/weights';
import { familyOf, sharedTensors, type Family } from '../../src/model/families';
import { applyAdapter, readPeftAdapter } from '../../src/model/peft';

/** Reads a file named relative to the fixture folder (the one holding golden.json). */
export type ReadFile = (name: string) => Promise<Uint8Array>;

/** golden.json, as make_fixtures.py writes it. Values are tensor names in golden.safetensors. */
export interface GoldenSpec {
  description: string;
  /** The checkpoint folder (config.json, model.safetensors) relative to golden.json. */
  checkpoint: string;
  /**
   * `tokens`: a token classifier (no pooler), in the token-classification fixture only; `qa`: qa_outputs (no pooler),
   * in the question-answering fixture only.
   */
  heads: { mlm: boolean; classification: boolean; tokens?: boolean; qa?: boolean };
  inputs: {
    batch_size: number;
    seq_len: number;
    input_ids: string;
    token_type_ids: string;
    attention_mask: string;
  };
  outputs: {
    hidden_states: string[];
    attentions: string[];
    pooled_output?: string;
    mlm_logits?: string;
    classification_logits?: string;
    /** [batch, seq, labels] */
    token_logits?: string;
    /** [batch, seq, 2]: start and end logits */
    qa_logits?: string;
  };
  losses: Partial<Record<GoldenHead, GoldenLoss>>;
  tolerances: { forward_max_abs: number; gradient_max_rel: number };
  /** A PEFT adapter folder (adapter_config.json, adapter_model.safetensors) applied to the checkpoint: the LoRA fixture. */
  adapter?: string;
}

type GoldenHead = 'mlm' | 'classification' | 'tokens' | 'qa';

interface GoldenLoss {
  kind: 'masked_lm_cross_entropy' | 'cross_entropy' | 'mse' | 'token_cross_entropy' | 'qa_cross_entropy';
  /** [batch, 2] start and end positions for qa_cross_entropy; otherwise as the head's labels. */
  labels: string;
  value: number;
  /** Parameter name as the family stores it → tensor name of d(loss)/d(parameter). */
  gradients: Record<string, string>;
}

export interface CheckResult {
  /** e.g. "hidden_states.2", "loss.mlm", "grad.mlm.bert.pooler.dense.weight". */
  name: string;
  kind: 'forward' | 'loss' | 'gradient';
  /** Max abs error (forward, loss) or max abs error / max |reference| (gradient). */
  error: number;
  tolerance: number;
  pass: boolean;
}

export interface GoldenReport {
  description: string;
  backend: string;
  loadReport: LoadReport;
  results: CheckResult[];
  pass: boolean;
}

type Loaded = { spec: GoldenSpec; golden: Map<string, TensorEntry>; family: Family; config: BertConfig; params: BertParams; report: LoadReport };

/** Runs every check the fixture defines and returns them all (it throws only on unreadable fixtures). */
export async function runGoldenChecks(readFile: ReadFile): Promise<GoldenReport> {
  const { spec, golden, family, config, params, report } = await loadFixture(readFile);
  try {
    const batch = goldenBatch(spec, golden);
    const results = [...(await checkForward(spec, golden, config, params, batch))];
    for (const head of ['mlm', 'classification', 'tokens', 'qa'] as const) {
      const loss = spec.losses[head];
      if (loss) results.push(...(await checkLoss(head, loss, spec, golden, family, config, params, batch)));
    }
    return {
      description: spec.description,
      backend: tf.getBackend(),
      loadReport: report,
      results,
      pass: results.every((r) => r.pass),
    };
  } finally {
    disposeParams(params);
  }
}

/** Reads golden.json, golden.safetensors and the checkpoint it names, and loads the parameters as its family. */
export async function loadFixture(readFile: ReadFile): Promise<Loaded> {
  const spec = JSON.parse(new TextDecoder().decode(await readFile('golden.json'))) as GoldenSpec;
  const golden = readSafetensors(await readFile('golden.safetensors')).tensors;
  const inCheckpoint = (file: string): string => (spec.checkpoint === '.' ? file : `${spec.checkpoint}/${file}`);
  const json: unknown = JSON.parse(new TextDecoder().decode(await readFile(inCheckpoint('config.json'))));
  const family = familyOf(json);
  const config = family.parseConfig(json);
  const weights = sharedTensors(family, readSafetensors(await readFile(inCheckpoint('model.safetensors'))).tensors);
  const loaded = loadBertWeights(config, weights, goldenArchitecture(spec));
  if (!spec.adapter) return { spec, golden, family, config, params: loaded.params, report: loaded.report };
  const read = async (file: string) => readFile(`${spec.adapter}/${file}`);
  const adapter = readPeftAdapter(new TextDecoder().decode(await read('adapter_config.json')), await read('adapter_model.safetensors'), family);
  const adapted = applyAdapter(loaded.params, config, adapter);
  return { spec, golden, family, config: adapted, params: loaded.params, report: loaded.report };
}

/** The parts the fixture has outputs for: a pooler whenever it has a pooled output or a sequence classifier. */
export function goldenArchitecture(spec: GoldenSpec): BertArchitecture {
  return {
    pooler: spec.outputs.pooled_output !== undefined || spec.heads.classification,
    mlm: spec.heads.mlm,
    classifier: spec.heads.classification || spec.heads.tokens === true,
    qa: spec.heads.qa === true,
  };
}

export function goldenBatch(spec: GoldenSpec, golden: Map<string, TensorEntry>): BertBatch {
  return {
    inputIds: entry(golden, spec.inputs.input_ids).data as Int32Array,
    tokenTypeIds: entry(golden, spec.inputs.token_type_ids).data as Int32Array,
    attentionMask: entry(golden, spec.inputs.attention_mask).data as Int32Array,
    batchSize: spec.inputs.batch_size,
    seqLen: spec.inputs.seq_len,
  };
}

async function checkForward(
  spec: GoldenSpec,
  golden: Map<string, TensorEntry>,
  config: BertConfig,
  params: BertParams,
  batch: BertBatch,
): Promise<CheckResult[]> {
  const allPositions = Int32Array.from({ length: batch.batchSize * batch.seqLen }, (_, i) => i);
  const actual = tf.tidy(() => {
    const out: BertOutput = bertForward(params, config, batch, {
      training: false,
      outputHiddenStates: true,
      outputAttentions: true,
    });
    // A plain object, not a Map: tf.tidy keeps only the tensors it can find in what it returns.
    const tensors: Record<string, tf.Tensor> = {};
    spec.outputs.hidden_states.forEach((name, i) => (tensors[name] = out.hiddenStates![i]));
    spec.outputs.attentions.forEach((name, i) => (tensors[name] = out.attentions![i]));
    if (spec.outputs.pooled_output) tensors[spec.outputs.pooled_output] = out.pooledOutput!;
    if (spec.outputs.mlm_logits) {
      const logits = mlmHead(params, config, out.sequenceOutput, allPositions); // [tokens, vocab]
      tensors[spec.outputs.mlm_logits] = tf.reshape(logits, [batch.batchSize, batch.seqLen, config.vocabSize]);
    }
    if (spec.outputs.classification_logits) {
      const pooled = out.pooledOutput!;
      tensors[spec.outputs.classification_logits] = classificationHead(params, config, pooled, { training: false });
    }
    if (spec.outputs.token_logits) {
      const logits = tokenClassificationHead(params, config, out.sequenceOutput, { training: false }); // [tokens, labels]
      tensors[spec.outputs.token_logits] = tf.reshape(logits, [batch.batchSize, batch.seqLen, config.numLabels]);
    }
    if (spec.outputs.qa_logits) {
      const logits = questionAnsweringHead(params, config, out.sequenceOutput, { training: false }); // [tokens, 2]
      tensors[spec.outputs.qa_logits] = tf.reshape(logits, [batch.batchSize, batch.seqLen, 2]);
    }
    return tensors;
  });
  const results: CheckResult[] = [];
  for (const [name, tensor] of Object.entries(actual)) {
    const error = await maxAbsError(tensor, entry(golden, name));
    results.push(result(name, 'forward', error, spec.tolerances.forward_max_abs));
  }
  tf.dispose(Object.values(actual));
  return results;
}

async function checkLoss(
  head: GoldenHead,
  loss: GoldenLoss,
  spec: GoldenSpec,
  golden: Map<string, TensorEntry>,
  family: Family,
  config: BertConfig,
  params: BertParams,
  batch: BertBatch,
): Promise<CheckResult[]> {
  const labels = entry(golden, loss.labels).data;
  const names = Object.keys(loss.gradients);
  const variables = names.map((name) => {
    const variable = params.get(family.sharedName(name));
    if (variable === undefined) throw new Error(`golden gradient for ${name}, which the model does not have`);
    return variable;
  });
  const lossFn = (): tf.Scalar => {
    const out = bertForward(params, config, batch, { training: false });
    if (head === 'mlm') {
      const targets = maskedLmTargets(labels as Int32Array, config.vocabSize);
      return crossEntropyLoss(mlmHead(params, config, out.sequenceOutput, targets.positions), targets.labels);
    }
    if (head === 'qa') return answerLoss(questionAnsweringHead(params, config, out.sequenceOutput, { training: false }), batch, labels as Int32Array);
    if (head === 'tokens') return tokenLoss(tokenClassificationHead(params, config, out.sequenceOutput, { training: false }), labels as Int32Array);
    return classificationLoss(config, classificationHead(params, config, out.pooledOutput!, { training: false }), labels);
  };
  const { value, grads } = tf.variableGrads(lossFn, variables);
  const lossError = Math.abs((await value.data())[0] - loss.value);
  const results = [result(`loss.${head}`, 'loss', lossError, spec.tolerances.forward_max_abs)];
  for (const [i, name] of names.entries()) {
    const reference = entry(golden, loss.gradients[name]);
    const error = (await maxAbsError(grads[variables[i].name], reference)) / maxAbs(reference.data);
    results.push(result(loss.gradients[name], 'gradient', error, spec.tolerances.gradient_max_rel));
  }
  tf.dispose([value, ...Object.values(grads)]);
  return results;
}

/** The studio's token-classification loss on HF-style labels: weight 0 (and any class id) where the label is -100. */
function tokenLoss(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  const weights = Float32Array.from(labels, (label) => (label === IGNORE_INDEX ? 0 : 1));
  return crossEntropyLoss(logits, labels.map((label) => Math.max(label, 0)), weights);
}

/** The studio's question-answering loss on the fixture's [batch, 2] start and end positions. */
function answerLoss(logits: tf.Tensor2D, batch: BertBatch, positions: Int32Array): tf.Scalar {
  const column = (k: number): Int32Array => Int32Array.from({ length: batch.batchSize }, (_, r) => positions[2 * r + k]);
  return questionAnsweringLoss(logits, batch, column(0), column(1));
}

function result(name: string, kind: CheckResult['kind'], error: number, tolerance: number): CheckResult {
  return { name, kind, error, tolerance, pass: error <= tolerance };
}

function entry(golden: Map<string, TensorEntry>, name: string): TensorEntry {
  const found = golden.get(name);
  if (found === undefined) throw new Error(`golden.safetensors has no tensor ${name}`);
  return found;
}

/** Max |actual - expected|; Infinity when the shapes differ (so the check fails loudly). */
async function maxAbsError(actual: tf.Tensor, expected: TensorEntry): Promise<number> {
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!sameShape) return Infinity;
  const values = await actual.data();
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const diff = Math.abs(values[i] - expected.data[i]);
    max = Number.isNaN(diff) ? Infinity : Math.max(max, diff);
  }
  return max;
}

function maxAbs(values: Float32Array | Int32Array): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}
