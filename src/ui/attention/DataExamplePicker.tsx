import { useMemo } from 'react';
import { useStudio } from '../../store';
import { previewTexts, shorten } from './dataExamples';

export interface DataExamplePickerProps {
  /** Accessible name of the select, e.g. "Example from the data". */
  label: string;
  onPick(text: string): void;
  disabled?: boolean;
}

/** A select of texts from the loaded data's preview rows; picking one hands it over and resets the select. */
export function DataExamplePicker({ label, onPick, disabled }: DataExamplePickerProps) {
  const data = useStudio((s) => s.data);
  const texts = useMemo(() => previewTexts(data), [data]);
  return (
    <select
      aria-label={label}
      value=""
      disabled={disabled || texts.length === 0}
      onChange={(event) => {
        const index = Number(event.target.value);
        if (texts[index] !== undefined) onPick(texts[index]);
      }}
    >
      <option value="" disabled>
        {texts.length === 0 ? 'Load data to pick an example' : 'Pick an example from the data…'}
      </option>
      {texts.map((text, i) => (
        <option key={i} value={i}>
          {shorten(text)}
        </option>
      ))}
    </select>
  );
}
