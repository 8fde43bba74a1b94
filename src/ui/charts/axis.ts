/**
 * A linear axis's domain, ticks and labels, computed here rather than by recharts: its automatic ticks repeated
 * labels on flat curves ("0.688" three times on a short run's loss), showed a tick twice on the gradient norm,
 * and ran a masked-accuracy axis with one evaluation up to 400%.
 */

export interface Axis {
  domain: [number, number];
  ticks: number[];
  /** Labels with just enough digits that no two ticks read the same. */
  format: (value: number) => string;
}

export interface AxisOptions {
  /** About how many ticks (the nice step decides). */
  count?: number;
  /** Hard limits of the quantity, e.g. [0, 1] for a share: the domain never leaves them. */
  bounds?: [number, number];
  /**
   * The narrowest range shown: a share's axis spans at least 10 points, so two baseline lines 0.2 points apart
   * do not fill the plot before the first evaluation.
   */
  minSpan?: number;
  /** Labels at a number of significant digits (more are tried until the labels are distinct). */
  label?: (value: number, digits: number) => string;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** The smallest of 1, 2, 2.5, 5 × 10^k at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) throw new RangeError(`niceStep needs a positive finite step, got ${rough}`);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = NICE_STEPS.find((nice) => nice * power >= rough * (1 - 1e-9))! * power;
  return Number(step.toPrecision(12));
}

/** A number at `digits` significant digits, as the charts print small and large values. */
export function labelNumber(value: number, digits: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 1e-3) {
    const [mantissa, exponent] = value.toExponential(Math.max(0, digits - 1)).split('e');
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(digits)));
}

/** The axis over `values` (non-finite ones are ignored); null when there is nothing finite to draw. */
export function linearAxis(values: Iterable<number>, { count = 5, bounds, minSpan = 0, label = labelNumber }: AxisOptions = {}): Axis | null {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min > max) return null;
  if (min === max) {
    // A flat line (one evaluation, a constant learning rate): a band around it, so it draws mid-height.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  if (max - min < minSpan) {
    const centre = (min + max) / 2;
    [min, max] = [centre - minSpan / 2, centre + minSpan / 2];
    // Slid back inside the bounds rather than cut, so the span stays.
    if (bounds && min < bounds[0]) [min, max] = [bounds[0], bounds[0] + minSpan];
    if (bounds && max > bounds[1]) [min, max] = [bounds[1] - minSpan, bounds[1]];
  }
  if (bounds) [min, max] = [Math.max(bounds[0], min), Math.min(bounds[1], max)];
  const step = niceStep((max - min) / Math.max(1, count - 1));
  let low = Math.floor(min / step + 1e-9) * step;
  let high = Math.ceil(max / step - 1e-9) * step;
  if (bounds) [low, high] = [Math.max(bounds[0], low), Math.min(bounds[1], high)];
  const ticks: number[] = [];
  for (let k = 0; low + k * step <= high + step * 1e-9; k++) ticks.push(Number((low + k * step).toPrecision(12)));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, format: distinctFormat(ticks, label) };
}

/**
 * The fewest significant digits (from 2) that write every tick exactly, so no label is rounded (72.5% read
 * "73%") and none repeats.
 */
function distinctFormat(ticks: number[], label: (value: number, digits: number) => string): (value: number) => string {
  for (let digits = 2; digits < 12; digits++) {
    const exact = ticks.every((tick) => Number(tick.toPrecision(digits)) === tick);
    const labels = ticks.map((tick) => label(tick, digits));
    if (exact && new Set(labels).size === labels.length) return (value) => label(value, digits);
  }
  return (value) => label(value, 12);
}
