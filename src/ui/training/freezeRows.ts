/**
 * What the freeze map draws: one row per parameter group, head on top and embeddings at the bottom, with its
 * size, whether it trains, and its learning-rate multiplier; plus the presets, all expressed in the `--freeze`
 * grammar the store and the engine share.
 */
import {
  formatFreezeSpec,
  freezeScheduleFor,
  parseFreezeSpec,
  type FreezeMap,
  type FreezeSpec,
} from '../../train/freeze';
import { groupIds, type GroupId, type ParamGroups } from '../../train/groups';
import { groupLrs } from '../../train/lr';
import type { Task } from '../../worker/protocol';

export interface FreezeRow {
  id: GroupId;
  label: string;
  /** Parameters in the group; null when it is created at the start of training with a size not yet known. */
  numParams: number | null;
  /** The group is not in the current weights: training adds it (a new head, or the pooler). */
  isNew: boolean;
  /** Frozen in the configured map (for gradual unfreezing: at the start). */
  frozen: boolean;
  /** The head always trains. */
  locked: boolean;
  /** This group's peak learning rate over the base rate (layer-wise decay and the head multiplier). */
  lrMultiplier: number;
  /** Frozen at the latest step of the run, or null when no step has run. */
  frozenNow: boolean | null;
}

export interface FreezeRowsInput {
  numLayers: number;
  hiddenSize: number;
  vocabSize: number;
  task: Task;
  /** The loaded checkpoint's groups, or null before they are known. */
  groups: ParamGroups | null;
  map: FreezeMap;
  llrd: number;
  headLrMultiplier: number;
  /** Classification: the number of classes (1 for regression), or null before data is loaded. */
  numLabels: number | null;
  /** StepMetrics.frozen of the latest step, or null without a run. */
  liveFrozen: readonly GroupId[] | null;
}

/** Top to bottom as drawn: head, pooler, the layers from the top down, embeddings. MLM, NER and QA models have no pooler. */
export function displayOrder(numLayers: number, task: Task): GroupId[] {
  const ids = groupIds(numLayers).reverse();
  return task === 'classify' ? ids : ids.filter((id) => id !== 'pooler');
}

function label(id: GroupId, task: Task): string {
  if (id === 'head') return { classify: 'Classifier head', mlm: 'MLM head', ner: 'Token classifier head', qa: 'Answer span head (qa_outputs)' }[task];
  if (id === 'pooler') return 'Pooler';
  if (id === 'embeddings') return 'Embeddings';
  return `Layer ${id.slice('layer.'.length)}`;
}

/** The size of `id` after training starts, and whether the checkpoint lacks it (see Engine.prepareHead). */
function groupSize(id: GroupId, input: FreezeRowsInput): { numParams: number | null; isNew: boolean } {
  const loaded = input.groups?.groups.find((group) => group.id === id);
  const h = input.hiddenSize;
  if (id === 'head' && input.task === 'qa') {
    // qa_outputs [2, hidden] + bias: a start and an end logit per token, whatever the data.
    return { numParams: 2 * h + 2, isNew: !loaded?.decay.includes('qa_outputs.weight') };
  }
  if (id === 'head' && input.task !== 'mlm') {
    if (input.numLabels === null) return { numParams: null, isNew: !loaded?.decay.includes('classifier.weight') };
    const numParams = h * input.numLabels + input.numLabels; // classifier [numLabels, hidden] + bias
    return { numParams, isNew: !(loaded?.decay.includes('classifier.weight') && loaded.numParams === numParams) };
  }
  if (id === 'head' && input.task === 'mlm' && !loaded?.decay.includes('cls.predictions.transform.dense.weight')) {
    // transform dense [hidden, hidden] + bias, its LayerNorm, the decoder's bias (its weight is the embeddings').
    return { numParams: h * h + h + 2 * h + input.vocabSize, isNew: true };
  }
  if (id === 'pooler' && !loaded) return { numParams: h * h + h, isNew: true }; // dense [hidden, hidden] + bias
  if (!loaded) return { numParams: null, isNew: input.groups !== null };
  return { numParams: loaded.numParams, isNew: false };
}

export function freezeRows(input: FreezeRowsInput): FreezeRow[] {
  const multipliers = groupLrs(1, input.llrd, input.headLrMultiplier, input.numLayers);
  const live = input.liveFrozen ? new Set(input.liveFrozen) : null;
  return displayOrder(input.numLayers, input.task).map((id) => ({
    id,
    label: label(id, input.task),
    ...groupSize(id, input),
    frozen: id !== 'head' && input.map[id],
    locked: id === 'head',
    lrMultiplier: multipliers[id],
    frozenNow: live ? live.has(id) : null,
  }));
}

/** Parameters that will train (by the configured map) and in all, over the rows with a known size. */
export function trainableCount(rows: readonly FreezeRow[]): { trainable: number; total: number } {
  let trainable = 0;
  let total = 0;
  for (const row of rows) {
    if (row.numParams === null) continue;
    total += row.numParams;
    if (!row.frozen) trainable += row.numParams;
  }
  return { trainable, total };
}

export type Preset = { kind: 'all' } | { kind: 'head' } | { kind: 'top'; k: number } | { kind: 'gradual'; every: number | 'epoch' };

export function presetSpec(preset: Preset): string {
  switch (preset.kind) {
    case 'all':
      return formatFreezeSpec({ kind: 'none' });
    case 'head':
      return formatFreezeSpec({ kind: 'head' });
    case 'top':
      return formatFreezeSpec({ kind: 'top', k: preset.k });
    case 'gradual':
      return formatFreezeSpec({ kind: 'gradual', every: preset.every });
  }
}

/** The preset a spec is (with its k or period), 'custom' for an explicit group list, or null when it does not parse. */
export function presetOf(spec: string): Preset | { kind: 'custom' } | null {
  let parsed: FreezeSpec;
  try {
    parsed = parseFreezeSpec(spec);
  } catch {
    return null;
  }
  switch (parsed.kind) {
    case 'none':
      return { kind: 'all' };
    case 'groups':
      return { kind: 'custom' };
    default:
      return parsed;
  }
}

export type CheckedSpec = { ok: true; summary: string } | { ok: false; error: string };

function layerList(indices: number[]): string {
  if (indices.length === 1) return `layer ${indices[0]}`;
  const contiguous = indices.every((n, i) => i === 0 || n === indices[i - 1] + 1);
  return contiguous ? `layers ${indices[0]}–${indices.at(-1)}` : `layers ${indices.join(', ')}`;
}

/** A spec checked against a model with `numLayers` layers, and what it means in words. */
export function checkSpec(spec: string, numLayers: number): CheckedSpec {
  let parsed: FreezeSpec;
  try {
    parsed = parseFreezeSpec(spec);
    freezeScheduleFor(parsed, numLayers);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  switch (parsed.kind) {
    case 'none':
      return { ok: true, summary: 'Every layer trains.' };
    case 'head':
      return { ok: true, summary: 'Only the head trains; the whole encoder is frozen.' };
    case 'top': {
      if (parsed.k === numLayers) return { ok: true, summary: 'Every layer trains; only the embeddings are frozen.' };
      const frozen = Array.from({ length: numLayers - parsed.k }, (_, i) => i);
      const trained = parsed.k === 0 ? 'The pooler and the head train' : `The top ${parsed.k} ${parsed.k === 1 ? 'layer' : 'layers'}, the pooler and the head train`;
      return { ok: true, summary: `${trained}; the embeddings and ${layerList(frozen)} are frozen.` };
    }
    case 'gradual': {
      const period = parsed.every === 'epoch' ? 'every epoch' : `every ${parsed.every} steps`;
      return { ok: true, summary: `Starts with only the head training, then unfreezes one more layer from the top ${period}.` };
    }
    case 'groups': {
      const layers = parsed.frozen.filter((id) => id.startsWith('layer.')).map((id) => Number(id.slice('layer.'.length))).sort((a, b) => a - b);
      const parts = [
        ...(parsed.frozen.includes('embeddings') ? ['the embeddings'] : []),
        ...(layers.length > 0 ? [layerList(layers)] : []),
        ...(parsed.frozen.includes('pooler') ? ['the pooler'] : []),
      ];
      return { ok: true, summary: `Frozen: ${parts.join(', ')}; everything else trains.` };
    }
  }
}
