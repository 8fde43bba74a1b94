/**
 * The learning-rate control's scale and advice: a log slider from 1e-6 to 1e-2 with the recommended band
 * marked, and a sentence when the rate or the epoch count leaves the recommended range. The bands are the
 * loaded model's (src/train/suggest.ts); before a model and data are loaded, the guide's for BERT-base.
 */
import { EPOCHS_RECOMMENDED, LR_RECOMMENDED } from '../../train/defaults';
import type { Band } from '../../train/suggest';
import { formatSmall } from '../common/format';
import type { SliderRange } from '../common/sliderScale';

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
export function bandFractions(band: Band = LR_RECOMMENDED, range: Pick<SliderRange, 'min' | 'max'> = LR_SLIDER): [number, number] {
  return [logFraction(band.min, range.min, range.max), logFraction(band.max, range.min, range.max)];
}

export function inLrBand(lr: number, band: Band = LR_RECOMMENDED): boolean {
  return lr >= band.min && lr <= band.max;
}

export const formatLrBand = (band: Band): string => `${formatSmall(band.min)}–${formatSmall(band.max)}`;

/**
 * Why a rate outside the band deserves a second look, or null inside it. Training only the head is the
 * exception the guide allows: a fresh linear layer on frozen features takes rates well above the band.
 */
export function lrAdvice(lr: number, headOnly: boolean, band: Band = LR_RECOMMENDED): string | null {
  if (!(Number.isFinite(lr) && lr > 0)) return 'The learning rate must be a number above 0.';
  if (inLrBand(lr, band)) return null;
  const BAND = formatLrBand(band);
  if (lr < band.min) {
    return `${formatSmall(lr)} is below the recommended ${BAND}: the weights will barely move, so training needs more epochs.`;
  }
  if (headOnly) return `${formatSmall(lr)} is above ${BAND}, which suits training only the head on frozen features.`;
  return `${formatSmall(lr)} is above the recommended ${BAND}: fine-tuning may diverge or overwrite what pretraining learned.`;
}

/** Why an epoch count outside the band (the guide's 2–4 for BERT-base) deserves a second look, or null inside it. */
export function epochsAdvice(epochs: number, band: Band = EPOCHS_RECOMMENDED): string | null {
  const range = `${band.min}–${band.max}`;
  if (epochs < band.min) return `${epochs} ${epochs === 1 ? 'epoch' : 'epochs'} may underfit: ${range} are recommended for this model.`;
  if (epochs > band.max) {
    return `${epochs} epochs risk overfitting, most of all on small data: ${range} are recommended for this model (early stopping helps).`;
  }
  return null;
}
