/**
 * Which parameter groups train. A frozen group is left out of the trainable variable list, so no gradient is
 * computed for it at all (not computed and then thrown away).
 *
 * Gradual unfreezing (ULMFiT; the glossary's 段階的解凍) starts from a frozen map and, each period, unfreezes the
 * next frozen unit from the top. Units, top to bottom: `head`; `pooler` together with the top layer (the pooler
 * only reshapes the top layer's [CLS] vector, so it is not worth a period of its own); each lower layer; and
 * last the `embeddings`.
 */
import { isLoraParam } from '../model/loraTargets';
import { TrainInputError } from './errors';
import { groupIds, type GroupId, type ParamGroups } from './groups';

/** Group → frozen. Has a key for every group of the model, pooler included even when the model has none. */
export type FreezeMap = Record<GroupId, boolean>;

export type FreezeSchedule =
  | { kind: 'fixed'; map: FreezeMap }
  /** `every`: optimizer steps per period, or one period per epoch. */
  | { kind: 'gradual'; start: FreezeMap; every: number | 'epoch' };

/** A parsed `--freeze` spec, independent of the model size until `freezeScheduleFor` resolves it. */
export type FreezeSpec =
  | { kind: 'none' }
  | { kind: 'head' }
  | { kind: 'top'; k: number }
  /** Explicitly frozen groups; everything else trains. */
  | { kind: 'groups'; frozen: GroupId[] }
  /** Starts from head-only and unfreezes one unit per period. */
  | { kind: 'gradual'; every: number | 'epoch' };

export const FREEZE_SPEC_HELP =
  '"none" (or "all-trainable"), "head" (train only the head), "top:K" (train the top K layers, pooler and head), ' +
  'a comma list of groups to freeze such as "embeddings,0,1" (layer indices, "embeddings", "pooler"), ' +
  'or "gradual:epoch" / "gradual:N" (unfreeze one more layer from the top every epoch / every N steps)';

/** Below this many labelled examples `suggestFreeze` freezes the lower half. The guide gives no number; this is ours. */
export const SMALL_DATASET_EXAMPLES = 1000;

/**
 * Models up to this hidden size train every layer whatever the data size: the guide's freezing is for
 * BERT-base's 110M weights, and on the bundled 1.5M-parameter model (hidden 128) training every layer beat
 * frozen embeddings and frozen lower layers on the held-out review set (tools/pretrain, model card).
 */
export const SMALL_MODEL_HIDDEN = 512;

function mapWith(numLayers: number, frozen: (id: GroupId) => boolean): FreezeMap {
  return Object.fromEntries(groupIds(numLayers).map((id) => [id, frozen(id)])) as FreezeMap;
}

/** Everything trains. */
export function allTrainable(numLayers: number): FreezeMap {
  return mapWith(numLayers, () => false);
}

/** Only the task head trains; the whole encoder, pooler included, is frozen. */
export function headOnly(numLayers: number): FreezeMap {
  return mapWith(numLayers, (id) => id !== 'head');
}

/** The top `k` layers, the pooler and the head train; the embeddings and the lower layers are frozen. */
export function topK(numLayers: number, k: number): FreezeMap {
  if (!Number.isInteger(k) || k < 0 || k > numLayers) {
    throw new TrainInputError(`top:${k} needs a whole number of layers from 0 to ${numLayers}`, 'freeze');
  }
  const lowestTrained = numLayers - k;
  return mapWith(numLayers, (id) => id === 'embeddings' || (id.startsWith('layer.') && layerIndex(id) < lowestTrained));
}

function layerIndex(id: GroupId): number {
  return Number(id.slice('layer.'.length));
}

/** The model's layer count, after checking the map has exactly the groups such a model has. */
function numLayersOf(map: FreezeMap): number {
  const keys = Object.keys(map);
  const numLayers = keys.filter((key) => key.startsWith('layer.')).length;
  const expected = groupIds(Math.max(numLayers, 1));
  if (numLayers === 0 || keys.length !== expected.length || !expected.every((id) => typeof map[id] === 'boolean')) {
    throw new TrainInputError(`a freeze map needs exactly the groups ${expected.join(', ')}; got ${keys.join(', ')}`, 'freeze');
  }
  return numLayers;
}

/** Units of gradual unfreezing, top to bottom (see the file comment). */
function unfreezeUnits(numLayers: number): GroupId[][] {
  const lowerLayers = Array.from({ length: numLayers - 1 }, (_, i): GroupId[] => [`layer.${numLayers - 2 - i}`]);
  return [['head'], ['pooler', `layer.${numLayers - 1}`], ...lowerLayers, ['embeddings']];
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new TrainInputError(`${what} must be a whole number >= 0, got ${value}`);
}

/**
 * The freeze map in force for optimizer step `step` (0-based, counted over the whole run) in epoch `epoch`
 * (0-based). For a gradual schedule the period is `epoch`, or `floor(step / every)`; period p has the p topmost
 * units that `start` froze (wholly or partly) unfrozen.
 */
export function freezeMapAt(schedule: FreezeSchedule, step: number, epoch: number): FreezeMap {
  checkCount(step, 'step');
  checkCount(epoch, 'epoch');
  if (schedule.kind === 'fixed') return schedule.map;
  const { start, every } = schedule;
  if (every !== 'epoch') checkEvery(every);
  const period = every === 'epoch' ? epoch : Math.floor(step / every);
  const frozenUnits = unfreezeUnits(numLayersOf(start)).filter((unit) => unit.some((id) => start[id]));
  const unfrozen = new Set(frozenUnits.slice(0, period).flat());
  return Object.fromEntries(Object.entries(start).map(([id, frozen]) => [id, frozen && !unfrozen.has(id as GroupId)])) as FreezeMap;
}

function checkEvery(every: number): void {
  if (!Number.isInteger(every) || every < 1) {
    throw new TrainInputError(`gradual unfreezing needs a period of a whole number of steps >= 1, got ${every}`, 'freeze');
  }
}

function badSpec(spec: string, why: string): TrainInputError {
  return new TrainInputError(`bad freeze spec "${spec}": ${why}. Use ${FREEZE_SPEC_HELP}.`, 'freeze');
}

const WHOLE_NUMBER = /^\d+$/;

function parseGroup(item: string, spec: string): GroupId {
  if (WHOLE_NUMBER.test(item)) return `layer.${Number(item)}`;
  if (item === 'embeddings' || item === 'pooler') return item;
  if (item === 'head') throw badSpec(spec, 'the head cannot be frozen (use "head" alone to train only the head)');
  throw badSpec(spec, `"${item}" is not a layer index, "embeddings" or "pooler"`);
}

/** Parses the CLI's `--freeze` value (case and spaces ignored). Layer indices are checked later, against the model. */
export function parseFreezeSpec(text: string): FreezeSpec {
  const spec = text.trim().toLowerCase().replace(/\s+/g, '');
  if (spec === '') throw badSpec(text, 'it is empty');
  if (spec === 'none' || spec === 'all-trainable') return { kind: 'none' };
  if (spec === 'head') return { kind: 'head' };
  if (spec === 'top' || spec === 'gradual') throw badSpec(text, `"${spec}" needs a value after ":"`);
  const [kind, arg, ...rest] = spec.split(':');
  if (arg !== undefined) {
    if (rest.length > 0) throw badSpec(text, 'too many ":"');
    if (kind === 'top') {
      if (!WHOLE_NUMBER.test(arg)) throw badSpec(text, `"${arg}" is not a whole number of layers`);
      return { kind: 'top', k: Number(arg) };
    }
    if (kind === 'gradual') {
      if (arg === 'epoch') return { kind: 'gradual', every: 'epoch' };
      if (!WHOLE_NUMBER.test(arg) || Number(arg) < 1) throw badSpec(text, `"${arg}" is neither "epoch" nor a step count >= 1`);
      return { kind: 'gradual', every: Number(arg) };
    }
    throw badSpec(text, `unknown kind "${kind}"`);
  }
  const items = spec.split(',');
  if (items.some((item) => item === '')) throw badSpec(text, 'it has an empty item');
  const frozen = items.map((item) => parseGroup(item, text));
  if (new Set(frozen).size !== frozen.length) throw badSpec(text, 'a group is listed twice');
  return { kind: 'groups', frozen };
}

/** The inverse of parseFreezeSpec, for `training_args.json` and the CLI echo. */
export function formatFreezeSpec(spec: FreezeSpec): string {
  switch (spec.kind) {
    case 'none':
    case 'head':
      return spec.kind;
    case 'top':
      return `top:${spec.k}`;
    case 'gradual':
      return `gradual:${spec.every}`;
    case 'groups':
      return spec.frozen.map((id) => (id.startsWith('layer.') ? String(layerIndex(id)) : id)).join(',');
  }
}

/** Resolves a spec against a model with `numLayers` layers, checking layer indices and counts. */
export function freezeScheduleFor(spec: FreezeSpec, numLayers: number): FreezeSchedule {
  switch (spec.kind) {
    case 'none':
      return { kind: 'fixed', map: allTrainable(numLayers) };
    case 'head':
      return { kind: 'fixed', map: headOnly(numLayers) };
    case 'top':
      return { kind: 'fixed', map: topK(numLayers, spec.k) };
    case 'gradual':
      if (spec.every !== 'epoch') checkEvery(spec.every);
      return { kind: 'gradual', start: headOnly(numLayers), every: spec.every };
    case 'groups': {
      const known = new Set(groupIds(numLayers));
      const missing = spec.frozen.filter((id) => !known.has(id) || id === 'head');
      if (missing.length > 0) {
        throw new TrainInputError(`cannot freeze ${missing.join(', ')}: the model has layers 0 to ${numLayers - 1}`, 'freeze');
      }
      const frozen = new Set(spec.frozen);
      return { kind: 'fixed', map: mapWith(numLayers, (id) => frozen.has(id)) };
    }
  }
}

export interface FreezeSuggestion {
  spec: FreezeSpec;
  reason: string;
}

/**
 * The fine-tuning guide's advice: with little data, freeze the lower layers and update the upper half and the
 * head (データが少ない場合 → 前半の層を凍結し、後半+タスクヘッドのみを更新), which limits overfitting; with enough
 * data, update every layer (データが十分ある場合 → 全層を更新). Small models (SMALL_MODEL_HIDDEN) train every layer.
 */
export function suggestFreeze(numExamples: number, numLayers: number, hiddenSize: number): FreezeSuggestion {
  checkCount(numExamples, 'numExamples');
  groupIds(numLayers);
  if (hiddenSize <= SMALL_MODEL_HIDDEN) {
    return {
      spec: { kind: 'none' },
      reason: `A small model (hidden size ${hiddenSize} ≤ ${SMALL_MODEL_HIDDEN}) trains every layer: it has too few weights to overfit the way BERT-base does, and freezing cost the bundled model accuracy.`,
    };
  }
  if (numExamples >= SMALL_DATASET_EXAMPLES) {
    return { spec: { kind: 'none' }, reason: `${numExamples} examples is enough to update every layer.` };
  }
  const k = Math.ceil(numLayers / 2);
  const lowest = numLayers - k;
  const frozenLayers = lowest === 0 ? 'the embeddings' : lowest === 1 ? 'the embeddings and layer 0' : `the embeddings and layers 0-${lowest - 1}`;
  return {
    spec: { kind: 'top', k },
    reason:
      `${numExamples} examples is a small dataset (< ${SMALL_DATASET_EXAMPLES}): freezing ${frozenLayers} and ` +
      `training the top ${k === 1 ? 'layer' : `${k} layers`} and the head limits overfitting.`,
  };
}

/** Names of the parameters that train under `map`, in group order: the variable list to take gradients of. */
export function trainableParamNames(groups: ParamGroups, map: FreezeMap): string[] {
  const numLayers = numLayersOf(map);
  if (numLayers !== groups.numLayers) {
    throw new TrainInputError(`the freeze map is for ${numLayers} layers, the model has ${groups.numLayers}`, 'freeze');
  }
  const names = groups.groups.filter((group) => !map[group.id]).flatMap((group) => [...group.decay, ...group.noDecay]);
  if (names.length === 0) throw new TrainInputError('every parameter group is frozen: there is nothing to train', 'freeze');
  return names;
}

/**
 * What trains in a LoRA run, in group order: every adapter and the task head (pooler and head groups, new for the
 * task); the encoder's own weights stay frozen whatever the freeze spec says.
 */
export function loraTrainableNames(groups: ParamGroups): string[] {
  const names = groups.groups.flatMap((group) =>
    [...group.decay, ...group.noDecay].filter((name) => group.id === 'pooler' || group.id === 'head' || isLoraParam(name)));
  if (!names.some(isLoraParam)) throw new TrainInputError('a LoRA run needs adapters, and the model carries none', 'loraRank');
  return names;
}
