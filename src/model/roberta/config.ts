/**
 * RoBERTa's and XLM-RoBERTa's config.json (HF `RobertaConfig`, `XLMRobertaConfig`) read into the shared encoder
 * config. The keys are BERT's; what differs is behaviour: positions count from the padding id (so the published
 * checkpoints' 514 position rows serve 512 tokens), the one token type is added to every token, the classification
 * head drops `<s>` out before its tanh dense layer (the shared pooler with `poolerInputDropout`), and the MLM
 * transform is always GELU (RobertaLMHead). Both model types are one architecture; they differ in tokenizer only.
 * Defaults are HF's where BERT's differ. BERT's writer writes it back (bertConfigToJson keeps the model_type).
 */
import { parseBertConfig, type BertConfig } from '../bert/config';
import { ConfigError } from '../errors';

export type RobertaType = 'roberta' | 'xlm-roberta';

/** HF RobertaConfig's / XLMRobertaConfig's defaults where BertConfig's differ (bos/eos are kept as extras). */
const DEFAULTS: Readonly<Record<RobertaType, Readonly<Record<string, unknown>>>> = {
  roberta: { vocab_size: 50265, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2 },
  'xlm-roberta': { pad_token_id: 1, bos_token_id: 0, eos_token_id: 2 },
};

/** Validates a RoBERTa or XLM-RoBERTa config.json: BERT's checks, and a padding id the position ids can count from. */
export function parseRobertaConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('(root)', 'must be a JSON object');
  const modelType = (json as Record<string, unknown>).model_type;
  if (modelType !== 'roberta' && modelType !== 'xlm-roberta') {
    throw new ConfigError('model_type', `must be "roberta" or "xlm-roberta", got ${JSON.stringify(modelType)}`);
  }
  const config = parseBertConfig({ ...DEFAULTS[modelType], ...(json as Record<string, unknown>), model_type: 'bert' });
  if (config.padTokenId === null) throw new ConfigError('pad_token_id', 'is null: RoBERTa counts its position ids from the padding id');
  if (config.maxPositionEmbeddings <= config.padTokenId + 1) {
    throw new ConfigError('max_position_embeddings', `(${config.maxPositionEmbeddings}) leaves no position past pad_token_id (${config.padTokenId})`);
  }
  return { ...config, modelType, positionIdsFromPadding: true, poolerInputDropout: true, mlmAct: 'gelu' };
}
