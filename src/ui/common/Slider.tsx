import { useId, type ReactNode } from 'react';
import { sliderPosition, sliderValue, type SliderScale } from './sliderScale';
import { Tooltip } from './Tooltip';
import './common.css';

export interface SliderProps {
  /** Visible label and accessible name of the range input, e.g. "Learning rate". */
  label: string;
  value: number;
  min: number;
  max: number;
  /** Step in value units (linear) or the number of positions per decade (log). */
  step: number;
  onChange(value: number): void;
  /** 'log' spreads values such as learning rates evenly across decades. */
  scale?: SliderScale;
  /** Readout of the value, e.g. formatSmall; default String. */
  format?: (value: number) => string;
  /** A note under the slider, e.g. a warning that the value is outside the recommended band. */
  hint?: ReactNode;
  /** Explanation behind a "?" next to the label. */
  help?: ReactNode;
  /** Marks the value as worth a second look (draws the readout in the warning colour). */
  warn?: boolean;
  disabled?: boolean;
}

/** A labelled range input with its current value beside the label. */
export function Slider({ label, value, min, max, step, onChange, scale = 'linear', format = String, hint, help, warn, disabled }: SliderProps) {
  const id = useId();
  const range = { min, max, step, scale };
  const position = sliderPosition(value, range);
  return (
    <div className="slider">
      <div className="slider-head">
        <label htmlFor={id}>{label}</label>
        {help && <Tooltip text={help} label={`About ${label.toLowerCase()}`} />}
        <output htmlFor={id} className={warn ? 'slider-value warn' : 'slider-value'}>
          {format(value)}
        </output>
      </div>
      <input
        id={id}
        type="range"
        min={position.min}
        max={position.max}
        step={position.step}
        value={position.value}
        aria-valuetext={format(value)}
        disabled={disabled}
        onChange={(event) => onChange(sliderValue(Number(event.target.value), range))}
      />
      {hint && <div className={warn ? 'slider-hint warn' : 'slider-hint'}>{hint}</div>}
    </div>
  );
}
