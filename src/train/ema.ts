/**
 * The exponential moving average that smooths noisy per-step losses: the training-curve chart draws it, and the
 * learning-rate finder reads its suggestion off it.
 */

/**
 * Exponential moving average with TensorBoard's debiasing: weight 0 returns the values, weights near 1
 * smooth hard; the first points are not dragged towards 0. Non-finite values are carried, not averaged in.
 */
export function ema(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const out: number[] = [];
  let average = 0;
  let count = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) {
      out.push(value);
      continue;
    }
    count += 1;
    average = weight * average + (1 - weight) * value;
    out.push(average / (1 - weight ** count));
  }
  return out;
}
