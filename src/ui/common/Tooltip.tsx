import { useId, type ReactNode } from 'react';
import './common.css';

export interface TooltipProps {
  /** The explanation; shown on hover and on keyboard focus. */
  text: ReactNode;
  /** Accessible name of the "?" button, e.g. "About the learning rate". */
  label: string;
}

/** A small "?" button that explains a control; the text stays in the DOM so aria-describedby can read it. */
export function Tooltip({ text, label }: TooltipProps) {
  const tipId = useId();
  return (
    <span className="tooltip">
      <button type="button" className="tooltip-trigger" aria-label={label} aria-describedby={tipId}>
        ?
      </button>
      <span role="tooltip" id={tipId} className="tooltip-bubble">
        {text}
      </span>
    </span>
  );
}
