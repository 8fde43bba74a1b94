/**
 * The model families the studio loads, by config.json's `model_type`: how each reads its config into the shared
 * encoder config, what its tensors are called, and its tokenizer class. Everything past loading speaks the shared
 * (BERT) names, so training, the freeze map and the attention views serve every family alike.
 */
import type { TensorEntry } from '../io/safetensors';
import { bertConfigToJson, parseBertConfig, type BertConfig, type ModelType } from './bert/config';
import { distilBertConfigToJson, parseDistilBertConfig } from './distilbert/config';
import { bertName, distilBertName } from './distilbert/weights';
import { electraConfigToJson, parseElectraConfig } from './electra/config';
import { bertName as electraShared, electraName } from './electra/weights';
import { ConfigError } from './errors';
import type { BertArchitecture } from './bert/params';
import { albertConfigToJson, parseAlbertConfig } from './albert/config';
import { albertName, bertName as albertShared } from './albert/weights';
import { parseRobertaConfig } from './roberta/config';
import { bertName as robertaShared, robertaName } from './roberta/weights';

export interface Family {
  modelType: ModelType;
  parseConfig(json: unknown): BertConfig;
  configToJson(config: BertConfig): Record<string, unknown>;
  /** A stored tensor name as the shared encoder's; names it does not know pass unchanged (reported unexpected). */
  sharedName(stored: string): string;
  /**
   * A shared name as this family saves it in the class `architecture` makes: a token classifier is a plain
   * `classifier` where a sequence classifier is a head's `out_proj` (ELECTRA, RoBERTa), and RoBERTa's pooler is its
   * classification head's `dense` or RobertaModel's pooler.
   */
  storedName(shared: string, architecture?: BertArchitecture): string;
  /** tokenizer_config.json's tokenizer_class: DistilBERT's returns no token_type_ids, which its forward refuses. */
  tokenizerClass: string;
}

export const FAMILIES: Readonly<Record<ModelType, Family>> = {
  // BERT's legacy names (gamma/beta, no prefix) are kept as stored so the load report names them as the file does.
  bert: { modelType: 'bert', parseConfig: parseBertConfig, configToJson: bertConfigToJson, sharedName: (name) => name, storedName: (name) => name, tokenizerClass: 'BertTokenizer' },
  distilbert: {
    modelType: 'distilbert',
    parseConfig: parseDistilBertConfig,
    configToJson: distilBertConfigToJson,
    sharedName: bertName,
    storedName: distilBertName,
    tokenizerClass: 'DistilBertTokenizer',
  },
  electra: {
    modelType: 'electra',
    parseConfig: parseElectraConfig,
    configToJson: electraConfigToJson,
    sharedName: electraShared,
    storedName: electraName,
    tokenizerClass: 'ElectraTokenizer',
  },
  // One architecture under two model types: only the tokenizer (byte-level BPE, SentencePiece Unigram) differs.
  roberta: {
    modelType: 'roberta',
    parseConfig: parseRobertaConfig,
    configToJson: bertConfigToJson,
    sharedName: robertaShared,
    storedName: robertaName,
    tokenizerClass: 'RobertaTokenizer',
  },
  'xlm-roberta': {
    modelType: 'xlm-roberta',
    parseConfig: parseRobertaConfig,
    configToJson: bertConfigToJson,
    sharedName: robertaShared,
    storedName: robertaName,
    tokenizerClass: 'XLMRobertaTokenizer',
  },
  albert: {
    modelType: 'albert',
    parseConfig: parseAlbertConfig,
    configToJson: albertConfigToJson,
    sharedName: albertShared,
    storedName: albertName,
    tokenizerClass: 'AlbertTokenizer',
  },
};

/** The family of a parsed config.json, or a ConfigError that lists the families the studio has. */
export function familyOf(json: unknown): Family {
  const modelType = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).model_type : undefined;
  const family = typeof modelType === 'string' ? FAMILIES[modelType as ModelType] : undefined;
  if (family) return family;
  const known = Object.keys(FAMILIES).map((type) => `"${type}"`).join(', ');
  throw new ConfigError('model_type', `${JSON.stringify(modelType ?? null)} is not a family the studio loads (it loads ${known})`);
}

/** config.json read by its family. */
export function parseModelConfig(json: unknown): BertConfig {
  return familyOf(json).parseConfig(json);
}

/** A checkpoint's tensors under the names the shared encoder loads (BERT's canonical ones). */
export function sharedTensors(family: Family, tensors: Map<string, TensorEntry>): Map<string, TensorEntry> {
  return new Map([...tensors].map(([name, entry]) => [family.sharedName(name), entry]));
}
