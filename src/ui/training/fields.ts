/**
 * The numeric training arguments as form fields: label, input attributes, help, and parsing that reuses
 * validateTrainingArgs, so the form accepts exactly what the engine accepts and says why it refuses.
 */
import { validateTrainingArgs, type TrainingArgs } from '../../train/defaults';
import { TrainInputError } from '../../train/errors';

/** Arguments edited as a plain number (maxSteps as a number or blank). */
export type NumericArg = {
  [K in keyof TrainingArgs]: TrainingArgs[K] extends number ? K : TrainingArgs[K] extends number | null ? K : never;
}[keyof TrainingArgs];

export interface FieldSpec {
  key: NumericArg | 'evalEvery';
  /** Visible label and accessible name. */
  label: string;
  min?: number;
  max?: number;
  step: number | 'any';
  help: string;
  /** Blank means null (only maxSteps: "run every epoch"). */
  blankIsNull?: boolean;
}

const field = (key: FieldSpec['key'], label: string, step: FieldSpec['step'], help: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key,
  label,
  step,
  help,
  ...extra,
});

export const FIELDS = {
  learningRate: field('learningRate', 'Exact value', 'any', 'Type a learning rate the slider cannot reach, such as 3e-5.', { min: 0 }),
  epochs: field('epochs', 'Epochs', 1, 'Passes over the training set. 2–4 suffice for fine-tuning; small data overfits early.', { min: 1 }),
  batchSize: field('batchSize', 'Batch size', 1, 'Examples per micro-batch. Larger batches are faster per example but need more GPU memory.', {
    min: 1,
  }),
  maxLength: field('maxLength', 'Max length', 1, 'Tokens per example including [CLS] and [SEP]; longer texts are truncated. Cost grows with length.', {
    min: 4,
  }),
  warmupRatio: field('warmupRatio', 'Warmup ratio', 0.01, 'Share of the steps spent raising the learning rate linearly from 0. BERT used 0.1.', {
    min: 0,
    max: 0.99,
  }),
  weightDecay: field('weightDecay', 'Weight decay', 0.001, 'Decoupled (AdamW) decay on weight matrices; biases and LayerNorm are exempt. BERT used 0.01.', {
    min: 0,
  }),
  gradAccumSteps: field('gradAccumSteps', 'Gradient accumulation', 1, 'Micro-batches summed per optimizer step: the effective batch is batch size × this.', {
    min: 1,
  }),
  seed: field('seed', 'Seed', 1, 'Seeds shuffling, dropout, masking and the new head, so a run can be repeated exactly.', { min: 0 }),
  maxGradNorm: field('maxGradNorm', 'Max grad norm', 0.1, 'Clips the global gradient norm to this value; 0 turns clipping off. BERT used 1.0.', {
    min: 0,
  }),
  earlyStoppingPatience: field('earlyStoppingPatience', 'Early-stopping patience', 1, 'Stop after this many evaluations without a lower validation loss; 0 turns it off. The best weights are kept.', {
    min: 0,
  }),
  earlyStoppingMinDelta: field('earlyStoppingMinDelta', 'Min improvement', 'any', 'The validation loss must fall by more than this to count as better.', {
    min: 0,
  }),
  maxSteps: field('maxSteps', 'Max steps', 1, 'Stop after this many optimizer steps (the schedule spans them); leave blank to run every epoch.', {
    min: 1,
    blankIsNull: true,
  }),
  mlmProbability: field('mlmProbability', 'Mask probability', 0.01, 'Share of tokens the model must predict (80% become [MASK], 10% random, 10% unchanged). BERT used 0.15.', {
    min: 0.01,
    max: 0.99,
  }),
  loraRank: field('loraRank', 'Rank r', 1, 'Inner width of each adapter: 4-16 is typical. A larger rank can learn more and trains more parameters.', { min: 1, max: 1024 }),
  loraAlpha: field('loraAlpha', 'Alpha α', 'any', 'Scales the adapters’ update by α / r. 16 (twice r = 8) is PEFT’s usual choice.', { min: 0 }),
  loraDropout: field('loraDropout', 'Adapter dropout', 0.01, 'Dropout on each adapter’s input while training, as PEFT’s lora_dropout.', { min: 0, max: 0.99 }),
  adamBeta1: field('adamBeta1', 'Adam β1', 'any', 'Decay of the gradient mean. 0.9, as BERT.', { min: 0, max: 0.999 }),
  adamBeta2: field('adamBeta2', 'Adam β2', 'any', 'Decay of the squared-gradient mean. 0.999, as BERT.', { min: 0, max: 0.9999 }),
  adamEpsilon: field('adamEpsilon', 'Adam ε', 'any', 'Added to the denominator for numerical stability. 1e-8, as BERT.'),
} as const satisfies Partial<Record<NumericArg, FieldSpec>>;

/** The step count of "evaluate every N steps" (evalEvery's other form is 'epoch'). */
export const EVAL_STEPS_FIELD = field('evalEvery', 'Steps between evaluations', 1, 'Evaluate on the validation set after every this many optimizer steps.', {
  min: 1,
});

export type ParsedField = { ok: true; value: number | null } | { ok: false; error: string };

/**
 * The value typed into `spec`'s input, checked by the same rules as the engine's, plus `limit` (e.g. the
 * model's position count for maxLength).
 */
export function parseField(spec: FieldSpec, text: string, limit?: { max: number; why: string }): ParsedField {
  const trimmed = text.trim();
  if (trimmed === '') return spec.blankIsNull ? { ok: true, value: null } : { ok: false, error: `Enter a value for ${spec.label.toLowerCase()}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, error: `"${trimmed}" is not a number.` };
  try {
    validateTrainingArgs({ [spec.key]: value });
  } catch (err) {
    if (!(err instanceof TrainInputError)) throw err;
    return { ok: false, error: `${spec.label} ${err.message.slice(spec.key.length).trim()}.` };
  }
  if (limit && value > limit.max) return { ok: false, error: `${spec.label} can be at most ${limit.max}: ${limit.why}.` };
  return { ok: true, value };
}

/** Share of rows whose untruncated token length exceeds maxLength (0 for no rows). */
export function truncatedShare(tokenLengths: readonly number[], maxLength: number): number {
  if (tokenLengths.length === 0) return 0;
  let over = 0;
  for (const length of tokenLengths) if (length > maxLength) over += 1;
  return over / tokenLengths.length;
}

/**
 * Optimizer steps a run will take over `numTrain` examples (rows, or packed sequences), as the trainer counts
 * them: ⌈examples ÷ batch⌉ batches per epoch. maxSteps, when set, wins.
 */
export function estimateSteps(numTrain: number, args: Pick<TrainingArgs, 'batchSize' | 'gradAccumSteps' | 'epochs' | 'maxSteps'>): number {
  if (args.maxSteps !== null) return args.maxSteps;
  if (numTrain <= 0) return 0;
  const batches = Math.ceil(numTrain / args.batchSize);
  return Math.ceil(batches / args.gradAccumSteps) * args.epochs;
}
