// train.py against the studio's own rules, in Debian's Python (python3-torch, no transformers): a stand-in for the
// few names train.py imports from transformers (stub/transformers.py) gives it a model with Hugging Face's parameter
// names, and --print-groups prints the optimizer groups, freeze map and schedule it builds from recipe.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EncodedExample } from '../../data/encode';
import type { LabelSpace } from '../../data/labels';
import { packExamples } from '../../data/packing';
import { parameterShapes } from '../../model/bert/params';
import { taskHead } from '../../model/bert/tasks';
import { FAMILIES, parseModelConfig } from '../../model/families';
import type { Task } from '../../model/task';
import { validateTrainingArgs, type TrainingArgs } from '../defaults';
import { freezeMapAt, freezeScheduleFor, parseFreezeSpec, type FreezeMap } from '../freeze';
import { buildParamGroups, type GroupId } from '../groups';
import { groupLrs, lrScaleAt } from '../lr';
import { buildRecipe } from './recipe';

const PYTHON = '/usr/bin/python3';
const ROOT = resolve(import.meta.dirname, '../../..');
const STUB = join(import.meta.dirname, 'stub');
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
const hasTorch = hasPython && spawnSync(PYTHON, ['-c', 'import torch']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PrintedGroups {
  groups: { group: GroupId; decay: boolean; lr: number; weight_decay: number; params: string[] }[];
  requires_grad: Record<string, boolean>;
  frozen_by_period: string[][];
  lr_scale: number[];
}

const STEPS = { perEpoch: 5, total: 23 };
const LABELS: LabelSpace = { kind: 'categorical', id2label: ['neg', 'neu', 'pos'], label2id: { neg: 0, neu: 1, pos: 2 } };

/** Writes the recipe of a run on `modelDir` (no weights: the stand-in builds the model) into a folder of its own. */
function writeRecipe(name: string, task: Task, args: TrainingArgs): string {
  const folder = join(dir, name);
  const files = buildRecipe({
    task,
    args,
    modelId: name,
    labels: task === 'classify' ? LABELS : undefined,
    examples: { train: 100, validation: 10 },
    steps: STEPS,
    modelFiles: {},
    split: { train: [], validation: [] },
  });
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), bytes);
  }
  return folder;
}

/** The studio's side: the model the run trains (with its task head), its groups under HF names, rates and freeze maps. */
function studio(modelDir: string, task: Task, args: TrainingArgs) {
  const base = parseModelConfig(JSON.parse(readFileSync(join(ROOT, modelDir, 'config.json'), 'utf8')));
  const { config, architecture } = taskHead(base, task, task === 'classify' ? LABELS : undefined);
  const shapes = parameterShapes(config, architecture);
  const numLayers = config.numHiddenGroups;
  const { storedName } = FAMILIES[config.modelType];
  const hf = (name: string): string => storedName(name, architecture);
  const groups = buildParamGroups(new Map([...shapes].map(([name, shape]) => [name, { shape }])), numLayers);
  const lrs = groupLrs(args.learningRate, args.llrd, args.headLrMultiplier, numLayers);
  const schedule = freezeScheduleFor(parseFreezeSpec(args.freeze), numLayers);
  const frozenIds = (map: FreezeMap) => (Object.keys(map) as GroupId[]).filter((id) => map[id]).sort();
  const start = schedule.kind === 'fixed' ? schedule.map : schedule.start;
  const periods = schedule.kind === 'fixed' ? 1 : numLayers + 3;
  const every = schedule.kind === 'gradual' && schedule.every !== 'epoch' ? schedule.every : STEPS.perEpoch;
  return {
    parameters: [...shapes].map(([name, shape]) => [hf(name), shape]),
    modelType: config.modelType,
    numLayers,
    groups: groups.groups.flatMap((group) =>
      ([[true, group.decay], [false, group.noDecay]] as const)
        .filter(([, names]) => names.length > 0)
        .map(([decay, names]) => ({
          group: group.id,
          decay,
          lr: lrs[group.id],
          weight_decay: decay ? args.weightDecay : 0,
          params: names.map(hf),
        })),
    ),
    requiresGrad: Object.fromEntries(groups.groups.flatMap((g) => [...g.decay, ...g.noDecay].map((name) => [hf(name), !start[g.id]]))),
    frozenByPeriod: Array.from({ length: periods }, (_, p) => frozenIds(freezeMapAt(schedule, p * every, p))),
    lrScale: Array.from({ length: STEPS.total }, (_, s) => lrScaleAt(s, STEPS.total, { kind: args.schedule, warmupRatio: args.warmupRatio })),
  };
}

function printGroups(folder: string, expected: ReturnType<typeof studio>): PrintedGroups {
  const spec = join(folder, 'parameters.json');
  writeFileSync(spec, JSON.stringify({ model_type: expected.modelType, num_hidden_layers: expected.numLayers, parameters: expected.parameters }));
  const result = spawnSync(PYTHON, [join(folder, 'train.py'), '--print-groups'], {
    env: { ...process.env, PYTHONPATH: STUB, STUB_PARAMETERS: spec, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

/** Runs `code` with train.py imported as `train` (and the stand-in for transformers); `data` arrives as `data`. */
function withTrainPy(code: string, data: unknown): unknown {
  const folder = writeRecipe('module', 'mlm', validateTrainingArgs({}));
  const script = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("train", sys.argv[1])',
    'train = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(train)',
    'data = json.loads(sys.stdin.read())',
    code,
  ].join('\n');
  const result = spawnSync(PYTHON, ['-c', script, join(folder, 'train.py')], {
    env: { ...process.env, PYTHONPATH: STUB, PYTHONDONTWRITEBYTECODE: '1' },
    input: JSON.stringify(data),
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

/** The fake tokenizer's special ids ([PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4) for train.py, in Python. */
const PY_TOKENIZER = `
class Tokenizer:
    pad_token_id, unk_token_id, cls_token_id, sep_token_id, mask_token_id = 0, 1, 2, 3, 4
    def __len__(self):
        return 50
tokenizer = Tokenizer()`;

const CASES: { modelDir: string; task: Task; args: Partial<TrainingArgs> }[] = [
  { modelDir: 'public/models/bert-tiny-en', task: 'classify', args: { llrd: 0.8, headLrMultiplier: 5, freeze: 'top:1', schedule: 'cosine' } },
  { modelDir: 'public/models/bert-tiny-en', task: 'mlm', args: { llrd: 0.9, freeze: 'gradual:3', weightDecay: 0.05, warmupRatio: 0.2 } },
  { modelDir: 'public/models/bert-tiny-en', task: 'classify', args: { freeze: 'gradual:epoch', schedule: 'constant', learningRate: 3e-4 } },
  { modelDir: 'tools/reference/fixtures/distilbert', task: 'classify', args: { llrd: 0.7, freeze: 'embeddings,0,pooler' } },
  { modelDir: 'tools/reference/fixtures/electra', task: 'classify', args: { llrd: 0.95, headLrMultiplier: 2, freeze: 'head' } },
  { modelDir: 'tools/reference/fixtures/electra', task: 'mlm', args: { freeze: 'none' } },
  { modelDir: 'tools/reference/fixtures/roberta', task: 'classify', args: { llrd: 0.8, freeze: 'embeddings,0,pooler' } },
  { modelDir: 'tools/reference/fixtures/xlm-roberta', task: 'mlm', args: { llrd: 0.9, freeze: 'top:1' } },
  { modelDir: 'tools/reference/fixtures/albert', task: 'classify', args: { llrd: 0.8, freeze: 'gradual:2' } },
];

describe('train.py', () => {
  it.skipIf(!hasPython)('compiles', () => {
    const folder = writeRecipe('compile', 'classify', validateTrainingArgs({}));
    const result = spawnSync(PYTHON, ['-m', 'py_compile', join(folder, 'train.py')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasTorch)('packs rows into sequences as the studio does', () => {
    // Content lengths (tokens between [CLS] and [SEP]) and documents: an empty row, a row longer than a sequence,
    // rows that fill one exactly, a document change.
    const rows = [[3, 0], [4, 0], [0, 0], [20, 0], [2, 1], [12, 1], [14, 2], [1, 2], [5, 3]];
    const examples: EncodedExample[] = rows.map(([n], index) => {
      const content = Array.from({ length: n }, (_, t) => 10 + ((index * 7 + t) % 40));
      // Two tokens a word, so renumbering words across rows shows.
      const words = content.map((_, t) => Math.floor(t / 2));
      return {
        inputIds: Int32Array.from([2, ...content, 3]),
        tokenTypeIds: new Int32Array(n + 2),
        wordIds: Int32Array.from([-1, ...words, -1]),
        specialMask: Uint8Array.from([1, ...content.map(() => 0), 1]),
        index,
      };
    });
    const maxLength = 16;
    const expected = packExamples(examples, rows.map(([, document]) => document), maxLength, { cls: 2, sep: 3 });
    const printed = withTrainPy(`${PY_TOKENIZER}
rows = [{"document": d} for d in data["documents"]]
packed = train.pack(rows, data["encoded"], data["max_length"], tokenizer)
print(json.dumps([[p["input_ids"], p["word_ids"]] for p in packed]))`, {
      documents: rows.map(([, document]) => document),
      encoded: examples.map((e) => ({ input_ids: [...e.inputIds], word_ids: [...e.wordIds] })),
      max_length: maxLength,
    });
    expect(printed).toEqual(expected.map((e) => [[...e.inputIds], [...e.wordIds]]));
  });

  it.skipIf(!hasTorch)('masks exactly max(1, round(p·n)) tokens of a sequence, whole words when asked, never specials', () => {
    // 1 special, 7 words of 1-3 tokens (13 maskable tokens), 1 special.
    const words = [-1, 0, 1, 1, 2, 3, 3, 3, 4, 5, 5, 6, 6, 6, -1];
    const printed = withTrainPy(`${PY_TOKENIZER}
import torch
out = []
for p, whole in ((0.15, False), (0.3, True), (0.01, False), (0.01, True)):
    masking = train.Masking(tokenizer, p, whole, torch.Generator().manual_seed(1))
    for _ in range(20):
        masked = masking({"input_ids": list(range(10, 10 + len(data))), "word_ids": data})
        out.append({"p": p, "whole": whole, "labels": masked["labels"], "ids": masked["input_ids"]})
print(json.dumps(out))`, words) as { p: number; whole: boolean; labels: number[]; ids: number[] }[];
    for (const { p, whole, labels, ids } of printed) {
      const chosen = labels.flatMap((label, t) => (label === -100 ? [] : [t]));
      const budget = Math.max(1, Math.round(p * 13));
      if (whole) {
        // Whole words up to the budget: every token of a chosen word, and no more than the budget unless one word
        // alone overshoots it (then that word, the shortest).
        for (const t of chosen) expect(words.filter((w, u) => w === words[t] && !chosen.includes(u))).toEqual([]);
        expect(chosen.length).toBeLessThanOrEqual(Math.max(budget, 1));
      } else {
        expect(chosen).toHaveLength(budget);
      }
      expect(chosen).not.toContain(0);
      expect(chosen).not.toContain(words.length - 1);
      chosen.forEach((t) => expect(labels[t]).toBe(10 + t));
      ids.forEach((id, t) => chosen.includes(t) || expect(id).toBe(10 + t));
    }
  });

  it.skipIf(!hasTorch)('refuses a recipe with a LoRA rank, which train.py would silently train as a full fine-tune', () => {
    const folder = writeRecipe('lora', 'classify', validateTrainingArgs({ loraRank: 4 }));
    const result = spawnSync(PYTHON, [join(folder, 'train.py'), '--print-groups'], {
      env: { ...process.env, PYTHONPATH: STUB, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('lora_rank 4');
  });

  it.skipIf(!hasTorch)('keeps the studio’s effective batch over any process count that divides it', () => {
    // [batch, accumulation, processes] → [per-device batch, accumulation, effective batch]
    const cases = [[16, 1, 1], [16, 1, 8], [16, 2, 4], [4, 8, 2], [4, 7, 2], [6, 5, 3]];
    const code = 'print(json.dumps([train.batch_plan({"batch_size": b, "gradient_accumulation_steps": a}, w) for b, a, w in data]))';
    expect(withTrainPy(code, cases)).toEqual([[16, 1, 16], [2, 1, 16], [8, 1, 32], [4, 4, 32], [2, 7, 28], [5, 2, 30]]);
  });

  it.skipIf(!hasTorch).each(CASES)('builds the studio’s groups, rates, freeze map and schedule: $modelDir $task $args.freeze', ({ modelDir, task, args }) => {
    const checked = validateTrainingArgs(args);
    const expected = studio(modelDir, task, checked);
    const printed = printGroups(writeRecipe(`${modelDir.split('/').pop()}-${task}-${checked.freeze}`, task, checked), expected);

    const membership = (g: Omit<PrintedGroups['groups'][number], 'lr'>) => ({ group: g.group, decay: g.decay, weight_decay: g.weight_decay, params: [...g.params].sort() });
    expect(printed.groups.map(membership)).toEqual(expected.groups.map(membership));
    printed.groups.forEach((group, i) => expect(group.lr).toBeCloseTo(expected.groups[i].lr, 15));
    expect(printed.requires_grad).toEqual(expected.requiresGrad);
    expect(printed.frozen_by_period).toEqual(expected.frozenByPeriod);
    expect(printed.lr_scale).toHaveLength(STEPS.total);
    printed.lr_scale.forEach((scale, s) => expect(scale).toBeCloseTo(expected.lrScale[s], 12));
  });
});
