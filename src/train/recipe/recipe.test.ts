import { describe, expect, it } from 'vitest';
import type { LabelSpace } from '../../data/labels';
import { DEFAULT_TRAINING_ARGS, validateTrainingArgs, type TrainingArgs } from '../defaults';
import { RECIPE_FORMAT, RECIPE_TRAINING_KEYS, type RecipeConfig } from './config';
import { buildRecipe, type RecipeInput } from './recipe';

const LABELS: LabelSpace = { kind: 'categorical', id2label: ['negative', 'positive'], label2id: { negative: 0, positive: 1 } };

function input(args: TrainingArgs, overrides: Partial<RecipeInput> = {}): RecipeInput {
  return {
    task: 'classify',
    args,
    modelId: 'bert-tiny-en',
    labels: LABELS,
    examples: { train: 9, validation: 2 },
    steps: { perEpoch: 3, total: 9 },
    modelFiles: { 'config.json': new TextEncoder().encode('{}'), 'model.safetensors': new Uint8Array([1, 2, 3]) },
    split: {
      train: [{ row: 0, text: 'a good film', label: 1 }, { row: 2, text: 'a bad one', label: 0 }],
      validation: [{ row: 1, text: 'quite good', label: 1 }],
    },
    ...overrides,
  };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const configOf = (files: Record<string, Uint8Array>): RecipeConfig => JSON.parse(text(files['recipe.json']));

/** recipe.json's settings read back into the studio's, through the same table of names. */
function studioArgs(config: RecipeConfig): TrainingArgs {
  const names = Object.entries(RECIPE_TRAINING_KEYS).map(([studio, recipe]) => [studio, config.training[recipe]]);
  return validateTrainingArgs(Object.fromEntries(names));
}

/** Every setting away from its default, the union-typed ones in each of their forms. */
const CHANGED: TrainingArgs[] = [
  {
    learningRate: 7.5e-4,
    epochs: 11,
    batchSize: 24,
    maxLength: 96,
    warmupRatio: 0.06,
    weightDecay: 0.1,
    schedule: 'cosine',
    maxGradNorm: 0,
    gradAccumSteps: 3,
    seed: 2 ** 32 - 1,
    llrd: 0.85,
    headLrMultiplier: 10,
    evalEvery: 25,
    earlyStoppingPatience: 0,
    earlyStoppingMinDelta: 0.001,
    valSplit: 0.2,
    mlmProbability: 0.3,
    wholeWordMasking: true,
    packSequences: false,
    maxSteps: 500,
    freeze: 'gradual:epoch',
    gradientCheckpointing: true,
    loraRank: 0, // train.py refuses LoRA runs (its test below); the other LoRA settings still round-trip
    loraAlpha: 32,
    loraDropout: 0.05,
    loraTargets: 'query,key,value,attention.output,ffn',
    adamBeta1: 0.8,
    adamBeta2: 0.98,
    adamEpsilon: 1e-6,
  },
  { ...DEFAULT_TRAINING_ARGS, schedule: 'constant', freeze: 'embeddings,0,pooler', evalEvery: 'epoch', maxSteps: null },
  { ...DEFAULT_TRAINING_ARGS, freeze: 'top:1' },
  { ...DEFAULT_TRAINING_ARGS, freeze: 'gradual:40' },
];

describe('buildRecipe', () => {
  it('names every studio setting once in recipe.json', () => {
    const names = Object.values(RECIPE_TRAINING_KEYS);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(RECIPE_TRAINING_KEYS).sort()).toEqual(Object.keys(DEFAULT_TRAINING_ARGS).sort());
    expect(Object.keys(configOf(buildRecipe(input({ ...DEFAULT_TRAINING_ARGS }))).training).sort()).toEqual([...names].sort());
  });

  it.each([DEFAULT_TRAINING_ARGS, ...CHANGED])('round-trips every setting through recipe.json (%#)', (args) => {
    expect(Object.keys(args).sort()).toEqual(Object.keys(DEFAULT_TRAINING_ARGS).sort());
    expect(studioArgs(configOf(buildRecipe(input({ ...args }))))).toEqual(args);
  });

  it('records the task, model, labels, split files and the studio’s counts', () => {
    const config = configOf(buildRecipe(input({ ...DEFAULT_TRAINING_ARGS })));
    expect(config).toMatchObject({
      format: RECIPE_FORMAT,
      task: 'classify',
      model: { id: 'bert-tiny-en', path: 'model' },
      labels: { id2label: ['negative', 'positive'], problem_type: 'single_label_classification' },
      data: { train: 'data/train.jsonl', validation: 'data/validation.jsonl', train_examples: 9, validation_examples: 2 },
      steps: { per_epoch: 3, total: 9 },
    });
    const regression = configOf(buildRecipe(input({ ...DEFAULT_TRAINING_ARGS }, { labels: { kind: 'numeric' } })));
    expect(regression.labels).toEqual({ id2label: ['LABEL_0'], problem_type: 'regression' });
    expect(configOf(buildRecipe(input({ ...DEFAULT_TRAINING_ARGS }, { task: 'mlm', labels: undefined }))).labels).toBeNull();
  });

  it('writes the scripts, the split as JSONL in its order and the checkpoint under model/', () => {
    const files = buildRecipe(input({ ...DEFAULT_TRAINING_ARGS }));
    expect(Object.keys(files).sort()).toEqual([
      'README.md', 'data/train.jsonl', 'data/validation.jsonl', 'ds_zero2.json', 'model/config.json', 'model/model.safetensors',
      'recipe.json', 'requirements.txt', 'train.py',
    ]);
    expect(text(files['data/train.jsonl']).trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual([
      { row: 0, text: 'a good film', label: 1 },
      { row: 2, text: 'a bad one', label: 0 },
    ]);
    expect(files['model/model.safetensors']).toEqual(new Uint8Array([1, 2, 3]));
    expect(JSON.parse(text(files['ds_zero2.json']))).toMatchObject({ zero_optimization: { stage: 2 }, gradient_clipping: 'auto' });
    expect(text(files['train.py'])).toContain('class StudioTrainer(Trainer)');
    expect(text(files['README.md'])).toContain('accelerate launch train.py --deepspeed ds_zero2.json');
  });
});
