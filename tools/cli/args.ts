import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BackendName } from '../../src/worker/protocol';

/** --backend: a tfjs backend, or `auto`, the studio's rule (WebGPU on a hardware adapter, else wasm). */
export type BackendChoice = BackendName | 'auto';

export const USAGE = `usage: npm run cli -- <command> [options]

commands:
  train   --data FILE --task classify|mlm|ner|qa --out DIR [--model DIR|HUB_ID] [--val-data FILE]
          [--text-column C] [--text-pair-column C] [--label-column C] [--regression]
          [--epochs N] [--lr X|auto] [--batch-size N] [--max-length N] [--warmup-ratio X] [--weight-decay X]
          [--schedule linear|cosine|constant] [--grad-accum N] [--freeze SPEC] [--llrd X] [--head-lr-mult X]
          [--eval-every N] [--patience N] [--val-split X] [--max-steps N] [--seed N]
          [--whole-word-masking] [--no-pack] [--gradient-checkpointing] [--predict-data FILE --predict-out FILE.jsonl]
          [--init pretrained|random] [--lora-rank R [--lora-alpha X] [--lora-dropout X] [--lora-targets LIST]]
  export-recipe  the options of train but --predict-*: writes to --out the run train would make as a folder for the
          Hugging Face Trainer on many GPUs and nodes (train.py, recipe.json, the split as JSONL, the checkpoint
          it starts from, a DeepSpeed ZeRO-2 config, a README with the commands) instead of training
  predict --model DIR --data FILE --out FILE.jsonl [--text-column C] [--text-pair-column C]
  eval    --model DIR --data FILE [--train-data FILE] [--text-column C] [--text-pair-column C] [--label-column C]
  export-onnx --model DIR|HUB_ID --out DIR [--no-quantized]

common:   [--backend auto|webgpu|wasm|cpu] (default auto: webgpu on a GPU, wasm on a machine without one)
          [--hub-endpoint URL] [--revision REV]
--lora-rank R (> 0): a LoRA run: adapters of rank R on --lora-targets (comma-separated from query, key, value,
          attention.output, ffn; default query,value) and the task head train, the rest stays frozen; --out gets
          the merged model and adapter/ (PEFT's adapter_config.json and adapter_model.safetensors)
--freeze: none | head | top:K | gradual:epoch | gradual:STEPS | comma-separated groups to freeze
          (embeddings, 0, 1, ..., pooler)
Without --model, train uses the bundled default model. With --predict-data, the trained model predicts that
file's rows into --predict-out (the JSONL of predict). --init random keeps the model's architecture and
tokenizer but starts from fresh weights (the from-scratch baseline for a pretrained model). --lr auto runs the
learning-rate finder first (a sweep from 1e-7 to 1e-1 over at most 100 steps on a throwaway copy of the weights),
prints its suggestion, trains with it, and writes the sweep to lr_finder.json beside the model. Progress goes to
stderr; results to stdout and files.
Classification and regression runs also fit a linear baseline on the same split (TF-IDF of word 1-2-grams and
character 3-5-grams, then logistic regression or ridge): train records it in metrics.json ("baseline"), and eval
with --train-data fits it on that file and prints it beside the model's metrics on --data.
export-onnx writes the folder transformers.js loads: config.json, the tokenizer files (tokenizer.json among them),
onnx/model.onnx and onnx/model_quantized.onnx (int8 MatMul weights, transformers.js's dtype "q8"; left out with
--no-quantized), for the head the model carries (classifier, else masked LM, else the bare encoder).`;

export interface ColumnFlags {
  text?: string;
  textPair?: string;
  label?: string;
}

/** Where the model comes from: a folder on disk (served to the page by the CLI) or a Hub repo id. */
export type ModelRef = { kind: 'bundled' } | { kind: 'dir'; path: string } | { kind: 'hub'; repo: string; endpoint?: string; revision?: string };

/** What every command names: the model and the backend it runs on. */
interface ModelCommon {
  model: ModelRef;
  backend: BackendChoice;
  /** Set when the model is a folder on disk, which the host serves over HTTP. */
  modelDir?: string;
}

interface Common extends ModelCommon {
  data: string;
  columns: ColumnFlags;
}

export interface TrainCommand extends Common {
  kind: 'train';
  task: 'classify' | 'mlm' | 'ner' | 'qa';
  out: string;
  valData?: string;
  regression: boolean;
  freeze?: string;
  /** Start from freshly initialised weights instead of the checkpoint's (--init random). */
  randomInit: boolean;
  /** Training hyperparameters given on the command line, by TrainingArgs name. */
  overrides: Record<string, number | string | boolean>;
  /** --lr auto: train with the learning-rate finder's suggestion. */
  findLr: boolean;
  /** Rows the trained model predicts after training, and the JSONL file the predictions go to. */
  predict?: { data: string; out: string };
}

export interface PredictCommand extends Common {
  kind: 'predict';
  out: string;
}

export interface EvalCommand extends Common {
  kind: 'eval';
  /** The file the linear baseline is fitted on, to be scored on --data beside the model. */
  trainData?: string;
}

/** export-recipe: the run train would make, written as a folder for the Hugging Face Trainer instead of trained. */
export interface RecipeCommand extends Omit<TrainCommand, 'kind' | 'predict'> {
  kind: 'export-recipe';
}

/** The commands that set up a run: train runs it, export-recipe writes it out. */
export type RunCommand = TrainCommand | RecipeCommand;

/** The model's web export (src/model/webExport.ts), written to `out`. */
export interface ExportOnnxCommand extends ModelCommon {
  kind: 'export-onnx';
  out: string;
  /** Also write onnx/model_quantized.onnx (the default; --no-quantized leaves it out). */
  quantized: boolean;
}

export type CliCommand = RunCommand | PredictCommand | EvalCommand | ExportOnnxCommand | { kind: 'help' };

const COMMANDS = ['train', 'export-recipe', 'predict', 'eval', 'export-onnx'] as const;

const isCommand = (name: string): name is (typeof COMMANDS)[number] => (COMMANDS as readonly string[]).includes(name);

const NUMERIC_FLAGS: Record<string, string> = {
  epochs: 'epochs',
  lr: 'learningRate',
  'batch-size': 'batchSize',
  'max-length': 'maxLength',
  'warmup-ratio': 'warmupRatio',
  'weight-decay': 'weightDecay',
  'grad-accum': 'gradAccumSteps',
  llrd: 'llrd',
  'head-lr-mult': 'headLrMultiplier',
  'eval-every': 'evalEvery',
  'max-steps': 'maxSteps',
  patience: 'earlyStoppingPatience',
  'val-split': 'valSplit',
  seed: 'seed',
  'lora-rank': 'loraRank',
  'lora-alpha': 'loraAlpha',
  'lora-dropout': 'loraDropout',
};

/** Switches that set a TrainingArgs boolean to the given value when present. */
const BOOLEAN_FLAGS: Record<string, [string, boolean]> = {
  'whole-word-masking': ['wholeWordMasking', true],
  'no-pack': ['packSequences', false],
  'gradient-checkpointing': ['gradientCheckpointing', true],
};

const STRING = { type: 'string' } as const;

export function parseCliArgs(argv: string[]): CliCommand {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return { kind: 'help' };
  if (!isCommand(name)) throw new Error(`unknown command "${name}"`);
  const kind = name;

  const options = Object.fromEntries([
    ...['data', 'model', 'task', 'out', 'val-data', 'train-data', 'init', 'text-column', 'text-pair-column', 'label-column', 'freeze',
      'schedule', 'lora-targets', 'backend', 'hub-endpoint', 'revision', 'predict-data', 'predict-out', ...Object.keys(NUMERIC_FLAGS)].map((name) => [name, STRING]),
    ...['regression', 'no-quantized', ...Object.keys(BOOLEAN_FLAGS)].map((name) => [name, { type: 'boolean' } as const]),
  ]);
  const values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const need = (name: string): string => {
    const value = str(name);
    if (!value) throw new Error(`${kind} needs --${name}`);
    return value;
  };

  const backend = (str('backend') ?? 'auto') as BackendChoice;
  if (!['auto', 'webgpu', 'wasm', 'cpu'].includes(backend)) throw new Error(`--backend must be auto, webgpu, wasm or cpu, not "${backend}"`);
  const runs = kind === 'train' || kind === 'export-recipe';
  const model = modelRef(runs ? str('model') : need('model'), str('hub-endpoint'), str('revision'));
  const modelCommon: ModelCommon = { model, backend, modelDir: model.kind === 'dir' ? model.path : undefined };
  if (kind === 'export-onnx') return { kind, ...modelCommon, out: need('out'), quantized: values['no-quantized'] !== true };

  const data = need('data');
  if (!existsSync(data)) throw new Error(`--data ${data}: no such file`);
  const common: Common = {
    ...modelCommon,
    data,
    columns: { text: str('text-column'), textPair: str('text-pair-column'), label: str('label-column') },
  };

  if (kind === 'eval') {
    const trainData = str('train-data');
    if (trainData !== undefined && !existsSync(trainData)) throw new Error(`--train-data ${trainData}: no such file`);
    return { kind, ...common, trainData };
  }
  if (kind === 'predict') return { kind, ...common, out: need('out') };

  const task = need('task');
  if (task !== 'classify' && task !== 'mlm' && task !== 'ner' && task !== 'qa') throw new Error(`--task must be classify, mlm, ner or qa, not "${task}"`);
  const overrides: Record<string, number | string | boolean> = {};
  const findLr = str('lr') === 'auto';
  for (const [flag, name] of Object.entries(NUMERIC_FLAGS)) {
    const raw = str(flag);
    if (raw === undefined || (findLr && flag === 'lr')) continue;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`--${flag} must be a number${flag === 'lr' ? ' or "auto"' : ''}, not "${raw}"`);
    overrides[name] = value;
  }
  for (const [flag, [name, value]] of Object.entries(BOOLEAN_FLAGS)) {
    if (values[flag] === true) overrides[name] = value;
  }
  const schedule = str('schedule');
  if (schedule !== undefined) overrides.schedule = schedule;
  const loraTargets = str('lora-targets');
  if (loraTargets !== undefined) overrides.loraTargets = loraTargets;
  const valData = str('val-data');
  if (valData !== undefined && !existsSync(valData)) throw new Error(`--val-data ${valData}: no such file`);
  const predictData = str('predict-data');
  const predictOut = str('predict-out');
  if ((predictData === undefined) !== (predictOut === undefined)) throw new Error('--predict-data and --predict-out go together');
  if (kind === 'export-recipe' && predictData !== undefined) throw new Error('export-recipe trains nothing to predict with: drop --predict-data');
  if (predictData !== undefined && !existsSync(predictData)) throw new Error(`--predict-data ${predictData}: no such file`);
  const init = str('init') ?? 'pretrained';
  if (init !== 'pretrained' && init !== 'random') throw new Error(`--init must be pretrained or random, not "${init}"`);
  const run = {
    ...common,
    task,
    out: need('out'),
    valData,
    regression: Boolean(values.regression),
    freeze: str('freeze'),
    randomInit: init === 'random',
    overrides,
    findLr,
  } as const;
  if (kind === 'export-recipe') return { kind, ...run };
  return { kind, ...run, predict: predictData === undefined ? undefined : { data: predictData, out: predictOut! } };
}

function modelRef(model: string | undefined, endpoint?: string, revision?: string): ModelRef {
  if (model === undefined) return { kind: 'bundled' };
  if (existsSync(model)) {
    if (!statSync(model).isDirectory()) throw new Error(`--model ${model} must be a folder with config.json`);
    return { kind: 'dir', path: model };
  }
  return { kind: 'hub', repo: model, endpoint, revision };
}
