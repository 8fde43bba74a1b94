/**
 * A checkpoint folder of any family (families.ts) in and out, as Hugging Face's `from_pretrained` / `save_pretrained`: its config,
 * tokenizer and tensors read from any model source, and the folder a model is saved as (what `from_pretrained`
 * needs: weights, config, tokenizer files, plus the run's record: training_args.json, metrics.json).
 *
 * A loaded checkpoint's tensors stay on the CPU, so the engine can build the parameters for whichever head a task
 * needs, and rebuild the untouched pretrained model for side-by-side attention views.
 */
import { loadModelFiles, type ModelFiles, type ModelSource } from '../io/modelSource';
import { readSafetensors, writeSafetensors, type TensorEntry, type TensorToWrite } from '../io/safetensors';
import { readShards } from '../io/shards';
import type { ProgressCallback } from '../progress';
import { loadTokenizer, type Tokenizer, type TokenizerSourceFiles } from '../tokenizer';
import type { BertConfig } from './bert/config';
import { architectureOf, type BertParams } from './bert/params';
import { architectureName } from './bert/tasks';
import { exportBertWeights } from './bert/weights';
import { FAMILIES, familyOf, sharedTensors, type Family } from './families';

export interface Pretrained {
  sourceId: string;
  config: BertConfig;
  tokenizer: Tokenizer;
  /** Under the shared encoder's names, whatever the family stored them as. */
  tensors: Map<string, TensorEntry>;
}

export async function loadPretrained(source: ModelSource, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Pretrained> {
  let parsed: Pick<Pretrained, 'config' | 'tokenizer'> & { family: Family } | undefined;
  const files = await loadModelFiles(source, onProgress, signal, (head) => {
    parsed = parseConfigAndTokenizer(head);
  });
  const { family, ...rest } = parsed!;
  const { weights } = files;
  const tensors = 'file' in weights ? readSafetensors(weights.file).tensors : readShards(weights.index, weights.shards);
  return { sourceId: files.sourceId, ...rest, tensors: sharedTensors(family, tensors) };
}

/**
 * config.json (read by its family) and the tokenizer, checked against each other: everything but the weights, so
 * an unsupported family is refused before they download.
 */
function parseConfigAndTokenizer(files: Omit<ModelFiles, 'weights'>): Pick<Pretrained, 'config' | 'tokenizer'> & { family: Family } {
  const json = parseJson(files.config, 'config.json');
  const family = familyOf(json);
  const config = family.parseConfig(json);
  const tokenizer = loadTokenizer({ ...tokenizerSourceFiles(files.tokenizer), 'tokenizer_config.json': files.tokenizerConfig });
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`The tokenizer has ${tokenizer.vocabSize} tokens but config.json's vocab_size is ${config.vocabSize}.`);
  }
  return { config, tokenizer, family };
}

function tokenizerSourceFiles(files: ModelFiles['tokenizer']): TokenizerSourceFiles {
  if (files.kind === 'vocab.txt') return { 'vocab.txt': files.vocab };
  if (files.kind === 'tokenizer.json') return { 'tokenizer.json': files.json };
  return { 'vocab.json': files.vocab, 'merges.txt': files.merges };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export interface ExportInput {
  /** With architectures, id2label/label2id and problem_type already set for the trained head. */
  config: BertConfig;
  /** The shared (BERT canonical) names ([out, in] layout), e.g. from exportBertWeights; saved in the family's. */
  weights: Map<string, TensorToWrite>;
  /** Saved with its own files (tokenizer.json, and vocab.txt or vocab.json + merges.txt). */
  tokenizer: Tokenizer;
  trainingArgs?: unknown;
  metrics?: unknown;
}

/** The run's record saved beside the weights. */
export type RunRecordFiles = Pick<ExportInput, 'trainingArgs' | 'metrics'>;

const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

export function buildExportFiles(input: ExportInput): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    'model.safetensors': writeSafetensors(familyWeights(input.config, input.weights)),
    ...configAndTokenizerFiles(input.config, input.tokenizer),
  };
  if (input.trainingArgs !== undefined) files['training_args.json'] = json(input.trainingArgs);
  if (input.metrics !== undefined) files['metrics.json'] = json(input.metrics);
  return files;
}

/** Weights under the shared names as the config's family saves them, in the class their heads make. */
export function familyWeights(config: BertConfig, weights: Map<string, TensorToWrite>): Map<string, TensorToWrite> {
  const { storedName } = FAMILIES[config.modelType];
  const architecture = architectureOf(weights);
  return new Map([...weights].map(([name, tensor]) => [storedName(name, architecture), tensor]));
}

/** config.json and the tokenizer's files, in the family's layout: what an exported folder holds beside its weights. */
export function configAndTokenizerFiles(config: BertConfig, tokenizer: Tokenizer): Record<string, Uint8Array> {
  const family = FAMILIES[config.modelType];
  const saved = tokenizer.saveFiles();
  return {
    'config.json': json(family.configToJson(config)),
    ...Object.fromEntries(Object.entries(saved.files).map(([name, text]) => [name, encoder.encode(text)])),
    'tokenizer_config.json': json({
      tokenizer_class: family.tokenizerClass,
      ...saved.config,
      model_max_length: tokenizer.modelMaxLength ?? config.maxPositionEmbeddings,
    }),
    'special_tokens_map.json': json(saved.specialTokens),
  };
}

/**
 * save_pretrained of a model's current weights: config.json names the class its heads make (architectures), the
 * weights are checked finite, and the tokenizer is the checkpoint's.
 */
export async function savePretrained(
  model: { params: BertParams; config: BertConfig },
  tokenizer: Tokenizer,
  record: RunRecordFiles = {},
): Promise<Record<string, Uint8Array>> {
  return buildExportFiles({ config: exportedConfig(model), weights: await exportBertWeights(model.params, model.config.lora), tokenizer, ...record });
}

/** The config.json a model's current heads are saved under: architectures names the class they make. */
export function exportedConfig(model: { params: BertParams; config: BertConfig }): BertConfig {
  return { ...model.config, architectures: [architectureName(architectureOf(model.params), model.config.modelType)] };
}

/** The weights alone, as model.safetensors (checked finite: a diverged model throws WeightsError). */
export async function weightsFile(params: BertParams): Promise<Uint8Array> {
  return writeSafetensors(await exportBertWeights(params));
}

/** The loaded checkpoint saved back as it came (its float tensors as stored): the start of a saved run. */
export function checkpointFiles(pretrained: Pretrained): Record<string, Uint8Array> {
  const weights = new Map<string, TensorToWrite>();
  for (const [name, entry] of pretrained.tensors) {
    if (entry.data instanceof Float32Array) weights.set(name, { shape: entry.shape, data: entry.data });
  }
  return buildExportFiles({ config: pretrained.config, weights, tokenizer: pretrained.tokenizer });
}
