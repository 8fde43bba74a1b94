/**
 * Training arguments fitted to the loaded model and the dataset: the learning rate, epochs, warmup and
 * freezing a run starts from before the user changes them. The guide's numbers (LR 2e-5–5e-5, 2–4 epochs) are
 * for BERT-base; smaller models need larger steps and more of them, as the published small-BERT results show
 * (Turc et al. 2019, "Well-Read Students Learn Better": BERT-Tiny to BERT-Medium fine-tuned best at the top of
 * their grid of 3e-5 to 3e-4). The rule is a table keyed by the hidden size, plus the dataset's size.
 */
import type { TrainingArgs } from './defaults';
import { formatFreezeSpec, suggestFreeze } from './freeze';
import type { Task } from '../model/task';

export interface ModelShape {
  hiddenSize: number;
  numLayers: number;
}

export interface DataShape {
  task: Task;
  /** Training examples after the validation split. */
  numTrain: number;
}

/** The arguments this module fits; every other argument keeps its default. */
export type SuggestedKey = 'learningRate' | 'epochs' | 'warmupRatio' | 'freeze';
export const SUGGESTED_KEYS: readonly SuggestedKey[] = ['learningRate', 'epochs', 'warmupRatio', 'freeze'];

export interface Band {
  min: number;
  max: number;
}

export interface Suggestion {
  args: Pick<TrainingArgs, SuggestedKey>;
  /** The learning rates and epoch counts the evidence supports for this size; the UI flags values outside. */
  lrBand: Band;
  epochBand: Band;
  /** One sentence per argument: the rule as it applied here, and its source. */
  why: Record<SuggestedKey, string>;
}

interface SizeClass {
  /** Largest hidden size in the class. */
  upTo: number;
  name: string;
  learningRate: number;
  lrBand: Band;
  /** Optimizer steps a run should take (epochs are chosen to reach them), and the epoch range allowed. */
  targetSteps: number;
  epochBand: Band;
  evidence: string;
}

const TURC = 'Turc et al. 2019 (small BERTs fine-tuned best at 1e-4–3e-4)';
const GUIDE = "the fine-tuning guide (BERT-base: LR 2e-5–5e-5, 2–4 epochs)";

/** Hidden-size classes, from BERT-Tiny (128) and Mini (256) through Small/Medium (512) to base and large. */
export const SIZE_CLASSES: readonly SizeClass[] = [
  { upTo: 256, name: 'tiny/mini (hidden ≤ 256)', learningRate: 3e-4, lrBand: { min: 1e-4, max: 1e-3 }, targetSteps: 1000, epochBand: { min: 4, max: 20 }, evidence: TURC },
  { upTo: 512, name: 'small/medium (hidden ≤ 512)', learningRate: 1e-4, lrBand: { min: 5e-5, max: 3e-4 }, targetSteps: 600, epochBand: { min: 3, max: 10 }, evidence: TURC },
  { upTo: 768, name: 'base (hidden 768)', learningRate: 3e-5, lrBand: { min: 2e-5, max: 5e-5 }, targetSteps: 300, epochBand: { min: 3, max: 4 }, evidence: GUIDE },
  { upTo: Infinity, name: 'large (hidden > 768)', learningRate: 2e-5, lrBand: { min: 1e-5, max: 3e-5 }, targetSteps: 300, epochBand: { min: 2, max: 4 }, evidence: `${GUIDE}, at its low end for stability` },
];

/** Runs longer than this many steps warm up over 6% of them (RoBERTa's), shorter ones over 10% (BERT's). */
const LONG_RUN_STEPS = 10_000;

export function sizeClassOf(model: ModelShape): SizeClass {
  return SIZE_CLASSES.find((c) => model.hiddenSize <= c.upTo)!;
}

/** The fitted arguments for a run of `model` on `data` with the given batch size. */
export function suggestTrainingArgs(model: ModelShape, data: DataShape, batchSize: number): Suggestion {
  const size = sizeClassOf(model);
  const stepsPerEpoch = Math.max(1, Math.ceil(data.numTrain / batchSize));
  const epochs = Math.min(size.epochBand.max, Math.max(size.epochBand.min, Math.round(size.targetSteps / stepsPerEpoch)));
  const totalSteps = epochs * stepsPerEpoch;
  const warmupRatio = totalSteps > LONG_RUN_STEPS ? 0.06 : 0.1;
  const freeze = suggestFreeze(data.numTrain, model.numLayers, model.hiddenSize);
  const rows = `${data.numTrain.toLocaleString('en-US')} training rows`;
  return {
    args: { learningRate: size.learningRate, epochs, warmupRatio, freeze: formatFreezeSpec(freeze.spec) },
    lrBand: size.lrBand,
    epochBand: size.epochBand,
    why: {
      learningRate: `A ${size.name} model: ${size.learningRate.toExponential()} (from ${size.evidence}).`,
      epochs:
        `${epochs} epochs: about ${size.targetSteps} optimizer steps for a ${size.name} model at ${stepsPerEpoch} steps per epoch ` +
        `(${rows}, batch ${batchSize}), kept within ${size.epochBand.min}–${size.epochBand.max}; early stopping ends it sooner if validation loss stops falling.`,
      warmupRatio:
        totalSteps > LONG_RUN_STEPS
          ? `0.06: a run of ${totalSteps.toLocaleString('en-US')} steps warms up over 6% of them, as RoBERTa.`
          : `0.1: warm up over the first 10% of the steps, as BERT.`,
      freeze: freeze.reason,
    },
  };
}
