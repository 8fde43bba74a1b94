/**
 * The learning-rate finder's arithmetic (Smith 2017, "Cyclical Learning Rates for Training Neural Networks";
 * fastai's `lr_find`): one short run whose learning rate grows exponentially from step to step, then a rate read
 * off the curve of loss against learning rate. Pure: lrSweep.ts drives the training steps.
 *
 * The rule, with its constants below:
 * - Sweep: step i of n trains at minLr · (maxLr / minLr)^(i / (n − 1)), 1e-7 to 1e-1 over 100 steps.
 * - Smoothing: the per-step losses are noisy (each is one batch), so the curve read is their bias-corrected
 *   exponential moving average, weight 0.9.
 * - Divergence: the first step whose smoothed loss is not finite or exceeds 4× the lowest smoothed loss before
 *   it; the sweep stops there, since higher rates only blow up further.
 * - Suggestion: the rate where the smoothed loss falls fastest per decade of learning rate (the steepest descent,
 *   by central differences over ±3 steps), searched from the 11th step up to the lowest smoothed loss before
 *   divergence, capped at a tenth of the rate where it diverged, and rounded to two significant digits. A curve
 *   that falls by less than 1% over that stretch is flat: no suggestion.
 */
import { ema } from './ema';
import { TrainInputError } from './errors';

export interface LrSweepSettings {
  minLr: number;
  maxLr: number;
  /** Optimizer steps, one learning rate each; fewer when the loss diverges first. */
  steps: number;
}

export const LR_SWEEP: Readonly<LrSweepSettings> = Object.freeze({ minLr: 1e-7, maxLr: 1e-1, steps: 100 });

/** Weight of the exponential moving average over the sweep's losses. */
export const LR_SMOOTHING = 0.9;

/** A smoothed loss above this multiple of the lowest one so far counts as divergence. */
export const DIVERGENCE_FACTOR = 4;

/** The suggestion is at most the divergence rate divided by this. */
export const DIVERGENCE_MARGIN = 10;

/** Steps skipped at the start of the search, as fastai does: the moving average there rests on a few batches. */
export const SKIP_START = 10;

/**
 * The slope at a step is measured from this many steps before it to as many after (about a third of a decade at
 * the default sweep), so that one noisy batch cannot make the steepest point.
 */
export const SLOPE_HALF_WIDTH = 3;

/** Below this relative fall of the smoothed loss over the search, the curve counts as flat: no suggestion. */
export const MIN_FALL = 0.01;

export interface LrSweepPoint {
  lr: number;
  /** The step's training loss (the mean over its micro-batches). */
  loss: number;
}

export interface LrSuggestion {
  /** The rate to train with, two significant digits. */
  lr: number;
  /** The sweep step it was read at. */
  index: number;
  /** True when the steepest descent lay above the cap and the cap was taken instead. */
  capped: boolean;
}

export interface LrSweepAnalysis {
  /** The smoothed loss at each point. */
  smoothed: number[];
  /** The learning rate at which the loss diverged, or null if it never did. */
  divergedLr: number | null;
  suggestion: LrSuggestion | null;
  /** Why there is no suggestion, in words (null when there is one). */
  problem: string | null;
}

export function checkSweep({ minLr, maxLr, steps }: LrSweepSettings): void {
  if (!(Number.isFinite(minLr) && minLr > 0 && Number.isFinite(maxLr) && maxLr > minLr)) {
    throw new TrainInputError(`a learning-rate sweep needs 0 < minLr < maxLr, got ${minLr} and ${maxLr}`);
  }
  if (!Number.isInteger(steps) || steps < 2) throw new TrainInputError(`a learning-rate sweep needs at least 2 steps, got ${steps}`);
}

/** The rate of sweep step `step` (0-based): exponential from minLr at the first step to maxLr at the last. */
export function sweepLrAt(step: number, settings: LrSweepSettings): number {
  const { minLr, maxLr, steps } = settings;
  return minLr * (maxLr / minLr) ** (step / (steps - 1));
}

/**
 * Index of the first smoothed loss that is not finite or exceeds `factor` × the lowest before it, or null.
 * The first point has nothing before it and never diverges unless it is not finite.
 */
export function divergenceIndex(smoothed: readonly number[], factor = DIVERGENCE_FACTOR): number | null {
  let lowest = Infinity;
  for (const [i, value] of smoothed.entries()) {
    if (!Number.isFinite(value) || value > factor * lowest) return i;
    lowest = Math.min(lowest, value);
  }
  return null;
}

/** Two significant digits: 3.1623e-4 → 3.2e-4, a rate a person can type and read back. */
export function roundLr(lr: number): number {
  return Number(lr.toPrecision(2));
}

const FLAT = 'The loss did not fall during the sweep: no rate in the range trained the model.';

/** Slope of `ys` against log10(`xs`) at `i`, by central differences over ±SLOPE_HALF_WIDTH points. */
function slopePerDecade(xs: readonly number[], ys: readonly number[], i: number): number {
  const [a, b] = [i - SLOPE_HALF_WIDTH, i + SLOPE_HALF_WIDTH];
  return (ys[b] - ys[a]) / (Math.log10(xs[b]) - Math.log10(xs[a]));
}

/** The smoothed curve, where it diverged, and the suggested rate (see the rule in the file comment). */
export function analyzeSweep(points: readonly LrSweepPoint[]): LrSweepAnalysis {
  const lrs = points.map((p) => p.lr);
  const smoothed = ema(points.map((p) => p.loss), LR_SMOOTHING);
  const diverged = divergenceIndex(smoothed);
  const divergedLr = diverged === null ? null : lrs[diverged];
  const none = (problem: string): LrSweepAnalysis => ({ smoothed, divergedLr, suggestion: null, problem });

  const usable = diverged ?? points.length;
  let lowest = 0;
  for (let i = 1; i < usable; i++) if (smoothed[i] < smoothed[lowest]) lowest = i;
  // Central differences need SLOPE_HALF_WIDTH points on each side, all before the divergence.
  const last = Math.min(lowest, usable - 1 - SLOPE_HALF_WIDTH);
  if (last < SKIP_START) {
    return none(
      diverged !== null && diverged <= SKIP_START + SLOPE_HALF_WIDTH
        ? `The loss diverged within the first steps of the sweep, at ${divergedLr}: start the sweep lower.`
        : FLAT,
    );
  }
  let steepest = SKIP_START;
  for (let i = SKIP_START + 1; i <= last; i++) {
    if (slopePerDecade(lrs, smoothed, i) < slopePerDecade(lrs, smoothed, steepest)) steepest = i;
  }
  if (!(smoothed[lowest] < (1 - MIN_FALL) * smoothed[SKIP_START] && slopePerDecade(lrs, smoothed, steepest) < 0)) {
    return none(FLAT);
  }
  const cap = divergedLr === null ? Infinity : divergedLr / DIVERGENCE_MARGIN;
  const capped = lrs[steepest] > cap;
  const lr = roundLr(capped ? cap : lrs[steepest]);
  return { smoothed, divergedLr, suggestion: { lr, index: steepest, capped }, problem: null };
}
