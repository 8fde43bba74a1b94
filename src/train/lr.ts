/**
 * Learning rates: a schedule over steps (a scale in [0, 1]) times a base rate per parameter group.
 *
 * Schedule, for optimizer step s (0-based) of T, with W = warmupSteps(T, ratio) = ceil(ratio · T) as in
 * Hugging Face's `get_warmup_steps`:
 *   warmup   s < W:  (s + 1) / W   — HF's formula one step later, so the first update is not wasted at lr 0
 *                                     and the last warmup step reaches the full rate
 *   linear   s ≥ W:  (T - s) / (T - W)                       — HF `get_linear_schedule_with_warmup`
 *   cosine   s ≥ W:  0.5 · (1 + cos(π · (s - W) / (T - W)))  — HF `get_cosine_schedule_with_warmup`
 *   constant s ≥ W:  1
 * and 0 from s = T on for linear and cosine.
 *
 * Layer-wise LR decay (LLRD, as in ELECTRA and BEiT): a group's rate is base · decay^distance, with distance
 * counted from the top: head and pooler 0, layer i at N - i (the top layer 1), embeddings N + 1. The head's
 * rate is further multiplied by `headMultiplier` (a freshly initialised head often wants a larger rate).
 */
import { TrainInputError } from './errors';
import { groupIds, type GroupId, type ParamGroups } from './groups';

export type ScheduleKind = 'linear' | 'cosine' | 'constant';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['linear', 'cosine', 'constant'];

export interface LrSchedule {
  kind: ScheduleKind;
  /** Fraction of all steps spent warming up, in [0, 1). */
  warmupRatio: number;
}

export function warmupSteps(totalSteps: number, warmupRatio: number): number {
  return Math.ceil(warmupRatio * totalSteps);
}

function checkSchedule(step: number, totalSteps: number, { kind, warmupRatio }: LrSchedule): void {
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new TrainInputError(`totalSteps must be a whole number >= 1, got ${totalSteps}`);
  if (!Number.isInteger(step) || step < 0) throw new TrainInputError(`step must be a whole number >= 0, got ${step}`);
  if (!SCHEDULE_KINDS.includes(kind)) throw new TrainInputError(`unknown schedule "${kind}"`, 'schedule');
  if (!(warmupRatio >= 0 && warmupRatio < 1)) throw new TrainInputError(`warmupRatio must be in [0, 1), got ${warmupRatio}`, 'warmupRatio');
}

/** The factor in [0, 1] that scales every group's learning rate at optimizer step `step` (0-based). */
export function lrScaleAt(step: number, totalSteps: number, schedule: LrSchedule): number {
  checkSchedule(step, totalSteps, schedule);
  const warmup = warmupSteps(totalSteps, schedule.warmupRatio);
  if (step < warmup) return (step + 1) / warmup;
  if (schedule.kind === 'constant') return 1;
  if (step >= totalSteps) return 0;
  const progress = (step - warmup) / (totalSteps - warmup);
  return schedule.kind === 'linear' ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** How far a group sits below the top of the network, for layer-wise decay (see the file comment). */
export function lrDistance(id: GroupId, numLayers: number): number {
  if (id === 'head' || id === 'pooler') return 0;
  if (id === 'embeddings') return numLayers + 1;
  return numLayers - Number(id.slice('layer.'.length));
}

function checkPositive(value: number, field: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new TrainInputError(`${field} must be a number > 0, got ${value}`, field);
}

/** Each group's peak learning rate, before the schedule's scale. */
export function groupLrs(baseLr: number, llrd: number, headMultiplier: number, numLayers: number): Record<GroupId, number> {
  checkPositive(baseLr, 'learningRate');
  checkPositive(headMultiplier, 'headLrMultiplier');
  if (!(llrd > 0 && llrd <= 1)) throw new TrainInputError(`llrd must be in (0, 1], got ${llrd}`, 'llrd');
  const entries = groupIds(numLayers).map((id) => {
    const lr = baseLr * llrd ** lrDistance(id, numLayers);
    return [id, id === 'head' ? lr * headMultiplier : lr];
  });
  return Object.fromEntries(entries) as Record<GroupId, number>;
}

/** Per-parameter learning rates for one step: each parameter gets its group's rate times `scale`. */
export function paramLrs(groups: ParamGroups, lrs: Record<GroupId, number>, scale: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const group of groups.groups) {
    const lr = lrs[group.id];
    if (lr === undefined) throw new TrainInputError(`no learning rate for group ${group.id}`);
    for (const name of [...group.decay, ...group.noDecay]) out.set(name, lr * scale);
  }
  return out;
}
