/**
 * The folder a fine-tuned model is downloaded as: what Hugging Face `from_pretrained` needs (weights, config,
 * tokenizer files) plus the run's record (training_args.json, metrics.json).
 */
import { bertConfigToJson, type BertConfig } from '../model/config';
import type { TokenizerConfig } from '../tokenizer/config';
import { writeSafetensors, type TensorToWrite } from './safetensors';

export interface ExportInput {
  /** With architectures, id2label/label2id and problem_type already set for the trained head. */
  config: BertConfig;
  /** Canonical HF names ([out, in] layout), e.g. from exportBertWeights. */
  weights: Map<string, TensorToWrite>;
  /** Token strings by id. */
  vocab: string[];
  tokenizerConfig: TokenizerConfig;
  trainingArgs?: unknown;
  metrics?: unknown;
}

const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

export function buildExportFiles(input: ExportInput): Record<string, Uint8Array> {
  const { special } = input.tokenizerConfig;
  const specialTokens = {
    cls_token: special.cls,
    mask_token: special.mask,
    pad_token: special.pad,
    sep_token: special.sep,
    unk_token: special.unk,
  };
  const files: Record<string, Uint8Array> = {
    'model.safetensors': writeSafetensors(input.weights),
    'config.json': json(bertConfigToJson(input.config)),
    'vocab.txt': encoder.encode(`${input.vocab.join('\n')}\n`),
    'tokenizer_config.json': json({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: input.tokenizerConfig.doLowerCase,
      strip_accents: input.tokenizerConfig.stripAccents,
      tokenize_chinese_chars: input.tokenizerConfig.tokenizeChineseChars,
      model_max_length: input.tokenizerConfig.modelMaxLength ?? input.config.maxPositionEmbeddings,
      clean_up_tokenization_spaces: input.tokenizerConfig.cleanUpTokenizationSpaces,
      ...specialTokens,
    }),
    'special_tokens_map.json': json(specialTokens),
  };
  if (input.trainingArgs !== undefined) files['training_args.json'] = json(input.trainingArgs);
  if (input.metrics !== undefined) files['metrics.json'] = json(input.metrics);
  return files;
}
