/**
 * recipe.json: a studio run as train.py reads it. Its task, the model it starts from, every training setting under
 * the name Hugging Face's scripts give it, the split's files, and the example and step counts the studio's trainer
 * had, which train.py checks its own counts against.
 */
import type { LabelSpace } from '../../data/labels';
import type { Task } from '../../model/task';
import type { TrainingArgs } from '../defaults';
import type { RunLength } from '../trainer';

export const RECIPE_FORMAT = 'bert-studio-recipe/1';

/**
 * Each studio setting's name in recipe.json. Complete by type, so a new setting cannot be left out of the recipe;
 * train.py refuses a recipe with any other set of names (its TRAINING_KEYS).
 */
export const RECIPE_TRAINING_KEYS: { readonly [K in keyof TrainingArgs]: string } = {
  learningRate: 'learning_rate',
  epochs: 'epochs',
  batchSize: 'batch_size',
  maxLength: 'max_length',
  warmupRatio: 'warmup_ratio',
  weightDecay: 'weight_decay',
  schedule: 'schedule',
  maxGradNorm: 'max_grad_norm',
  gradAccumSteps: 'gradient_accumulation_steps',
  seed: 'seed',
  llrd: 'llrd',
  headLrMultiplier: 'head_lr_multiplier',
  evalEvery: 'eval_every',
  earlyStoppingPatience: 'early_stopping_patience',
  earlyStoppingMinDelta: 'early_stopping_min_delta',
  valSplit: 'val_split',
  mlmProbability: 'mlm_probability',
  wholeWordMasking: 'whole_word_masking',
  packSequences: 'pack_sequences',
  maxSteps: 'max_steps',
  freeze: 'freeze',
  gradientCheckpointing: 'gradient_checkpointing',
  loraRank: 'lora_rank',
  loraAlpha: 'lora_alpha',
  loraDropout: 'lora_dropout',
  loraTargets: 'lora_targets',
  adamBeta1: 'adam_beta1',
  adamBeta2: 'adam_beta2',
  adamEpsilon: 'adam_epsilon',
};

export interface RecipeConfig {
  format: typeof RECIPE_FORMAT;
  task: Task;
  /** `id` names where the run's model came from, for people; `path` is the checkpoint train.py loads. */
  model: { id: string; path: string };
  /** Classification and regression: config.json's labels for the head (regression: one output). */
  labels: { id2label: string[]; problem_type: 'single_label_classification' | 'regression' } | null;
  /** The split's files, and the examples the studio made of them (masked-LM rows packed into sequences). */
  data: { train: string; validation: string; train_examples: number; validation_examples: number };
  steps: { per_epoch: number; total: number };
  training: Record<string, TrainingArgs[keyof TrainingArgs]>;
}

export interface RecipeRun {
  task: Task;
  args: TrainingArgs;
  modelId: string;
  /** Undefined for masked-LM. */
  labels: LabelSpace | undefined;
  /** Training and validation examples as the run encodes them. */
  examples: { train: number; validation: number };
  steps: RunLength;
}

export const RECIPE_PATHS = { model: 'model', train: 'data/train.jsonl', validation: 'data/validation.jsonl' } as const;

export function recipeConfig(run: RecipeRun): RecipeConfig {
  const training = Object.fromEntries(
    (Object.keys(RECIPE_TRAINING_KEYS) as (keyof TrainingArgs)[]).map((key) => [RECIPE_TRAINING_KEYS[key], run.args[key]]),
  );
  const { labels } = run;
  return {
    format: RECIPE_FORMAT,
    task: run.task,
    model: { id: run.modelId, path: RECIPE_PATHS.model },
    labels: labels === undefined
      ? null
      : labels.kind === 'categorical'
        ? { id2label: labels.id2label, problem_type: 'single_label_classification' }
        : { id2label: ['LABEL_0'], problem_type: 'regression' },
    data: { train: RECIPE_PATHS.train, validation: RECIPE_PATHS.validation, train_examples: run.examples.train, validation_examples: run.examples.validation },
    steps: { per_epoch: run.steps.perEpoch, total: run.steps.total },
    training,
  };
}
