import { useId, useState, type ReactNode } from 'react';
import { Tooltip } from '../common';
import { parseField, type FieldSpec } from './fields';

export interface NumberFieldProps {
  spec: FieldSpec;
  value: number | null;
  onChange(value: number | null): void;
  /** Called with the error while the typed text is not acceptable, and null once it is. */
  onValidity?(error: string | null): void;
  limit?: { max: number; why: string };
  /** A note under the input (e.g. advice), shown when the text is valid. */
  hint?: ReactNode;
  warn?: boolean;
  disabled?: boolean;
  /** How the stored value is written into the input, e.g. 3e-5 rather than 0.00003. */
  format?: (value: number) => string;
}

/**
 * A labelled number input that keeps what the person types, commits only accepted values to the store and
 * explains a refused one in place. A change of the value from elsewhere replaces the typed text.
 */
export function NumberField({ spec, value, onChange, onValidity, limit, hint, warn, disabled, format = String }: NumberFieldProps) {
  const id = useId();
  const noteId = useId();
  const shown = value === null ? '' : format(value);
  const [draft, setDraft] = useState({ text: shown, base: value, error: null as string | null });
  const current = draft.base === value ? draft : { text: shown, base: value, error: null };

  const change = (text: string): void => {
    const parsed = parseField(spec, text, limit);
    if (parsed.ok) {
      setDraft({ text, base: parsed.value, error: null });
      if (parsed.value !== value) onChange(parsed.value);
    } else {
      setDraft({ text, base: value, error: parsed.error });
    }
    onValidity?.(parsed.ok ? null : parsed.error);
  };

  const note = current.error ?? hint;
  return (
    <div className="training-field">
      <div className="training-field-head">
        <label htmlFor={id}>{spec.label}</label>
        <Tooltip text={spec.help} label={`About ${spec.label.toLowerCase()}`} />
      </div>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={spec.min}
        max={limit?.max ?? spec.max}
        step={spec.step}
        value={current.text}
        placeholder={spec.blankIsNull ? 'none' : undefined}
        disabled={disabled}
        aria-invalid={current.error !== null}
        aria-describedby={note ? noteId : undefined}
        onChange={(event) => change(event.target.value)}
      />
      {note && (
        <div id={noteId} className={current.error || warn ? 'training-note warn' : 'training-note'}>
          {note}
        </div>
      )}
    </div>
  );
}
