/**
 * Maps slider values to input positions. On a log scale the input moves in whole positions (`step` per
 * decade) and the value is rounded to 2 significant digits, so a learning rate reads 3e-5, not 2.9854e-5.
 */
export type SliderScale = 'linear' | 'log';

export interface SliderRange {
  min: number;
  max: number;
  step: number;
  scale: SliderScale;
}

export interface SliderPosition {
  min: number;
  max: number;
  step: number;
  value: number;
}

export function sliderPosition(value: number, range: SliderRange): SliderPosition {
  if (range.scale === 'linear') return { min: range.min, max: range.max, step: range.step, value: clamp(value, range) };
  assertLogRange(range);
  const toPosition = (v: number): number => Math.log10(v) * range.step;
  return {
    min: Math.floor(toPosition(range.min)),
    max: Math.ceil(toPosition(range.max)),
    step: 1,
    value: Math.round(toPosition(clamp(value, range))),
  };
}

export function sliderValue(position: number, range: SliderRange): number {
  if (range.scale === 'linear') return clamp(roundToStep(position, range), range);
  assertLogRange(range);
  return clamp(Number((10 ** (position / range.step)).toPrecision(2)), range);
}

function roundToStep(value: number, range: SliderRange): number {
  const steps = Math.round((value - range.min) / range.step);
  // toPrecision removes float noise such as 0.30000000000000004 from min + steps × step
  return Number((range.min + steps * range.step).toPrecision(12));
}

function clamp(value: number, range: SliderRange): number {
  return Math.min(range.max, Math.max(range.min, value));
}

function assertLogRange(range: SliderRange): void {
  if (!(range.min > 0) || !(range.max > range.min) || !(range.step > 0)) {
    throw new RangeError(`a log slider needs 0 < min < max and step > 0, got [${range.min}, ${range.max}] step ${range.step}`);
  }
}
