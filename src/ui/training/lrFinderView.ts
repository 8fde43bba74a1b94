/**
 * What the learning-rate finder shows: the sweep as chart points on a log axis, the y range worth drawing, the
 * marks (suggestion, divergence) and the sentences around them. Pure, so the component only draws.
 */
import { analyzeSweep, DIVERGENCE_FACTOR, DIVERGENCE_MARGIN, LR_SMOOTHING, LR_SWEEP, type LrSweepPoint } from '../../train/lrFinder';
import type { LrSweepResult } from '../../worker/protocol';
import { formatSmall } from '../common/format';

const RANGE = `${formatSmall(LR_SWEEP.minLr)} to ${formatSmall(LR_SWEEP.maxLr)}`;

/** The `?` help of the button: what the sweep does and how the suggestion is read. */
export const LR_FINDER_HELP =
  `Trains up to ${LR_SWEEP.steps} steps on your data with your settings (batch size, max length, freezing, task head), ` +
  `raising the learning rate exponentially from ${RANGE}, on a copy of the weights and a fresh optimizer that are ` +
  `thrown away afterwards: the model stays as it was. The loss is smoothed (moving average, weight ${LR_SMOOTHING}); ` +
  `the sweep stops once it exceeds ${DIVERGENCE_FACTOR}× its lowest value (divergence). The suggestion is the rate ` +
  `where the smoothed loss falls fastest, at most 1/${DIVERGENCE_MARGIN} of the rate where it diverged.`;

export interface SweepChartPoint {
  lr: number;
  /** Absent for a non-finite loss, which the chart cannot place. */
  loss?: number;
  smoothed?: number;
}

export interface SweepChart {
  points: SweepChartPoint[];
  /** Spans the smoothed curve; raw spikes beyond it are clipped so the curve's shape stays readable. */
  yDomain: [number, number];
  /** Powers of ten across the sweep's range, for the log x axis. */
  xTicks: number[];
  xDomain: [number, number];
  suggestion: { lr: number; loss: number } | null;
  divergedLr: number | null;
}

/** Powers of ten from `min` to `max` (both powers of ten or not: the ones inside the range). */
export function decadeTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.ceil(Math.log10(min) - 1e-9); e <= Math.floor(Math.log10(max) + 1e-9); e++) ticks.push(Number(`1e${e}`));
  return ticks;
}

/** The chart of a sweep in progress (`result` null: smoothed here as the engine does) or finished. */
export function sweepChart(points: readonly LrSweepPoint[], result: LrSweepResult | null): SweepChart {
  const { smoothed, divergedLr } = result ?? analyzeSweep(points);
  const settings = result?.settings ?? LR_SWEEP;
  const chart = points.map((p, i): SweepChartPoint => ({
    lr: p.lr,
    loss: Number.isFinite(p.loss) ? p.loss : undefined,
    smoothed: Number.isFinite(smoothed[i]) ? smoothed[i] : undefined,
  }));
  const curve = chart.flatMap((p) => (p.smoothed === undefined ? [] : [p.smoothed]));
  return {
    points: chart,
    yDomain: yRange(curve),
    xTicks: decadeTicks(settings.minLr, settings.maxLr),
    xDomain: [settings.minLr, settings.maxLr],
    suggestion: suggestionMark(chart, result),
    divergedLr,
  };
}

/**
 * The y range: the smoothed loss from its start down to its lowest point, and half as much again above, where the
 * rise towards divergence leaves the plot. A rise drawn to its top would flatten the fall the suggestion is read
 * from (the bundled model's fall is a few hundredths of a 0.69 loss); raw losses are clipped alike.
 */
function yRange(curve: readonly number[]): [number, number] {
  if (curve.length === 0) return [0, 1];
  const low = Math.min(...curve);
  const start = Math.max(...curve.slice(0, curve.indexOf(low) + 1));
  const top = Math.min(Math.max(...curve), start + 0.5 * (start - low));
  const pad = Math.max((top - low) * 0.05, Math.abs(low) * 0.005);
  return [low - pad, top + pad];
}

/** Where the suggestion sits: on the smoothed curve, at the rate it names. */
function suggestionMark(chart: readonly SweepChartPoint[], result: LrSweepResult | null): SweepChart['suggestion'] {
  const suggested = result?.suggestion;
  const nearest = suggested ? closestPoint(chart, suggested.lr) : undefined;
  return suggested && nearest?.smoothed !== undefined ? { lr: suggested.lr, loss: nearest.smoothed } : null;
}

/** The point whose rate is nearest `lr` on a log scale. */
function closestPoint(points: readonly SweepChartPoint[], lr: number): SweepChartPoint | undefined {
  const distance = (p: SweepChartPoint) => Math.abs(Math.log(p.lr / lr));
  return points.reduce<SweepChartPoint | undefined>((best, p) => (best === undefined || distance(p) < distance(best) ? p : best), undefined);
}

/** The sentence under the chart: what was found, or why nothing was. */
export function sweepSummary(result: LrSweepResult): string {
  const diverged = result.divergedLr === null
    ? `The loss did not diverge up to ${formatSmall(result.points.at(-1)?.lr ?? LR_SWEEP.maxLr)}.`
    : `The loss diverged at ${formatSmall(result.divergedLr)}.`;
  if (!result.suggestion) return `${result.problem ?? 'No suggestion.'} ${result.outcome === 'stopped' ? '' : diverged}`.trim();
  const why = result.suggestion.capped
    ? `1/${DIVERGENCE_MARGIN} of the rate where the loss diverged (its steepest descent lay closer to the divergence)`
    : 'where the smoothed loss falls fastest';
  return `Suggested ${formatSmall(result.suggestion.lr)}: ${why}. ${diverged}`;
}

/** The apply button's text, e.g. "Use 3.2e-4". */
export function applyLabel(lr: number): string {
  return `Use ${formatSmall(lr)}`;
}
