/**
 * Chart data from the run's StepMetrics and EvalMetrics: pure functions, so the panel only memoises and draws.
 * Every point carries `x` (the step, or the fractional epoch) for the chosen axis.
 */
import { ema } from '../../train/ema';
import type { GroupId } from '../../train/groups';
import type { EvalMetrics, StepMetrics } from '../../worker/protocol';

export type XAxisMode = 'step' | 'epoch';

export type Point = { x: number } & Record<string, number | undefined>;

export interface SeriesKey {
  key: string;
  label: string;
}

function xOfStep(step: StepMetrics, mode: XAxisMode): number {
  return mode === 'step' ? step.step : step.epoch;
}

/** An evaluation's x: the x of the training step it followed, which knows the fractional epoch. */
function xOfEval(evaluation: EvalMetrics, epochAtStep: ReadonlyMap<number, number>, mode: XAxisMode): number {
  if (mode === 'step') return evaluation.step;
  return epochAtStep.get(evaluation.step) ?? evaluation.epoch;
}

function epochsByStep(steps: readonly StepMetrics[]): Map<number, number> {
  return new Map(steps.map((s) => [s.step, s.epoch]));
}

/** Training loss (raw and smoothed) per step, with the validation loss on the step each evaluation followed. */
export function lossSeries(steps: readonly StepMetrics[], evals: readonly EvalMetrics[], mode: XAxisMode, smoothing: number): Point[] {
  const smoothed = ema(steps.map((s) => s.loss), smoothing);
  const points: Point[] = steps.map((s, i) => ({ x: xOfStep(s, mode), loss: s.loss, smoothed: smoothed[i] }));
  const index = new Map(steps.map((s, i) => [s.step, i]));
  const epochAtStep = epochsByStep(steps);
  for (const evaluation of evals) {
    const at = index.get(evaluation.step);
    if (at === undefined) points.push({ x: xOfEval(evaluation, epochAtStep, mode), valLoss: evaluation.loss });
    else points[at] = { ...points[at], valLoss: evaluation.loss };
  }
  return points.sort((a, b) => a.x - b.x);
}

/** The task's headline metrics per evaluation: accuracy and macro-F1, MSE, masked accuracy and perplexity, or EM and F1. */
export function evalMetricSeries(
  steps: readonly StepMetrics[],
  evals: readonly EvalMetrics[],
  mode: XAxisMode,
): { points: Point[]; keys: SeriesKey[]; secondary: SeriesKey | null } {
  const epochAtStep = epochsByStep(steps);
  const points = evals.map((e): Point => ({
    x: xOfEval(e, epochAtStep, mode),
    accuracy: e.classification?.accuracy,
    macroF1: e.classification?.macroF1,
    mse: e.mse,
    maskedAccuracy: e.maskedAccuracy,
    perplexity: e.perplexity,
    exactMatch: e.answers?.exactMatch,
    f1: e.answers?.f1,
  }));
  const first = evals[0];
  if (first?.answers) {
    return { points, keys: [{ key: 'exactMatch', label: 'Exact match' }, { key: 'f1', label: 'F1' }], secondary: null };
  }
  if (first?.maskedAccuracy !== undefined) {
    return { points, keys: [{ key: 'maskedAccuracy', label: 'Masked accuracy' }], secondary: { key: 'perplexity', label: 'Perplexity' } };
  }
  if (first?.mse !== undefined) return { points, keys: [{ key: 'mse', label: 'MSE' }], secondary: null };
  return {
    points,
    keys: [
      { key: 'accuracy', label: 'Accuracy' },
      { key: 'macroF1', label: 'Macro-F1' },
    ],
    secondary: null,
  };
}

function groupLabel(id: GroupId): string {
  if (id === 'head') return 'Head';
  if (id === 'pooler') return 'Pooler';
  if (id === 'embeddings') return 'Embeddings';
  return `Layer ${id.slice('layer.'.length)}`;
}

/**
 * The groups the LR chart draws: head, the top and bottom layers, the embeddings, and the middle layer on deep
 * models. Layer-wise decay spaces the rest between these, so more lines would only add clutter.
 */
export function lrGroups(step: StepMetrics | undefined): SeriesKey[] {
  if (!step) return [];
  const layers = (Object.keys(step.lrs) as GroupId[])
    .filter((id) => id.startsWith('layer.'))
    .map((id) => Number(id.slice('layer.'.length)))
    .sort((a, b) => a - b);
  const picked = new Set<GroupId>(['head']);
  if (layers.length > 0) {
    picked.add(`layer.${layers[layers.length - 1]}`);
    if (layers.length > 4) picked.add(`layer.${layers[Math.floor(layers.length / 2)]}`);
    picked.add(`layer.${layers[0]}`);
  }
  picked.add('embeddings');
  return [...picked].filter((id) => step.lrs[id] !== undefined).map((id) => ({ key: id, label: groupLabel(id) }));
}

/** Any per-step readings, e.g. `(s) => ({ gradNorm: s.gradNorm })`. */
export function stepSeries(steps: readonly StepMetrics[], mode: XAxisMode, pick: (step: StepMetrics) => Record<string, number | undefined>): Point[] {
  return steps.map((s) => ({ ...pick(s), x: xOfStep(s, mode) }));
}

/**
 * At most `max` points, evenly strided, always keeping the last (the newest reading). Points that carry a
 * validation value are kept too, so sparse evaluations never vanish from a long run's chart.
 */
export function downsample(points: readonly Point[], max: number, keep: (point: Point) => boolean = () => false): Point[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`downsample needs max >= 2, got ${max}`);
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  return points.filter((point, i) => i % stride === 0 || i === points.length - 1 || keep(point));
}

/**
 * Seconds left, from the median interval between the latest steps' arrival times (robust to a pause or an
 * evaluation between two steps), or null with fewer than two steps.
 */
export function etaSeconds(stepTimes: readonly number[], step: number, totalSteps: number, window = 20): number | null {
  if (stepTimes.length < 2) return null;
  const recent = stepTimes.slice(-(window + 1));
  const intervals = recent.slice(1).map((t, i) => t - recent[i]).sort((a, b) => a - b);
  const mid = intervals.length >> 1;
  const median = intervals.length % 2 === 1 ? intervals[mid] : (intervals[mid - 1] + intervals[mid]) / 2;
  return (Math.max(0, totalSteps - step) * median) / 1000;
}
