/**
 * ELECTRA's config.json (HF `ElectraConfig`) read into the shared encoder config. ELECTRA's keys are BERT's, plus
 * `embedding_size` (the embeddings' width, projected to `hidden_size` when they differ); its classification head
 * drops out [CLS] before a GELU dense layer (the shared pooler, so `poolerAct: 'gelu'`), and its generator's MLM
 * transform is always GELU. Defaults are HF's (electra-small). The summary_* keys, which only ELECTRA's other
 * heads read (multiple choice, …), are kept and written back, never used.
 */
import { bertConfigToJson, parseBertConfig, type BertConfig } from '../bert/config';
import { ConfigError } from '../errors';

/** HF ElectraConfig's defaults where BERT's differ. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  embedding_size: 128,
  hidden_size: 256,
  num_attention_heads: 4,
  intermediate_size: 1024,
};

/** Validates an ELECTRA config.json: BERT's checks, and embedding_size's. */
export function parseElectraConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('(root)', 'must be a JSON object');
  const raw = { ...DEFAULTS, ...(json as Record<string, unknown>) };
  if (raw.model_type !== 'electra') throw new ConfigError('model_type', `must be "electra", got ${JSON.stringify(raw.model_type)}`);
  const { embedding_size: embeddingSize, ...rest } = raw;
  const config = parseBertConfig({ ...rest, model_type: 'bert' });
  if (typeof embeddingSize !== 'number' || !Number.isInteger(embeddingSize) || embeddingSize < 1 || embeddingSize > 8192) {
    throw new ConfigError('embedding_size', `must be a positive integer up to 8192, got ${JSON.stringify(embeddingSize)}`);
  }
  return { ...config, modelType: 'electra', embeddingSize, embeddingsProjected: embeddingSize !== config.hiddenSize, poolerAct: 'gelu', poolerInputDropout: true, mlmAct: 'gelu' };
}

/** The config as HF writes an ELECTRA config.json: BERT's keys plus embedding_size. */
export function electraConfigToJson(config: BertConfig): Record<string, unknown> {
  const json: Record<string, unknown> = { ...bertConfigToJson(config), model_type: 'electra', embedding_size: config.embeddingSize };
  return Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
