/**
 * ALBERT's config.json (HF `AlbertConfig`) read into the shared encoder config. ALBERT's keys are BERT's, plus
 * `embedding_size` (factorised embeddings, always mapped to the hidden size by `embedding_hidden_mapping_in`),
 * `num_hidden_groups` (sets of layer weights the `num_hidden_layers` layers share: 1 in the published
 * checkpoints), `inner_group_num` (layers per set: only 1 is implemented, as published) and
 * `classifier_dropout_prob` for BERT's `classifier_dropout`. Its layer drops nothing out after the feed-forward
 * block, and its MLM transform takes hidden_act. Defaults are HF's (albert-xxlarge shapes).
 */
import { bertConfigToJson, parseBertConfig, type BertConfig } from '../bert/config';
import { ConfigError } from '../errors';

/** HF AlbertConfig's defaults where BERT's differ. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  vocab_size: 30000,
  embedding_size: 128,
  hidden_size: 4096,
  num_hidden_groups: 1,
  num_attention_heads: 64,
  intermediate_size: 16384,
  inner_group_num: 1,
  hidden_act: 'gelu_new',
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  classifier_dropout_prob: 0.1,
  bos_token_id: 2,
  eos_token_id: 3,
};

/** Validates an ALBERT config.json: BERT's checks, and the factorisation's and the sharing's. */
export function parseAlbertConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('(root)', 'must be a JSON object');
  const raw = { ...DEFAULTS, ...(json as Record<string, unknown>) };
  if (raw.model_type !== 'albert') throw new ConfigError('model_type', `must be "albert", got ${JSON.stringify(raw.model_type)}`);
  const { embedding_size: embeddingSize, num_hidden_groups: groups, inner_group_num: inner, classifier_dropout_prob: classifierDropout, ...rest } = raw;
  const config = parseBertConfig({ ...rest, model_type: 'bert', classifier_dropout: classifierDropout });
  if (!isCount(embeddingSize, 8192)) throw new ConfigError('embedding_size', `must be a positive integer up to 8192, got ${JSON.stringify(embeddingSize)}`);
  if (!isCount(groups, config.numHiddenLayers)) {
    throw new ConfigError('num_hidden_groups', `must be a positive integer up to num_hidden_layers (${config.numHiddenLayers}), got ${JSON.stringify(groups)}`);
  }
  if (inner !== 1) throw new ConfigError('inner_group_num', `is ${JSON.stringify(inner)}: only one layer per group is implemented (as every published ALBERT)`);
  return {
    ...config,
    modelType: 'albert',
    embeddingSize,
    embeddingsProjected: true,
    numHiddenGroups: groups,
    feedForwardDropout: false,
    extras: { ...config.extras, inner_group_num: inner },
  };
}

/** The config as HF writes an ALBERT config.json: BERT's keys, the factorisation and sharing, classifier_dropout_prob. */
export function albertConfigToJson(config: BertConfig): Record<string, unknown> {
  const { classifier_dropout: classifierDropout, ...bert } = bertConfigToJson(config);
  const json: Record<string, unknown> = {
    ...bert,
    classifier_dropout_prob: classifierDropout ?? config.hiddenDropoutProb,
    embedding_size: config.embeddingSize,
    num_hidden_groups: config.numHiddenGroups,
  };
  return Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isCount(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= limit;
}
