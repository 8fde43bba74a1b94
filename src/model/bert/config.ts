/**
 * BertConfig: the one typed form of a Hugging Face `config.json` for `model_type: "bert"`. Parsed and validated
 * once here; nothing else reads the raw JSON. Defaults are those of HF's `BertConfig` (bert-base-uncased).
 * The families built on BERT's encoder (src/model/distilbert) read their own config.json into this form too,
 * naming themselves in `modelType` and setting what differs (no token types, the pooler's activation).
 */
import { ConfigError } from '../errors';
import type { LoraSettings } from '../lora';
import type { HiddenAct } from '../nn';

export type { HiddenAct };

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** The config.json `model_type`s the studio loads (src/model/families.ts). */
export type ModelType = 'bert' | 'distilbert' | 'electra' | 'roberta' | 'xlm-roberta' | 'albert';

/** How each family's Hugging Face classes begin: BertForMaskedLM, DistilBertForSequenceClassification, … */
export const CLASS_PREFIX: Readonly<Record<ModelType, string>> = {
  bert: 'Bert',
  distilbert: 'DistilBert',
  electra: 'Electra',
  roberta: 'Roberta',
  'xlm-roberta': 'XLMRoberta',
  albert: 'Albert',
};

export interface BertConfig {
  /** The family whose checkpoint layout and config.json this is. */
  modelType: ModelType;
  /** Rows of the word-embedding table (and logits of the MLM head). Default 30522. */
  vocabSize: number;
  /** Width of every hidden state. Default 768. */
  hiddenSize: number;
  /**
   * Width of the embeddings (and of the MLM transform's output, which the tied decoder reads): hiddenSize for BERT;
   * ELECTRA's `embedding_size`, projected to hiddenSize by `bert.embeddings.project` when they differ.
   */
  embeddingSize: number;
  /** Transformer layers. Default 12. */
  numHiddenLayers: number;
  /**
   * Distinct sets of layer weights (`bert.encoder.layer.0` … `.{numHiddenGroups - 1}`): numHiddenLayers for BERT,
   * each layer its own; ALBERT's num_hidden_groups (1 in its published checkpoints), layer i running set
   * layerWeightsOf(config, i). The freeze map and layer-wise learning rates group these sets.
   */
  numHiddenGroups: number;
  /**
   * Whether `bert.embeddings.project` maps the embeddings to hiddenSize: ELECTRA's embeddings_project when
   * embeddingSize differs from it, ALBERT's embedding_hidden_mapping_in always.
   */
  embeddingsProjected: boolean;
  /** Dropout on the feed-forward output before its residual LayerNorm: BertOutput's; ALBERT's layer has none. */
  feedForwardDropout: boolean;
  /** Heads per attention layer; hiddenSize must be a multiple of it. Default 12. */
  numAttentionHeads: number;
  /** Width of the feed-forward layer. Default 3072. */
  intermediateSize: number;
  /** Feed-forward and MLM-transform activation: "gelu" is the exact erf form, "gelu_new" the tanh one. Default "gelu". */
  hiddenAct: HiddenAct;
  /** Dropout after embeddings and each sub-layer. Default 0.1. */
  hiddenDropoutProb: number;
  /** Dropout on attention probabilities. Default 0.1. */
  attentionProbsDropoutProb: number;
  /** Longest sequence (rows of the position-embedding table). Default 512. */
  maxPositionEmbeddings: number;
  /**
   * Segment (token type) ids: 2 for sentence pairs; 0 for a family without them (DistilBERT). A table of one row
   * (RoBERTa's type_vocab_size 1) is added to every token whatever the batch's segment ids say. Default 2.
   */
  typeVocabSize: number;
  /** Std of N(0, std) for freshly initialised weights. Default 0.02. */
  initializerRange: number;
  /** LayerNorm epsilon. Default 1e-12. */
  layerNormEps: number;
  /** Id of [PAD], or null when the checkpoint names none. Default 0. */
  padTokenId: number | null;
  /** Only "absolute" is implemented. */
  positionEmbeddingType: 'absolute';
  /**
   * RoBERTa's position ids (HF's create_position_ids_from_input_ids): the non-pad tokens count up from
   * pad_token_id + 1 and every [PAD] reads row pad_token_id, so a sequence reaches pad_token_id + 1 rows fewer than
   * the table holds (maxSequenceLength). False: positions 0..seq-1, as BERT.
   */
  positionIdsFromPadding: boolean;
  /** Label names by id (HF's id2label, keys 0..n-1). Default ["LABEL_0", "LABEL_1"]. */
  id2label: string[];
  /** Label ids by name (HF's label2id), the inverse of id2label. */
  label2id: Record<string, number>;
  /** Outputs of the classification head: id2label.length. */
  numLabels: number;
  /** How the classification loss is chosen; null means "by numLabels", as HF decides at the first forward. */
  problemType: ProblemType | null;
  /** HF model classes the checkpoint was saved from, e.g. ["BertForMaskedLM"]. Default null. */
  architectures: string[] | null;
  /** Dropout before the classifier; null means hiddenDropoutProb. Default null. */
  classifierDropout: number | null;
  /** The activation after the dense layer on [CLS]: BERT's pooler tanh, DistilBERT's pre_classifier ReLU, ELECTRA's GELU. */
  poolerAct: 'tanh' | 'relu' | 'gelu';
  /** Dropout on [CLS] before that dense layer too, as ELECTRA's classification head (BERT's pooler has none). */
  poolerInputDropout: boolean;
  /** The MLM transform's activation: hiddenAct for BERT and DistilBERT, always GELU for ELECTRA's generator. */
  mlmAct: HiddenAct;
  /** Other keys of config.json (torch_dtype, transformers_version, ...), kept to be written back on export. */
  extras: Record<string, unknown>;
  /** The LoRA adapters the parameters carry (src/model/lora.ts); never from or to config.json (PEFT keeps its own). */
  lora?: LoraSettings;
}

type Json = Record<string, unknown>;

const HIDDEN_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'relu'];
const PROBLEM_TYPES: readonly ProblemType[] = [
  'regression',
  'single_label_classification',
  'multi_label_classification',
];

/** Keys read into typed fields; every other key lands in `extras`. */
const KNOWN_KEYS = new Set([
  'model_type',
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'hidden_act',
  'hidden_dropout_prob',
  'attention_probs_dropout_prob',
  'max_position_embeddings',
  'type_vocab_size',
  'initializer_range',
  'layer_norm_eps',
  'pad_token_id',
  'position_embedding_type',
  'id2label',
  'label2id',
  'num_labels',
  'problem_type',
  'architectures',
  'classifier_dropout',
]);

/**
 * Validates a parsed config.json. Throws ConfigError naming the field for a wrong type or value and for
 * anything this implementation does not support (relative positions, decoders, untied MLM decoders).
 */
export function parseBertConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('(root)', 'must be a JSON object');
  }
  const raw = json as Json;
  if (raw.model_type !== 'bert') {
    throw new ConfigError('model_type', `must be "bert", got ${describe(raw.model_type)}`);
  }
  checkUnsupportedExtras(raw);

  const hiddenSize = positiveInt(raw, 'hidden_size', 768);
  const numAttentionHeads = positiveInt(raw, 'num_attention_heads', 12);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new ConfigError('hidden_size', `(${hiddenSize}) must be a multiple of num_attention_heads (${numAttentionHeads})`);
  }
  const vocabSize = positiveInt(raw, 'vocab_size', 30522);
  const numHiddenLayers = positiveInt(raw, 'num_hidden_layers', 12);
  const padTokenId = raw.pad_token_id === null ? null : nonNegativeInt(raw, 'pad_token_id', 0);
  if (padTokenId !== null && padTokenId >= vocabSize) {
    throw new ConfigError('pad_token_id', `(${padTokenId}) must be below vocab_size (${vocabSize})`);
  }
  const { id2label, label2id } = parseLabels(raw);
  const hiddenAct = parseHiddenAct(raw);

  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!KNOWN_KEYS.has(key)) extras[key] = value;

  return {
    modelType: 'bert',
    vocabSize,
    hiddenSize,
    embeddingSize: hiddenSize,
    numHiddenLayers,
    numHiddenGroups: numHiddenLayers,
    embeddingsProjected: false,
    feedForwardDropout: true,
    numAttentionHeads,
    intermediateSize: positiveInt(raw, 'intermediate_size', 3072),
    hiddenAct,
    hiddenDropoutProb: probability(raw, 'hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: probability(raw, 'attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings: positiveInt(raw, 'max_position_embeddings', 512),
    typeVocabSize: positiveInt(raw, 'type_vocab_size', 2),
    initializerRange: positiveNumber(raw, 'initializer_range', 0.02),
    layerNormEps: positiveNumber(raw, 'layer_norm_eps', 1e-12),
    padTokenId,
    positionEmbeddingType: parsePositionEmbeddingType(raw),
    positionIdsFromPadding: false,
    id2label,
    label2id,
    numLabels: id2label.length,
    problemType: oneOf(raw, 'problem_type', PROBLEM_TYPES, null),
    architectures: parseArchitectures(raw),
    classifierDropout: raw.classifier_dropout === null ? null : probability(raw, 'classifier_dropout', null),
    poolerAct: 'tanh',
    poolerInputDropout: false,
    mlmAct: hiddenAct,
    extras,
  };
}

/** The config as HF writes config.json: snake_case keys, sorted, extras kept, num_labels implied by id2label. */
export function bertConfigToJson(config: BertConfig): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...config.extras,
    architectures: config.architectures,
    attention_probs_dropout_prob: config.attentionProbsDropoutProb,
    classifier_dropout: config.classifierDropout,
    hidden_act: config.hiddenAct,
    hidden_dropout_prob: config.hiddenDropoutProb,
    hidden_size: config.hiddenSize,
    id2label: Object.fromEntries(config.id2label.map((label, id) => [String(id), label])),
    initializer_range: config.initializerRange,
    intermediate_size: config.intermediateSize,
    label2id: config.label2id,
    layer_norm_eps: config.layerNormEps,
    max_position_embeddings: config.maxPositionEmbeddings,
    model_type: config.modelType,
    num_attention_heads: config.numAttentionHeads,
    num_hidden_layers: config.numHiddenLayers,
    pad_token_id: config.padTokenId,
    position_embedding_type: config.positionEmbeddingType,
    type_vocab_size: config.typeVocabSize,
    vocab_size: config.vocabSize,
  };
  if (config.problemType !== null) json.problem_type = config.problemType;
  return Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The set of layer weights layer `index` runs (HF's AlbertTransformer: index / (layers / groups), rounded down). */
export function layerWeightsOf(config: BertConfig, index: number): number {
  return Math.floor(index / (config.numHiddenLayers / config.numHiddenGroups));
}

/** The longest sequence the position table serves: RoBERTa's 514 rows hold 512 tokens past the padding offset. */
export function maxSequenceLength(config: BertConfig): number {
  return config.positionIdsFromPadding ? config.maxPositionEmbeddings - (config.padTokenId ?? 0) - 1 : config.maxPositionEmbeddings;
}

/** The loss the classification head trains with, decided as HF's BertForSequenceClassification does. */
export function resolveProblemType(config: BertConfig): ProblemType {
  if (config.problemType !== null) return config.problemType;
  return config.numLabels === 1 ? 'regression' : 'single_label_classification';
}

function checkUnsupportedExtras(raw: Json): void {
  if (raw.is_decoder === true) throw new ConfigError('is_decoder', 'is true: only the BERT encoder is implemented');
  if (raw.add_cross_attention === true) {
    throw new ConfigError('add_cross_attention', 'is true: cross-attention is not implemented');
  }
  if (raw.tie_word_embeddings === false) {
    throw new ConfigError('tie_word_embeddings', 'is false: only an MLM decoder tied to the word embeddings is implemented');
  }
}

function parseHiddenAct(raw: Json): HiddenAct {
  const value = raw.hidden_act ?? 'gelu';
  if (typeof value !== 'string' || !(HIDDEN_ACTS as readonly string[]).includes(value)) {
    throw new ConfigError('hidden_act', `${describe(value)} is not supported (use "gelu", "gelu_new" or "relu")`);
  }
  return value as HiddenAct;
}

function parsePositionEmbeddingType(raw: Json): 'absolute' {
  const value = raw.position_embedding_type ?? 'absolute';
  if (value !== 'absolute') {
    throw new ConfigError('position_embedding_type', `${describe(value)} is not supported (only "absolute")`);
  }
  return value;
}

function parseArchitectures(raw: Json): string[] | null {
  const value = raw.architectures;
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ConfigError('architectures', `must be a list of class names, got ${describe(value)}`);
  }
  return [...value];
}

/** id2label / label2id / num_labels, as HF reconciles them: id2label wins, num_labels must agree with it. */
function parseLabels(raw: Json): { id2label: string[]; label2id: Record<string, number> } {
  const numLabels = raw.num_labels === undefined ? undefined : positiveInt(raw, 'num_labels', 2);
  let id2label: string[];
  if (raw.id2label === undefined || raw.id2label === null) {
    id2label = Array.from({ length: numLabels ?? 2 }, (_, i) => `LABEL_${i}`);
  } else {
    id2label = parseId2Label(raw.id2label);
    if (numLabels !== undefined && numLabels !== id2label.length) {
      throw new ConfigError('num_labels', `(${numLabels}) disagrees with id2label's ${id2label.length} labels`);
    }
  }
  const label2id = Object.fromEntries(id2label.map((label, id) => [label, id]));
  if (raw.label2id !== undefined && raw.label2id !== null) checkLabel2Id(raw.label2id, id2label);
  return { id2label, label2id };
}

function parseId2Label(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('id2label', `must be an object {"0": "name", ...}, got ${describe(value)}`);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw new ConfigError('id2label', 'is empty');
  if (entries.length > CONFIG_LIMITS.num_labels) {
    throw new ConfigError('id2label', `has ${entries.length} labels, above the studio's limit of ${CONFIG_LIMITS.num_labels}`);
  }
  const labels: string[] = new Array(entries.length);
  for (const [key, label] of entries) {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0 || id >= entries.length || String(id) !== key) {
      throw new ConfigError('id2label', `keys must be the ids 0..${entries.length - 1}, got "${key}"`);
    }
    if (typeof label !== 'string') throw new ConfigError('id2label', `label ${key} must be a string, got ${describe(label)}`);
    labels[id] = label;
  }
  if (new Set(labels).size !== labels.length) throw new ConfigError('id2label', 'has a label name twice');
  return labels;
}

function checkLabel2Id(value: unknown, id2label: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('label2id', `must be an object {"name": id, ...}, got ${describe(value)}`);
  }
  const entries = Object.entries(value);
  const consistent =
    entries.length === id2label.length && entries.every(([label, id]) => typeof id === 'number' && id2label[id] === label);
  if (!consistent) throw new ConfigError('label2id', 'is not the inverse of id2label');
}

function numberField(raw: Json, key: string, fallback: number | null): number | null {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(key, `must be a number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Upper bounds on the sizes config.json sets, checked before anything is allocated from them: each is far above
 * any published BERT-family checkpoint (XLM-R's 250k vocabulary, 48 layers, 8k positions) yet keeps a hostile
 * or mistyped file from asking for gigabytes.
 */
export const CONFIG_LIMITS: Readonly<Record<string, number>> = {
  vocab_size: 1_000_000,
  hidden_size: 8192,
  num_hidden_layers: 128,
  num_attention_heads: 128,
  intermediate_size: 65_536,
  max_position_embeddings: 65_536,
  type_vocab_size: 1024,
  num_labels: 10_000,
};

function positiveInt(raw: Json, key: string, fallback: number): number {
  const value = numberField(raw, key, fallback)!;
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(key, `must be a positive integer, got ${value}`);
  const limit = CONFIG_LIMITS[key];
  if (limit !== undefined && value > limit) throw new ConfigError(key, `(${value}) is above the studio's limit of ${limit}`);
  return value;
}

function nonNegativeInt(raw: Json, key: string, fallback: number): number {
  const value = numberField(raw, key, fallback)!;
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(key, `must be a non-negative integer, got ${value}`);
  return value;
}

function positiveNumber(raw: Json, key: string, fallback: number): number {
  const value = numberField(raw, key, fallback)!;
  if (value <= 0) throw new ConfigError(key, `must be positive, got ${value}`);
  return value;
}

function probability<T extends number | null>(raw: Json, key: string, fallback: T): number | T {
  const value = numberField(raw, key, fallback);
  if (value === null) return fallback;
  if (value < 0 || value >= 1) throw new ConfigError(key, `must be a probability in [0, 1), got ${value}`);
  return value;
}

function oneOf<T extends string>(raw: Json, key: string, allowed: readonly T[], fallback: T | null): T | null {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(key, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
