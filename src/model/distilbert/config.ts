/**
 * DistilBERT's config.json (HF `DistilBertConfig`) read into the shared encoder config, and written back in its own
 * keys. DistilBERT is BERT's encoder without token types, its pooler a ReLU `pre_classifier`, every LayerNorm at
 * eps 1e-12; its keys are its own (`dim`, `n_layers`, `hidden_dim`, …). Defaults are those of distilbert-base-uncased.
 */
import { ConfigError } from '../errors';
import { bertConfigToJson, parseBertConfig, type BertConfig } from '../bert/config';

/** DistilBERT's key → the BERT key it is read as. */
const AS_BERT: Readonly<Record<string, string>> = {
  dim: 'hidden_size',
  n_layers: 'num_hidden_layers',
  n_heads: 'num_attention_heads',
  hidden_dim: 'intermediate_size',
  activation: 'hidden_act',
  dropout: 'hidden_dropout_prob',
  attention_dropout: 'attention_probs_dropout_prob',
  seq_classif_dropout: 'classifier_dropout',
};

/** Keys both configs share, read as they are. */
const SHARED = ['vocab_size', 'max_position_embeddings', 'initializer_range', 'pad_token_id', 'id2label', 'label2id', 'num_labels', 'problem_type', 'architectures'];

/** HF DistilBertConfig's defaults for the keys whose BERT defaults differ. */
const DEFAULTS: Readonly<Record<string, unknown>> = { n_layers: 6, seq_classif_dropout: 0.2 };

const AS_DISTILBERT = Object.fromEntries(Object.entries(AS_BERT).map(([distil, bert]) => [bert, distil]));

/** Validates a DistilBERT config.json; a ConfigError names DistilBERT's key, not the BERT key it was read as. */
export function parseDistilBertConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('(root)', 'must be a JSON object');
  const raw = { ...DEFAULTS, ...(json as Record<string, unknown>) };
  if (raw.model_type !== 'distilbert') throw new ConfigError('model_type', `must be "distilbert", got ${JSON.stringify(raw.model_type)}`);
  if (raw.sinusoidal_pos_embds === true) {
    throw new ConfigError('sinusoidal_pos_embds', 'is true: fixed sinusoidal positions are not implemented (they would train here)');
  }
  const asBert: Record<string, unknown> = { model_type: 'bert' };
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'model_type') continue;
    if (AS_BERT[key] !== undefined) asBert[AS_BERT[key]] = value;
    else if (SHARED.includes(key)) asBert[key] = value;
    else extras[key] = value;
  }
  let config: BertConfig;
  try {
    config = parseBertConfig(asBert);
  } catch (err) {
    if (err instanceof ConfigError && AS_DISTILBERT[err.field]) {
      throw new ConfigError(AS_DISTILBERT[err.field], err.message.replace(/^config\.json: "[^"]+" /, ''));
    }
    throw err;
  }
  return { ...config, modelType: 'distilbert', typeVocabSize: 0, layerNormEps: 1e-12, poolerAct: 'relu', extras };
}

/** The config as HF writes a DistilBERT config.json: its own keys, sorted, extras kept. */
export function distilBertConfigToJson(config: BertConfig): Record<string, unknown> {
  const bert = bertConfigToJson(config);
  const json: Record<string, unknown> = { ...config.extras, model_type: 'distilbert', sinusoidal_pos_embds: false };
  for (const key of SHARED) if (key in bert && key !== 'num_labels') json[key] = bert[key];
  for (const [bertKey, distilKey] of Object.entries(AS_DISTILBERT)) json[distilKey] = bert[bertKey];
  // DistilBERT's classifier dropout is always a number (BERT's null means "the hidden dropout").
  json.seq_classif_dropout = config.classifierDropout ?? config.hiddenDropoutProb;
  return Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
