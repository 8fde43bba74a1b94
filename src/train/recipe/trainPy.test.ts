// train.py against the studio's own rules, in Debian's Python (python3-torch, no transformers): a stand-in for the
// few names train.py imports from transformers (stub/transformers.py) gives it a model with Hugging Face's parameter
// names, and --print-groups prints the optimizer groups, freeze map and schedule it builds from recipe.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabelSpace } from '../../data/labels';
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
  const numLayers = config.numHiddenLayers;
  const hf = FAMILIES[config.modelType].storedName;
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

const CASES: { modelDir: string; task: Task; args: Partial<TrainingArgs> }[] = [
  { modelDir: 'public/models/bert-tiny-en', task: 'classify', args: { llrd: 0.8, headLrMultiplier: 5, freeze: 'top:1', schedule: 'cosine' } },
  { modelDir: 'public/models/bert-tiny-en', task: 'mlm', args: { llrd: 0.9, freeze: 'gradual:3', weightDecay: 0.05, warmupRatio: 0.2 } },
  { modelDir: 'public/models/bert-tiny-en', task: 'classify', args: { freeze: 'gradual:epoch', schedule: 'constant', learningRate: 3e-4 } },
  { modelDir: 'tools/reference/fixtures/distilbert', task: 'classify', args: { llrd: 0.7, freeze: 'embeddings,0,pooler' } },
  { modelDir: 'tools/reference/fixtures/electra', task: 'classify', args: { llrd: 0.95, headLrMultiplier: 2, freeze: 'head' } },
  { modelDir: 'tools/reference/fixtures/electra', task: 'mlm', args: { freeze: 'none' } },
];

describe('train.py', () => {
  it.skipIf(!hasPython)('compiles', () => {
    const folder = writeRecipe('compile', 'classify', validateTrainingArgs({}));
    const result = spawnSync(PYTHON, ['-m', 'py_compile', join(folder, 'train.py')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
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
