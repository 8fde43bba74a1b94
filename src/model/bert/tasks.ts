/**
 * Which heads BERT wears, as Hugging Face's model classes do: the head each task needs (BertForMaskedLM,
 * BertForSequenceClassification, BertForTokenClassification, BertForQuestionAnswering), the heads a checkpoint carries, and the class name a set of heads is saved as.
 */
import type { LabelSpace } from '../../data/labels';
import type { TensorEntry } from '../../io/safetensors';
import type { Task } from '../task';
import { CLASS_PREFIX, type BertConfig, type ModelType } from './config';
import { architectureOf, classifiesTokens, POOLER_WEIGHT, QA_OUTPUTS, type BertArchitecture, type BertParams } from './params';
import { canonicalName, loadBertWeights, type LoadedWeights } from './weights';

/** BertModel alone: the encoder, for the attention views of the untouched checkpoint. */
const ENCODER_ONLY: BertArchitecture = { pooler: false, mlm: false, classifier: false };

/** The checkpoint's parameters with the heads it carries (checkpointArchitecture), as from_pretrained of its class. */
export function checkpointParams(config: BertConfig, tensors: Map<string, TensorEntry>): LoadedWeights {
  return loadBertWeights(config, tensors, checkpointArchitecture(tensors));
}

/** The checkpoint's encoder alone (BertModel without pooler), e.g. for its attention maps. */
export function encoderParams(config: BertConfig, tensors: Map<string, TensorEntry>): BertParams {
  return loadBertWeights(config, tensors, ENCODER_ONLY).params;
}

/** The HF class a set of heads is saved as (config.json's `architectures`), in the family's names. */
export function architectureName(architecture: BertArchitecture, modelType: ModelType = 'bert'): string {
  const suffix = architecture.qa
    ? 'ForQuestionAnswering'
    : classifiesTokens(architecture)
    ? 'ForTokenClassification'
    : architecture.classifier ? 'ForSequenceClassification' : architecture.mlm ? 'ForMaskedLM' : 'Model';
  return `${CLASS_PREFIX[modelType]}${suffix}`;
}

/** The config and parameter layout of a model fine-tuned for `task` (labels, or tags, from the data). */
export function taskHead(
  base: BertConfig,
  task: Task,
  labels: LabelSpace | undefined,
): { config: BertConfig; architecture: BertArchitecture } {
  if (task === 'mlm') {
    // As HF's BertForMaskedLM: no pooler, which the MLM loss never reaches (it would get no gradient).
    const architecture: BertArchitecture = { pooler: false, mlm: true, classifier: false, qa: false };
    return { config: { ...base, architectures: [architectureName(architecture, base.modelType)] }, architecture };
  }
  if (task === 'qa') {
    // As HF's *ForQuestionAnswering: no pooler, and qa_outputs (num_labels 2: start and end) in place of a classifier.
    const architecture: BertArchitecture = { pooler: false, mlm: false, classifier: false, qa: true };
    const id2label = ['LABEL_0', 'LABEL_1'];
    return {
      config: {
        ...base,
        id2label,
        label2id: Object.fromEntries(id2label.map((label, i) => [label, i])),
        numLabels: QA_OUTPUTS,
        problemType: null,
        architectures: [architectureName(architecture, base.modelType)],
      },
      architecture,
    };
  }
  const id2label = labels?.kind === 'categorical' ? labels.id2label : ['LABEL_0'];
  // As HF's *ForTokenClassification: no pooler, which no token's loss reaches; problem_type is a sequence matter.
  const tokens = task === 'ner';
  const architecture: BertArchitecture = { pooler: !tokens, mlm: false, classifier: true, qa: false };
  return {
    config: {
      ...base,
      id2label,
      label2id: Object.fromEntries(id2label.map((label, i) => [label, i])),
      numLabels: id2label.length,
      problemType: tokens ? null : labels?.kind === 'numeric' ? 'regression' : 'single_label_classification',
      architectures: [architectureName(architecture, base.modelType)],
    },
    architecture,
  };
}

/** Whether two configs name the same labels in the same order (a classifier trained for one fits the other). */
export function sameLabelSet(a: BertConfig, b: BertConfig): boolean {
  return a.id2label.length === b.id2label.length && a.id2label.every((label, i) => label === b.id2label[i]);
}

/**
 * Parameters for `task` from checkpoint tensors: the encoder is loaded, a head the checkpoint lacks is
 * initialised, and a classifier trained for other labels is dropped rather than reused.
 */
export function paramsForTask(
  base: BertConfig,
  tensors: Map<string, TensorEntry>,
  task: Task,
  labels: LabelSpace | undefined,
  seed: number,
): LoadedWeights & { config: BertConfig } {
  const { config, architecture } = taskHead(base, task, labels);
  const usable = sameLabelSet(base, config)
    ? tensors
    : new Map([...tensors].filter(([name]) => !canonicalName(name).startsWith('classifier.')));
  return { ...loadBertWeights(config, usable, architecture, seed), config };
}

/**
 * Adds to `tensors` the pooler, MLM head and qa_outputs of `checkpoint` that `architecture` uses and `tensors` lacks
 * (they do not depend on the labels, unlike a classifier); returns their names.
 */
export function takeMissingHeads(tensors: Map<string, TensorEntry>, checkpoint: Map<string, TensorEntry>, architecture: BertArchitecture): string[] {
  const prefixes = [architecture.pooler && 'bert.pooler.', architecture.mlm && 'cls.predictions.', architecture.qa === true && 'qa_outputs.'].filter((p): p is string => p !== false);
  const taken: string[] = [];
  for (const [name, entry] of checkpoint) {
    const canonical = canonicalName(name);
    if (tensors.has(canonical) || !prefixes.some((prefix) => canonical.startsWith(prefix))) continue;
    tensors.set(canonical, entry);
    taken.push(canonical);
  }
  return taken;
}

/** The heads a checkpoint carries, read from its tensor names (HF saves each class with its own heads). */
export function checkpointArchitecture(tensors: Map<string, TensorEntry>): BertArchitecture {
  const names = new Set([...tensors.keys()].map(canonicalName));
  return {
    pooler: names.has(POOLER_WEIGHT),
    mlm: names.has('cls.predictions.transform.dense.weight'),
    classifier: names.has('classifier.weight'),
    qa: names.has('qa_outputs.weight'),
  };
}

/**
 * The model with the head `task` needs, from its current weights: the same parameters (with the task's config)
 * when their heads already fit, otherwise new ones. A head the current weights lost to another task (a
 * classifier has no MLM head, an MLM model no pooler) comes back from the loaded `checkpoint` when it has one,
 * not from random weights. `taken` and `initialised` name what did not come from the current weights.
 */
export async function withTaskHead(
  current: { params: BertParams; config: BertConfig },
  checkpoint: Map<string, TensorEntry>,
  task: Task,
  labels: LabelSpace | undefined,
  seed: number,
): Promise<{ params: BertParams; config: BertConfig; taken: string[]; initialised: string[] }> {
  const have = architectureOf(current.params);
  const { config, architecture } = taskHead(current.config, task, labels);
  const sameLabels = sameLabelSet(current.config, config);
  const same = have.mlm === architecture.mlm && have.classifier === architecture.classifier && have.pooler === architecture.pooler && have.qa === (architecture.qa ?? false);
  if (same && sameLabels) {
    return { params: current.params, config, taken: [], initialised: [] };
  }
  const tensors = new Map<string, TensorEntry>();
  for (const [name, variable] of current.params) {
    tensors.set(name, { dtype: 'F32', shape: [...variable.shape], data: (await variable.data()) as Float32Array });
  }
  const taken = takeMissingHeads(tensors, checkpoint, architecture);
  const { params, report, config: built } = paramsForTask(current.config, tensors, task, labels, seed);
  return { params, config: built, taken, initialised: report.initialised };
}
