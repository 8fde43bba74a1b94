/**
 * The playground's logic: which head the model has now, and how a prediction reads (ranked class
 * probabilities, a regression value, fill-mask candidates and the text with the masks filled in, entities or an
 * answer highlighted in the text).
 */
import type { DataSummary, ModelSummary, Prediction, Task, TrainState } from '../../worker/protocol';

export const MASK = '[MASK]';

export type HeadKind = 'classifier' | 'regression' | 'mlm' | 'tokens' | 'qa' | 'none';

export interface HeadInfo {
  kind: HeadKind;
  /** The Hugging Face class the head corresponds to, e.g. "BertForSequenceClassification". */
  name: string;
  /** What the head does, in one or two sentences, for the panel. */
  description: string;
  /** Class (or tag) names in id order (classifiers only). */
  labels: string[];
}

export interface HeadContext {
  model: Pick<ModelSummary, 'architectures' | 'id2label' | 'vocabSize'> | null;
  task: Task;
  data: Pick<DataSummary, 'labels' | 'regression'> | null;
  runState: TrainState;
  /** Optimizer steps taken in the current run. */
  steps: number;
}

/**
 * The head the engine's current weights carry. Starting a run replaces the loaded checkpoint's head with
 * the one the task needs, so once a run has begun the task decides; before that, the checkpoint's
 * architectures do.
 */
export function currentHead({ model, task, data, runState, steps }: HeadContext): HeadInfo {
  if (!model) {
    return { kind: 'none', name: 'No model', description: 'Load a model to try it here.', labels: [] };
  }
  const runBegun = steps > 0 || (runState !== 'idle' && runState !== 'failed');
  if (runBegun) {
    if (task === 'mlm') return mlmHead(model.vocabSize);
    if (task === 'ner') return tokenHead(data?.labels ?? []);
    if (task === 'qa') return answerHead();
    return data?.regression ? regressionHead() : classifierHead(data?.labels ?? []);
  }
  const architectures = model.architectures.join(' ');
  if (/ForSequenceClassification/.test(architectures)) {
    const labels = labelsInOrder(model.id2label);
    // Hugging Face reads a one-output classification head as regression (num_labels == 1).
    return labels.length === 1 ? regressionHead() : classifierHead(labels);
  }
  if (/ForMaskedLM|ForPreTraining/.test(architectures)) return mlmHead(model.vocabSize);
  if (/ForTokenClassification/.test(architectures)) return tokenHead(labelsInOrder(model.id2label));
  if (/ForQuestionAnswering/.test(architectures)) return answerHead();
  return {
    kind: 'none',
    name: model.architectures[0] ?? 'BertModel',
    description: 'Encoder only: this checkpoint has no task head. Start training to attach one for the chosen task.',
    labels: [],
  };
}

function mlmHead(vocabSize: number): HeadInfo {
  return {
    kind: 'mlm',
    name: 'BertForMaskedLM',
    description:
      `Masked-language-model head: for each ${MASK} in the text it scores all ${vocabSize.toLocaleString('en-US')} ` +
      'vocabulary tokens and shows the five most likely.',
    labels: [],
  };
}

function classifierHead(labels: string[]): HeadInfo {
  const named = labels.length > 0 ? `${labels.length} classes: ${labels.join(', ')}` : 'its classes';
  return {
    kind: 'classifier',
    name: 'BertForSequenceClassification',
    description: `Sequence-classification head on the pooled [CLS] vector, with ${named}. Shows the probability of each class.`,
    labels,
  };
}

function tokenHead(tags: string[]): HeadInfo {
  return {
    kind: 'tokens',
    name: 'BertForTokenClassification',
    description: `Token-classification head on every token (${tags.length} tags): highlights the entities it finds, each word tagged by its first token.`,
    labels: tags,
  };
}

function answerHead(): HeadInfo {
  return {
    kind: 'qa',
    name: 'BertForQuestionAnswering',
    description: 'Question-answering head (qa_outputs) on every token: its start and end scores pick the answer span in the context, highlighted with its probability.',
    labels: [],
  };
}

function regressionHead(): HeadInfo {
  return {
    kind: 'regression',
    name: 'BertForSequenceClassification (regression)',
    description: 'Regression head on the pooled [CLS] vector: predicts one number for the text.',
    labels: [],
  };
}

/** id2label's values ordered by id ("0", "1", … "10"), as config.json stores them. */
export function labelsInOrder(id2label: Record<string, string> | undefined): string[] {
  return Object.entries(id2label ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, label]) => label);
}

export interface RankedClass {
  label: string;
  probability: number;
  top: boolean;
}

/**
 * Class probabilities, most likely first. `labels` name them by id; when they do not fit the prediction
 * (other length, or another name for the top class) the classes are called LABEL_i, except the top one,
 * whose name the engine sent.
 */
export function rankedProbabilities(prediction: Prediction, labels: readonly string[]): RankedClass[] {
  const probabilities = prediction.probabilities ?? [];
  if (probabilities.length === 0) return [];
  const best = probabilities.indexOf(Math.max(...probabilities));
  const fits =
    labels.length === probabilities.length && (prediction.label === undefined || labels[best] === prediction.label);
  const name = (i: number): string =>
    fits ? labels[i] : i === best && prediction.label !== undefined ? prediction.label : `LABEL_${i}`;
  return probabilities
    .map((probability, i) => ({ label: name(i), probability, top: i === best }))
    .sort((a, b) => b.probability - a.probability);
}

/** The single output of a regression head, or undefined for other heads. */
export function regressionValue(prediction: Prediction): number | undefined {
  return prediction.probabilities === undefined && prediction.logits.length === 1 ? prediction.logits[0] : undefined;
}

/** A stretch of the text, inside a predicted entity (with its type) or between entities. */
export interface TextSegment {
  text: string;
  label?: string;
}

/** The text cut at the predicted entities' spans (in order, not overlapping, as seqeval's chunks are). */
export function highlightSegments(text: string, entities: NonNullable<Prediction['entities']>): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const { label, start, end } of entities) {
    if (start > at) segments.push({ text: text.slice(at, start) });
    segments.push({ text: text.slice(start, end), label });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

/** The context cut at a question's answer span (one "answer" segment), or whole when there is no answer. */
export function answerSegments(context: string, answer: Prediction['answer']): TextSegment[] {
  return highlightSegments(context, answer ? [{ label: 'answer', start: answer.start, end: answer.end }] : []);
}

/** The context of the data's preview row that asks `question` (its text pair), for the playground's example picker. */
export function exampleContext(data: Pick<DataSummary, 'preview' | 'columns'> | null, question: string): string | undefined {
  const { text, textPair } = data?.columns ?? {};
  if (!data || !text || !textPair) return undefined;
  const row = data.preview.find((cells) => String(cells[text] ?? '').trim() === question);
  return row === undefined ? undefined : String(row[textPair] ?? '');
}

/** How many [MASK] the text contains. */
export function countMasks(text: string): number {
  return text.split(MASK).length - 1;
}

/**
 * The text with each [MASK] replaced by its top candidate, in order. A word-piece candidate ("##ing")
 * joins the word before it, one with its own leading space (" cat") replaces the space before the mask; masks
 * without candidates (cut off by truncation) stay.
 */
export function fillMasks(text: string, fillMask: Prediction['fillMask']): string {
  const parts = text.split(MASK);
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const token = fillMask?.[i - 1]?.candidates[0]?.token;
    if (token === undefined) out += MASK;
    else if (token.startsWith('##')) out = out.replace(/\s+$/, '') + token.slice(2);
    // A byte-level or SentencePiece token that starts a word carries its own space (" cat").
    else if (/^\s/.test(token)) out = out.replace(/\s+$/, '') + token;
    else out += token;
    out += parts[i];
  }
  return out;
}

/** The text with [MASK] in place of the selection [start, end) (or inserted at the caret), and the caret after it. */
export function insertMask(text: string, start: number, end: number): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, end, text.length));
  const to = Math.min(text.length, Math.max(start, end, from));
  const before = text.slice(0, from);
  const after = text.slice(to);
  const pad = (edge: string | undefined): string => (edge !== undefined && /\S/.test(edge) ? ' ' : '');
  const inserted = `${pad(before.at(-1))}${MASK}${/^[\w[]/.test(after) ? ' ' : ''}`;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
