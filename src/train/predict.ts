/**
 * What a model says about one text, for the playground and the attention views: its heads' outputs read as a
 * label with probabilities and as fill-mask candidates, and every layer's attention. Built on objective.ts's
 * heads; the engine only passes the weights in.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertBatch } from '../model/bert/batch';
import { maxSequenceLength, type BertConfig } from '../model/bert/config';
import { bertForward } from '../model/bert/model';
import { architectureOf, classifiesTokens } from '../model/bert/params';
import type { Encoding, Tokenizer } from '../tokenizer/types';
import { DOC_STRIDE, questionWindows } from '../data/encodeQa';
import { bestAnswer, type WindowLogits } from './answers';
import { entitySpans, type EntitySpan } from './entities';
import { argmaxRows } from './metrics';
import { headLogits, type Model } from './objective';

export interface Prediction {
  text: string;
  pair?: string;
  inputIds: number[];
  tokenTypeIds: number[];
  logits: number[];
  label?: string;
  probabilities?: number[];
  /** Token classifiers: the entities read from each word's first-token tag (seqeval's chunking), as spans of `text`. */
  entities?: EntitySpan[];
  /**
   * Question answering (`text` the question, `pair` the context): the best span of the context over its windows with
   * its probability among the n-best, or null when the [CLS] score beats every span (SQuAD v2's no answer).
   */
  answer?: { text: string; start: number; end: number; score: number } | null;
  /** MLM models: top-k fill-mask candidates for each [MASK], each token as text (Tokenizer.tokenText). */
  fillMask?: { position: number; candidates: { token: string; id: number; score: number }[] }[];
}

export interface AttentionMap {
  /** As text (Tokenizer.tokenText): byte-level and SentencePiece tokens read with their spaces. */
  tokens: string[];
  offsets: [number, number][];
  /** [layer][head][query][key] */
  attentions: number[][][][];
}

/** Longest sequence the playground and attention views encode. */
export const INFERENCE_MAX_LENGTH = 128;

/** Each example through every head the model has: a classifier's label and probabilities, the MLM head's top-k per [MASK]. */
export async function predict(model: Model, tokenizer: Tokenizer, examples: { text: string; pair?: string }[], topK: number): Promise<Prediction[]> {
  const { config } = model;
  const architecture = architectureOf(model.params);
  const predictions: Prediction[] = [];
  for (const { text, pair } of examples) {
    const { encoding, batch } = encodeOne(tokenizer, config, text, pair);
    const prediction: Prediction = { text, pair, inputIds: encoding.inputIds, tokenTypeIds: encoding.tokenTypeIds, logits: [] };
    if (architecture.qa) {
      prediction.answer = await answerQuestion(model, tokenizer, text, pair ?? '');
      predictions.push(prediction);
      continue;
    }
    const maskPositions = encoding.inputIds.flatMap((id, i) => (id === tokenizer.special.mask ? [i] : []));
    const tokens = classifiesTokens(architecture);
    const { logits, mlmProbabilities, tagLogits } = tf.tidy(() => {
      const heads = headLogits(model, batch, {
        classify: architecture.classifier && !tokens,
        classifyTokens: tokens,
        mlmPositions: architecture.mlm && maskPositions.length > 0 ? Int32Array.from(maskPositions) : undefined,
      }, { training: false });
      const out: Record<string, tf.Tensor> = {};
      if (heads.classification) out.logits = heads.classification; // [1, labels]
      if (heads.mlm) out.mlmProbabilities = tf.softmax(heads.mlm); // [masks, vocab]
      if (heads.tokens) out.tagLogits = heads.tokens; // [seq, labels]
      return out;
    }) as { logits?: tf.Tensor2D; mlmProbabilities?: tf.Tensor2D; tagLogits?: tf.Tensor2D };
    if (tagLogits) {
      const tags = argmaxRows(await tagLogits.data(), config.numLabels);
      prediction.entities = wordEntities(encoding, tags, config.id2label);
    }
    if (logits) {
      prediction.logits = Array.from(await logits.data());
      if (config.numLabels > 1) {
        const probabilities = softmax(prediction.logits);
        prediction.probabilities = probabilities;
        prediction.label = config.id2label[probabilities.indexOf(Math.max(...probabilities))];
      }
    }
    if (mlmProbabilities) {
      const { values, indices } = tf.topk(mlmProbabilities, Math.min(topK, config.vocabSize));
      const [scores, ids] = await Promise.all([values.data(), indices.data()]);
      tf.dispose([values, indices]);
      const k = values.shape[1];
      prediction.fillMask = maskPositions.map((position, m) => ({
        position,
        candidates: Array.from({ length: k }, (_, j) => {
          const id = ids[m * k + j];
          return { id, token: tokenizer.tokenText(tokenizer.idToToken(id)), score: scores[m * k + j] };
        }),
      }));
    }
    tf.dispose([logits ?? [], mlmProbabilities ?? [], tagLogits ?? []]);
    predictions.push(prediction);
  }
  return predictions;
}

/** The best answer to `question` in `context`, from every window of the context (as evaluation reads them). */
async function answerQuestion(model: Model, tokenizer: Tokenizer, question: string, context: string): Promise<Prediction['answer']> {
  if (context.trim() === '') return null;
  const maxLength = Math.min(INFERENCE_MAX_LENGTH, model.config.maxPositionEmbeddings);
  const windows = questionWindows(tokenizer, { id: '', question, context, answers: [] }, 0, maxLength, DOC_STRIDE, 'playground');
  const logits: WindowLogits[] = [];
  for (const window of windows) {
    const n = window.inputIds.length;
    const batch: BertBatch = { inputIds: window.inputIds, tokenTypeIds: window.tokenTypeIds, attentionMask: new Int32Array(n).fill(1), batchSize: 1, seqLen: n };
    const output = tf.tidy(() => headLogits(model, batch, { answers: true }, { training: false }).answers!); // [seq, 2]
    const values = await output.data();
    output.dispose();
    logits.push({
      start: Float32Array.from({ length: n }, (_, t) => values[2 * t]),
      end: Float32Array.from({ length: n }, (_, t) => values[2 * t + 1]),
      offsets: window.qa!.offsets,
    });
  }
  const { answer } = bestAnswer(logits, context, { allowNull: true });
  return answer && { text: answer.text, start: answer.start, end: answer.end, score: answer.probability };
}

/** The entities of the first text's words, each word tagged as its first token, spanning its tokens' characters. */
function wordEntities(encoding: Encoding, tags: Int32Array, id2label: readonly string[]): EntitySpan[] {
  const wordTags: string[] = [];
  const words: [number, number][] = [];
  let last: number | null = null;
  encoding.wordIds.forEach((word, t) => {
    if (word === null || encoding.sequenceIds[t] !== 0) return;
    const [start, end] = encoding.offsets[t];
    if (word === last) {
      words[words.length - 1][1] = end;
      return;
    }
    wordTags.push(id2label[tags[t]] ?? 'O');
    words.push([start, end]);
    last = word;
  });
  return entitySpans(wordTags, words);
}

/** Every layer's attention probabilities for one text (or pair), with its tokens and their character offsets. */
export async function attentionMaps(model: Model, tokenizer: Tokenizer, text: string, pair?: string): Promise<AttentionMap> {
  const { encoding, batch } = encodeOne(tokenizer, model.config, text, pair);
  const attentions = tf.tidy(() => bertForward(model.params, model.config, batch, { training: false, outputAttentions: true }).attentions!); // [batch, heads, seq, seq] per layer
  const values = await Promise.all(attentions.map((a) => a.array()));
  tf.dispose(attentions);
  return { tokens: encoding.tokens.map((token) => tokenizer.tokenText(token)), offsets: encoding.offsets, attentions: values.map((layer) => layer[0]) };
}

/** One text (or pair) as a batch of one, unpadded. */
function encodeOne(tokenizer: Tokenizer, config: BertConfig, text: string, pair?: string): { encoding: Encoding; batch: BertBatch } {
  const encoding = tokenizer.encode(text, pair, { maxLength: Math.min(INFERENCE_MAX_LENGTH, maxSequenceLength(config)) });
  const batch: BertBatch = {
    inputIds: Int32Array.from(encoding.inputIds),
    tokenTypeIds: Int32Array.from(encoding.tokenTypeIds),
    attentionMask: Int32Array.from(encoding.attentionMask),
    batchSize: 1,
    seqLen: encoding.inputIds.length,
  };
  return { encoding, batch };
}

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
