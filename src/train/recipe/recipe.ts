/**
 * "Train at scale": a run of the studio as a folder for the Hugging Face Trainer on many GPUs and nodes. train.py
 * (a Python file beside this one) reproduces the studio's optimizer groups, schedule, freezing, evaluation and early
 * stopping; recipe.json carries the run's settings (config.ts); data/ the split as JSONL; model/ the checkpoint the
 * run starts from; README.md the commands and what maps to what (readme.ts).
 */
import type { SplitRecord } from '../../data/records';
import { RECIPE_PATHS, recipeConfig, type RecipeRun } from './config';
import DEEPSPEED_ZERO2 from './ds_zero2.json?raw';
import { recipeReadme } from './readme';
import TRAIN_PY from './train.py?raw';

const REQUIREMENTS = 'torch\ntransformers>=4.46\naccelerate>=0.26\n';

export interface RecipeInput extends RecipeRun {
  /** The checkpoint the run starts from, as from_pretrained reads it: config, tokenizer files, weights. */
  modelFiles: Record<string, Uint8Array>;
  split: { train: SplitRecord[]; validation: SplitRecord[] };
}

const jsonl = (records: readonly SplitRecord[]): string => records.map((record) => `${JSON.stringify(record)}\n`).join('');

/** The recipe's files by path within its folder. */
export function buildRecipe(input: RecipeInput): Record<string, Uint8Array> {
  const config = recipeConfig(input);
  const texts: Record<string, string> = {
    'README.md': recipeReadme(config),
    'train.py': TRAIN_PY,
    'recipe.json': `${JSON.stringify(config, null, 2)}\n`,
    'ds_zero2.json': DEEPSPEED_ZERO2,
    'requirements.txt': REQUIREMENTS,
    [RECIPE_PATHS.train]: jsonl(input.split.train),
    [RECIPE_PATHS.validation]: jsonl(input.split.validation),
  };
  const encoder = new TextEncoder();
  const files: Record<string, Uint8Array> = Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, encoder.encode(text)]));
  for (const [name, bytes] of Object.entries(input.modelFiles)) files[`${RECIPE_PATHS.model}/${name}`] = bytes;
  return files;
}
