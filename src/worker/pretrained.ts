/**
 * A pretrained checkpoint in memory: its config, tokenizer and tensors, read from any model source. The
 * tensors stay on the CPU so the engine can build the parameters for whichever head a task needs, and rebuild
 * the untouched pretrained model for side-by-side attention views.
 */
import { cachedSource } from '../io/hubCache';
import { bundledSource, hubSource, loadModelFiles, localSource, type ModelFiles, type ModelSource } from '../io/modelSource';
import { readSafetensors, type TensorEntry } from '../io/safetensors';
import { parseBertConfig, type BertConfig } from '../model/config';
import { fromTokenizerJson, fromVocabTxt, parseTokenizerConfig, type BertWordPieceTokenizer } from '../tokenizer';
import type { ProgressCallback } from '../progress';
import type { ModelSpec } from './protocol';

export interface Pretrained {
  sourceId: string;
  config: BertConfig;
  tokenizer: BertWordPieceTokenizer;
  tensors: Map<string, TensorEntry>;
}

/** The folder under public/models/ that the studio opens with. */
export const DEFAULT_MODEL = 'bert-tiny-en';

export function sourceFor(spec: ModelSpec, baseUrl: string): ModelSource {
  switch (spec.kind) {
    case 'bundled':
      return bundledSource(spec.name, baseUrl);
    case 'hub':
      // Hub downloads are kept in IndexedDB by commit, so a model is fetched once per commit.
      return cachedSource(hubSource(spec.repo, { endpoint: spec.endpoint, revision: spec.revision }));
    case 'local':
      return localSource(new Map(Object.entries(spec.files).map(([name, bytes]) => [name, new Blob([bytes])])));
  }
}

export async function loadPretrained(source: ModelSource, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Pretrained> {
  let parsed: Pick<Pretrained, 'config' | 'tokenizer'> | undefined;
  const files = await loadModelFiles(source, onProgress, signal, (head) => {
    parsed = parseConfigAndTokenizer(head);
  });
  return { sourceId: files.sourceId, ...parsed!, tensors: readSafetensors(files.weights).tensors };
}

/** config.json and the tokenizer, checked against each other: everything but the weights. */
function parseConfigAndTokenizer(files: Omit<ModelFiles, 'weights'>): Pick<Pretrained, 'config' | 'tokenizer'> {
  const config = parseBertConfig(parseJson(files.config, 'config.json'));
  const tokenizerConfig = files.tokenizerConfig === undefined
    ? undefined
    : parseTokenizerConfig(parseJson(files.tokenizerConfig, 'tokenizer_config.json'));
  const tokenizer = files.tokenizer.kind === 'vocab.txt'
    ? fromVocabTxt(files.tokenizer.vocab, tokenizerConfig)
    : fromTokenizerJson(parseJson(files.tokenizer.json, 'tokenizer.json'), tokenizerConfig);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`The tokenizer has ${tokenizer.vocabSize} tokens but config.json's vocab_size is ${config.vocabSize}.`);
  }
  return { config, tokenizer };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}
