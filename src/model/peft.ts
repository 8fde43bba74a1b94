/**
 * LoRA adapters in PEFT's layout, both ways: `adapter_config.json` + `adapter_model.safetensors` as
 * `PeftModel.save_pretrained` writes them (tensor names `base_model.model.<module>.lora_A.weight`, the adapter name
 * dropped; the trained head, PEFT's `modules_to_save`, under its own module names), so that
 * `PeftModel.from_pretrained(AutoModelFor…(base), folder)` loads a studio adapter, and the studio opens one trained
 * by PEFT on the same base checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { readSafetensors, writeSafetensors, type TensorEntry, type TensorToWrite } from '../io/safetensors';
import type { BertConfig } from './bert/config';
import { architectureOf, type BertArchitecture, type BertParams } from './bert/params';
import { AdapterError, WeightsError } from './errors';
import { FAMILIES, type Family } from './families';
import { adaptedLayers, dropAdapters, isLoraParam, LORA_A, LORA_B, LORA_TARGETS, TARGET_LAYERS, type LoraSettings, type LoraTarget } from './lora';
import type { Task } from './task';

const PREFIX = 'base_model.model.';
const ENCODER = /^bert\.(embeddings|encoder)\./;

/** The task a head is for, in PEFT's TaskType names. */
const TASK_TYPES: Partial<Record<Task, string>> = { classify: 'SEQ_CLS', ner: 'TOKEN_CLS', qa: 'QUESTION_ANS' };

/** A model's adapters and head as PEFT saves them; `baseModel` is the checkpoint they sit on (a Hub id or a name). */
export async function peftFiles(model: { params: BertParams; config: BertConfig }, task: Task, baseModel: string): Promise<Record<string, Uint8Array>> {
  const { params, config } = model;
  const { lora } = config;
  if (!lora) throw new Error('This model has no LoRA adapters: train it with a LoRA rank above 0 to save an adapter.');
  const taskType = TASK_TYPES[task];
  if (!taskType) throw new Error(`A LoRA adapter is saved for classification, token classification or question answering, not ${task}.`);
  const family = FAMILIES[config.modelType];
  const architecture = architectureOf(params);
  const stored = (shared: string) => family.storedName(shared, architecture);
  const head = [...params.keys()].filter((name) => !isLoraParam(name) && !ENCODER.test(name));
  const adapterConfig = {
    peft_type: 'LORA',
    task_type: taskType,
    r: lora.rank,
    lora_alpha: lora.alpha,
    lora_dropout: lora.dropout,
    target_modules: targetPattern(family, config, lora.targets),
    modules_to_save: [...new Set(head.map((name) => topModule(family, stored(name))))],
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    use_rslora: false,
    use_dora: false,
    base_model_name_or_path: baseModel,
    revision: null,
  };
  const tensors = new Map<string, TensorToWrite>();
  for (const name of [...params.keys()].filter(isLoraParam).concat(head)) {
    const variable = params.get(name)!;
    tensors.set(`${PREFIX}${storedParam(family, name, architecture)}`, { shape: [...variable.shape], data: (await variable.data()) as Float32Array });
  }
  return {
    'adapter_config.json': new TextEncoder().encode(`${JSON.stringify(adapterConfig, null, 2)}\n`),
    'adapter_model.safetensors': writeSafetensors(tensors),
  };
}

/** An adapter read from PEFT's files, in the shared names, checked before anything is allocated. */
export interface PeftAdapter {
  settings: LoraSettings;
  /** Shared names: `<layer>.lora_A.weight` / `<layer>.lora_B.weight`, and the head's parameters. */
  tensors: Map<string, TensorEntry>;
  baseModel: string | null;
  /** The task its head is for: PEFT's TOKEN_CLS and QUESTION_ANS, anything else a sequence classifier. */
  task: Extract<Task, 'classify' | 'ner' | 'qa'>;
}

/** Reads `adapter_config.json` and `adapter_model.safetensors` for a model of `family`. */
export function readPeftAdapter(configText: string, weights: Uint8Array, family: Family): PeftAdapter {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(configText) as Record<string, unknown>;
  } catch (err) {
    throw new AdapterError('adapter_config.json', '(the file)', `is not valid JSON: ${(err as Error).message}`);
  }
  const bad = (field: string, problem: string) => new AdapterError('adapter_config.json', field, problem);
  if (json.peft_type !== 'LORA') throw bad('peft_type', `is ${JSON.stringify(json.peft_type ?? null)}; the studio opens LoRA adapters ("LORA")`);
  const rank = json.r;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) throw bad('r', `must be a positive integer, got ${JSON.stringify(rank)}`);
  const alpha = json.lora_alpha;
  if (typeof alpha !== 'number' || !(alpha > 0)) throw bad('lora_alpha', `must be a positive number, got ${JSON.stringify(alpha)}`);
  const dropout = json.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || dropout < 0 || dropout >= 1) throw bad('lora_dropout', `must be in [0, 1), got ${JSON.stringify(dropout)}`);
  if (json.fan_in_fan_out === true) throw bad('fan_in_fan_out', 'is true (GPT-2 style Conv1D layers); BERT-family Linear layers are not');
  if (json.bias !== undefined && json.bias !== 'none') throw bad('bias', `is ${JSON.stringify(json.bias)}; only "none" (no trained biases) is implemented`);
  if (json.use_rslora === true) throw bad('use_rslora', 'is true: rank-stabilised scaling (alpha / sqrt(r)) is not implemented');
  if (json.use_dora === true) throw bad('use_dora', 'is true: DoRA adapters are not implemented');
  if (json.rank_pattern && Object.keys(json.rank_pattern).length > 0) throw bad('rank_pattern', 'gives layers ranks of their own, which is not implemented');
  if (json.alpha_pattern && Object.keys(json.alpha_pattern).length > 0) throw bad('alpha_pattern', 'gives layers alphas of their own, which is not implemented');

  const tensors = new Map<string, TensorEntry>();
  const targets = new Set<LoraTarget>();
  for (const [name, entry] of readSafetensors(weights).tensors) {
    if (!name.startsWith(PREFIX)) throw new AdapterError('adapter_model.safetensors', name, `does not start with "${PREFIX}" as PEFT names its tensors`);
    const stored = name.slice(PREFIX.length);
    const part = [LORA_A, LORA_B].find((suffix) => stored.endsWith(`.${suffix}`));
    const shared = part ? `${family.sharedName(`${stored.slice(0, -part.length - 1)}.weight`).slice(0, -'.weight'.length)}.${part}` : family.sharedName(stored);
    if (part) {
      const target = targetOf(shared);
      if (!target) throw new AdapterError('adapter_model.safetensors', name, 'adapts a layer the studio does not put adapters on (query, key, value, attention output, feed-forward)');
      targets.add(target);
    }
    tensors.set(shared, entry);
  }
  if (targets.size === 0) throw new AdapterError('adapter_model.safetensors', '(the file)', 'holds no lora_A / lora_B tensors');
  const baseModel = typeof json.base_model_name_or_path === 'string' ? json.base_model_name_or_path : null;
  const task = json.task_type === 'TOKEN_CLS' ? 'ner' : json.task_type === 'QUESTION_ANS' ? 'qa' : 'classify';
  return { settings: { rank, alpha, dropout, targets: LORA_TARGETS.filter((t) => targets.has(t)) }, tensors, baseModel, task };
}

/**
 * Applies `adapter` to a model's parameters in place: adapters it already carries are dropped, the adapter's are
 * added beside the layers they adapt and its head's values taken, every shape checked before anything changes.
 * Returns the config that records the adapters' settings.
 */
export function applyAdapter(params: BertParams, config: BertConfig, adapter: PeftAdapter): BertConfig {
  for (const [name, entry] of adapter.tensors) {
    const expected = expectedShape(params, name, adapter.settings.rank);
    if (!expected) throw new WeightsError('unknown-parameter', `adapter_model.safetensors has ${name}, which this model does not have (a head for another task?)`, name);
    if (expected.length !== entry.shape.length || expected.some((d, i) => d !== entry.shape[i])) {
      throw new WeightsError('shape-mismatch', `adapter_model.safetensors: ${name} has shape [${entry.shape.join(', ')}] but this model needs [${expected.join(', ')}]`, name);
    }
    if (!(entry.data instanceof Float32Array)) throw new WeightsError('not-float', `adapter_model.safetensors: ${name} is stored as ${entry.dtype}`, name);
  }
  dropAdapters(params);
  for (const [name, entry] of adapter.tensors) {
    const values = tf.tensor(entry.data as Float32Array, [...entry.shape], 'float32');
    if (isLoraParam(name)) params.set(name, tf.variable(values, true));
    else params.get(name)!.assign(values);
    values.dispose();
  }
  return { ...config, lora: adapter.settings };
}

function expectedShape(params: BertParams, name: string, rank: number): number[] | null {
  const part = [LORA_A, LORA_B].find((suffix) => name.endsWith(`.${suffix}`));
  if (!part) {
    const variable = params.get(name);
    return variable ? [...variable.shape] : null;
  }
  const layer = params.get(`${name.slice(0, -part.length - 1)}.weight`);
  if (!layer) return null;
  const [out, inp] = layer.shape;
  return part === LORA_A ? [rank, inp] : [out, rank];
}

/** The LoRA target a shared adapter name belongs to: the part of its layer's name below `bert.encoder.layer.i.`. */
function targetOf(shared: string): LoraTarget | undefined {
  const within = /^bert\.encoder\.layer\.\d+\.(.+)\.lora_[AB]\.weight$/.exec(shared)?.[1];
  return LORA_TARGETS.find((target) => within !== undefined && TARGET_LAYERS[target].includes(within));
}

/** A shared parameter name as the family stores it; an adapter's matrices follow the layer they adapt. */
function storedParam(family: Family, name: string, architecture: BertArchitecture): string {
  const part = [LORA_A, LORA_B].find((suffix) => name.endsWith(`.${suffix}`));
  if (!part) return family.storedName(name, architecture);
  const layer = family.storedName(`${name.slice(0, -part.length - 1)}.weight`, architecture);
  return `${layer.slice(0, -'.weight'.length)}.${part}`;
}

/**
 * target_modules as a regular expression, which PEFT matches whole against module names: a list of name endings
 * cannot tell the feed-forward `output.dense` from `attention.output.dense`.
 */
function targetPattern(family: Family, config: BertConfig, targets: readonly LoraTarget[]): string {
  const patterns = adaptedLayers(config, targets).map((layer) => {
    const stored = family.storedName(`${layer}.weight`).slice(0, -'.weight'.length);
    return stored.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\.(\d+)\\\./, '\\.\\d+\\.');
  });
  return `(${[...new Set(patterns)].join('|')})`;
}

/** The module PEFT's modules_to_save names for a head parameter: its first part below the model's own prefix. */
function topModule(family: Family, stored: string): string {
  const parts = stored.split('.');
  return parts[0] === family.modelType && parts.length > 2 ? parts[1] : parts[0];
}
