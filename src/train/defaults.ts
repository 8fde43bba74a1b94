/**
 * Training arguments: one typed object with documented defaults from the fine-tuning literature (the project's
 * fine-tuning guide, Devlin et al. 2019 appendix A.3, Hugging Face TrainingArguments), validated once.
 * This object, as JSON, is what `training_args.json` records.
 */
import { DEFAULT_VALIDATION_FRACTION } from '../data/split';
import { parseLoraTargets } from '../model/loraTargets';
import { TrainInputError } from './errors';
import { parseFreezeSpec } from './freeze';
import { SCHEDULE_KINDS, type ScheduleKind } from './lr';

export interface TrainingArgs {
  /** Peak learning rate. 3e-5: the middle of the recommended band (LR_RECOMMENDED). */
  learningRate: number;
  /** 3: 2-4 epochs suffice; small data overfits early (EPOCHS_RECOMMENDED). */
  epochs: number;
  /** Examples per optimizer step per micro-batch. 16, as in BERT's fine-tuning grid (16, 32). */
  batchSize: number;
  /** Tokens per example including [CLS]/[SEP]. 128 covers most sentences at a quarter of 512's cost. */
  maxLength: number;
  /** Share of steps warming up linearly from 0. 0.1, as BERT. */
  warmupRatio: number;
  /** Decoupled (AdamW) weight decay on ≥ 2-D weights. 0.01, as BERT. */
  weightDecay: number;
  /** LR after warmup: 'linear' decay to 0 (BERT's), 'cosine', or 'constant'. */
  schedule: ScheduleKind;
  /** Global gradient-norm clipping threshold; 0 turns clipping off. 1.0, as BERT and HF. */
  maxGradNorm: number;
  /** Micro-batches summed per optimizer step (effective batch = batchSize × gradAccumSteps). 1. */
  gradAccumSteps: number;
  /** Seeds shuffling, the validation split, masking, dropout and head initialisation. 42. */
  seed: number;
  /** Layer-wise LR decay factor per layer below the top, in (0, 1]; 1 is off. Typical when on: 0.8-0.95. */
  llrd: number;
  /** Extra factor on the head's learning rate. 1. */
  headLrMultiplier: number;
  /** Evaluate on the validation set every N optimizer steps, or at the end of each epoch. 'epoch'. */
  evalEvery: number | 'epoch';
  /** Stop after this many evaluations in a row without improvement of the validation loss; 0 is off. 2. */
  earlyStoppingPatience: number;
  /** The validation loss must drop by more than this to count as an improvement. 0. */
  earlyStoppingMinDelta: number;
  /** Share of the data held out for validation when no validation file is given, in (0, 1). 0.1. */
  valSplit: number;
  /** MLM: share of tokens selected for prediction (of which 80% [MASK], 10% random, 10% kept). 0.15, as BERT. */
  mlmProbability: number;
  /** MLM: mask all word pieces of a selected word together. false (BERT's original masking). */
  wholeWordMasking: boolean;
  /**
   * MLM: join consecutive rows of a document (a TXT file's blank-line-separated block; each table row is its
   * own) into sequences of up to maxLength tokens, cutting rows too long for one rather than truncating them.
   * true (as BERT's pretraining data); false gives one truncated example per row.
   */
  packSequences: boolean;
  /** Stop after this many optimizer steps (the LR schedule then spans them), or null to run all epochs. */
  maxSteps: number | null;
  /** Which layers train, in `--freeze` syntax (see FREEZE_SPEC_HELP). 'none': every layer trains. */
  freeze: string;
  /**
   * Recompute each layer's activations in the backward pass instead of keeping them (Hugging Face's
   * gradient_checkpointing): bert-base at batch 8 × 128 then peaks at 1.94 GiB of live tensors on wasm, where it
   * does not fit the 4 GiB heap without, and a step takes 1.2-1.4× as long (docs/PERFORMANCE.md).
   * false; the engine turns it on where a run would not fit otherwise (bert-base on wasm's 4 GiB).
   */
  gradientCheckpointing: boolean;
  /**
   * LoRA's rank r: above 0, the encoder's weights stay frozen and only low-rank adapters on `loraTargets` and the
   * task head train (src/model/lora.ts); `freeze` and `llrd` then do not apply. 0 (off): full fine-tuning.
   */
  loraRank: number;
  /** LoRA's α: the adapters' update is scaled by α / r. 16, twice the usual r of 8. */
  loraAlpha: number;
  /** Dropout on each adapter's input, as PEFT's lora_dropout. 0.1. */
  loraDropout: number;
  /** The Linear layers that get adapters, comma-separated from query, key, value, attention.output, ffn. "query,value", as PEFT for BERT. */
  loraTargets: string;
  /** AdamW β1, β2, ε: 0.9, 0.999, 1e-8, as BERT and PyTorch. */
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
}

/** The guide's learning-rate band for fine-tuning (2e-5 to 5e-5); the UI flags rates outside it. */
export const LR_RECOMMENDED = { min: 2e-5, max: 5e-5 } as const;

/** The guide's epoch band (2 to 4). */
export const EPOCHS_RECOMMENDED = { min: 2, max: 4 } as const;

export const DEFAULT_TRAINING_ARGS: Readonly<TrainingArgs> = Object.freeze({
  learningRate: 3e-5,
  epochs: 3,
  batchSize: 16,
  maxLength: 128,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  schedule: 'linear',
  maxGradNorm: 1.0,
  gradAccumSteps: 1,
  seed: 42,
  llrd: 1.0,
  headLrMultiplier: 1,
  evalEvery: 'epoch',
  earlyStoppingPatience: 2,
  earlyStoppingMinDelta: 0,
  valSplit: DEFAULT_VALIDATION_FRACTION,
  mlmProbability: 0.15,
  wholeWordMasking: false,
  packSequences: true,
  maxSteps: null,
  freeze: 'none',
  gradientCheckpointing: false,
  loraRank: 0,
  loraAlpha: 16,
  loraDropout: 0.1,
  loraTargets: 'query,value',
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
});

/** Upper bound on maxLength; the model's max_position_embeddings is checked where the model is known. */
export const MAX_SEQUENCE_LENGTH = 8192;

type Rule = (value: unknown) => string | null;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER): Rule => (value) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? null
    : `must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}`;
const inRange = (min: number, max: number, { minOpen = false, maxOpen = false } = {}): Rule => (value) =>
  isNumber(value) && (minOpen ? value > min : value >= min) && (maxOpen ? value < max : value <= max)
    ? null
    : `must be a number in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
const atLeast = (min: number, { open = false } = {}): Rule => (value) =>
  isNumber(value) && (open ? value > min : value >= min) ? null : `must be a number ${open ? '>' : '>='} ${min}`;
const oneOf = (options: readonly string[]): Rule => (value) =>
  options.includes(value as string) ? null : `must be one of ${options.map((o) => `"${o}"`).join(', ')}`;
const either = (a: Rule, b: Rule): Rule => (value) => (a(value) === null || b(value) === null ? null : `${a(value)}, or ${b(value)}`);
const boolean: Rule = (value) => (typeof value === 'boolean' ? null : 'must be true or false');
const freezeSpec: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a freeze spec string';
  parseFreezeSpec(value); // throws its own TrainInputError, which names the accepted forms
  return null;
};

const loraTargets: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a comma-separated list of LoRA targets';
  try {
    parseLoraTargets(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};

const RULES: { [K in keyof TrainingArgs]: Rule } = {
  learningRate: inRange(0, 1, { minOpen: true, maxOpen: true }),
  epochs: wholeNumber(1),
  batchSize: wholeNumber(1),
  maxLength: wholeNumber(4, MAX_SEQUENCE_LENGTH),
  warmupRatio: inRange(0, 1, { maxOpen: true }),
  weightDecay: atLeast(0),
  schedule: oneOf(SCHEDULE_KINDS),
  maxGradNorm: atLeast(0),
  gradAccumSteps: wholeNumber(1),
  seed: wholeNumber(0, 2 ** 32 - 1),
  llrd: inRange(0, 1, { minOpen: true }),
  headLrMultiplier: atLeast(0, { open: true }),
  evalEvery: either(oneOf(['epoch']), wholeNumber(1)),
  earlyStoppingPatience: wholeNumber(0),
  earlyStoppingMinDelta: atLeast(0),
  valSplit: inRange(0, 1, { minOpen: true, maxOpen: true }),
  mlmProbability: inRange(0, 1, { minOpen: true, maxOpen: true }),
  wholeWordMasking: boolean,
  packSequences: boolean,
  maxSteps: either((value) => (value === null ? null : 'must be null'), wholeNumber(1)),
  freeze: freezeSpec,
  gradientCheckpointing: boolean,
  loraRank: wholeNumber(0, 1024),
  loraAlpha: atLeast(0, { open: true }),
  loraDropout: inRange(0, 1, { maxOpen: true }),
  loraTargets: loraTargets,
  adamBeta1: inRange(0, 1, { maxOpen: true }),
  adamBeta2: inRange(0, 1, { maxOpen: true }),
  adamEpsilon: atLeast(0, { open: true }),
};

/**
 * Defaults overlaid with `partial` (from the UI, the CLI or a saved `training_args.json`), checked field by
 * field. Unknown names are rejected so a typo is not silently ignored; undefined values mean "use the default".
 */
export function validateTrainingArgs(partial: unknown): TrainingArgs {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    throw new TrainInputError('training arguments must be an object');
  }
  const args: Record<string, unknown> = { ...DEFAULT_TRAINING_ARGS };
  for (const [name, value] of Object.entries(partial)) {
    if (!Object.hasOwn(RULES, name)) {
      throw new TrainInputError(`unknown training argument "${name}" (known: ${Object.keys(RULES).join(', ')})`, name);
    }
    if (value === undefined) continue;
    const problem = RULES[name as keyof TrainingArgs](value);
    if (problem !== null) throw new TrainInputError(`${name} ${problem}, got ${JSON.stringify(value)}`, name);
    args[name] = value;
  }
  return args as unknown as TrainingArgs;
}
