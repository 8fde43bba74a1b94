import type { ReactNode } from 'react';
import type { Band } from '../../train/suggest';
import { formatSmall, Slider } from '../common';
import { FIELDS } from './fields';
import { bandFractions, formatLrBand, logFraction, LR_SLIDER, LR_TICKS, lrAdvice } from './learningRateScale';
import { NumberField } from './NumberField';

export interface LearningRateProps {
  value: number;
  onChange(value: number): void;
  onValidity?(error: string | null): void;
  /** Only the head trains: higher rates are fine. */
  headOnly: boolean;
  /** The rates recommended for the loaded model, shaded on the ruler. */
  band: Band;
  /** Whether the value is the suggestion, and the way back to it (the Suggested mark). */
  suggested?: ReactNode;
}

/** The base learning rate on a log slider, with the recommended band shaded on a ruler under it. */
export function LearningRate({ value, onChange, onValidity, headOnly, band, suggested }: LearningRateProps) {
  const advice = lrAdvice(value, headOnly, band);
  const [BAND_START, BAND_END] = bandFractions(band);
  const BAND = formatLrBand(band);
  return (
    <div className="training-lr">
      <Slider
        label="Learning rate"
        value={value}
        min={LR_SLIDER.min}
        max={LR_SLIDER.max}
        step={LR_SLIDER.step}
        scale="log"
        format={formatSmall}
        onChange={onChange}
        warn={advice !== null}
        help={`Peak rate of AdamW after warmup. For a model of this size fine-tuning works best in ${BAND} (shaded).`}
      />
      <div className="training-lr-ruler" aria-hidden="true">
        <div className="training-lr-band" style={{ left: `${BAND_START * 100}%`, width: `${(BAND_END - BAND_START) * 100}%` }} />
        <div className="training-lr-marker" style={{ left: `${logFraction(value, LR_SLIDER.min, LR_SLIDER.max) * 100}%` }} />
        {LR_TICKS.map((tick) => (
          <span key={tick} className="training-lr-tick" style={{ left: `${logFraction(tick, LR_SLIDER.min, LR_SLIDER.max) * 100}%` }}>
            {formatSmall(tick)}
          </span>
        ))}
      </div>
      <NumberField
        spec={FIELDS.learningRate}
        format={formatSmall}
        value={value}
        onChange={(next) => next !== null && onChange(next)}
        onValidity={onValidity}
        hint={advice ?? `Inside the recommended band ${BAND}.`}
        warn={advice !== null}
      />
      {suggested}
    </div>
  );
}
