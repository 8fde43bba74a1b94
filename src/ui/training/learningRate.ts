/**
 * The learning-rate control's scale and advice: a log slider from 1e-6 to 1e-2 with the guide's band
 * (LR_RECOMMENDED) marked, and a sentence when the rate or the epoch count leaves the recommended range.
 */
import { EPOCHS_RECOMMENDED, LR_RECOMMENDED } from '../../train/defaults';
import { formatSmall } from '../common/format';
import type { SliderRange } from '../common/slider';

/** 20 positions per decade, so the band's edges (2e-5, 5e-5) are positions of their own. */
export const LR_SLIDER: SliderRange = { min: 1e-6, max: 1e-2, step: 20, scale: 'log' };

/** Decades labelled under the slider. */
export const LR_TICKS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2];

/** Where `value` sits along a log axis from `min` to `max`, in [0, 1] (clamped). */
export function logFraction(value: number, min: number, max: number): number {
  if (!(min > 0 && max > min)) throw new RangeError(`a log axis needs 0 < min < max, got [${min}, ${max}]`);
  if (!(value > 0)) return 0;
  const fraction = (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
  return Math.min(1, Math.max(0, fraction));
}

/** The recommended band as [start, end] fractions of the slider's axis. */
export function bandFractions(range: Pick<SliderRange, 'min' | 'max'> = LR_SLIDER): [number, number] {
  return [logFraction(LR_RECOMMENDED.min, range.min, range.max), logFraction(LR_RECOMMENDED.max, range.min, range.max)];
}

export function inLrBand(lr: number): boolean {
  return lr >= LR_RECOMMENDED.min && lr <= LR_RECOMMENDED.max;
}

const BAND = `${formatSmall(LR_RECOMMENDED.min)}–${formatSmall(LR_RECOMMENDED.max)}`;

/**
 * Why a rate outside the band deserves a second look, or null inside it. Training only the head is the
 * exception the guide allows: a fresh linear layer on frozen features takes rates well above the band.
 */
export function lrAdvice(lr: number, headOnly: boolean): string | null {
  if (!(Number.isFinite(lr) && lr > 0)) return 'The learning rate must be a number above 0.';
  if (inLrBand(lr)) return null;
  if (lr < LR_RECOMMENDED.min) {
    return `${formatSmall(lr)} is below the recommended ${BAND}: the weights will barely move, so training needs more epochs.`;
  }
  if (headOnly) return `${formatSmall(lr)} is above ${BAND}, which suits training only the head on frozen features.`;
  return `${formatSmall(lr)} is above the recommended ${BAND}: fine-tuning may diverge or overwrite what pretraining learned.`;
}

/** Why an epoch count outside 2–4 deserves a second look, or null inside it. */
export function epochsAdvice(epochs: number): string | null {
  if (epochs < EPOCHS_RECOMMENDED.min) return `1 epoch often underfits: ${EPOCHS_RECOMMENDED.min}–${EPOCHS_RECOMMENDED.max} are recommended.`;
  if (epochs > EPOCHS_RECOMMENDED.max) {
    return `${epochs} epochs risk overfitting, most of all on small data: ${EPOCHS_RECOMMENDED.min}–${EPOCHS_RECOMMENDED.max} are recommended (early stopping helps).`;
  }
  return null;
}
