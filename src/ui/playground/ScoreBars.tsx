import { formatPercent } from '../common';

export interface ScoreBar {
  label: string;
  /** In [0, 1]: the bar's length. */
  value: number;
  /** Drawn highlighted (the prediction). */
  top: boolean;
}

export interface ScoreBarsProps {
  /** Accessible name of the list, e.g. "Class probabilities". */
  label: string;
  bars: ScoreBar[];
  /** Write the labels in the monospace font (vocabulary tokens). */
  mono?: boolean;
}

/** Horizontal bars, one per label, in the order given; each row reads "label value" as text too. */
export function ScoreBars({ label, bars, mono }: ScoreBarsProps) {
  return (
    <ol className={mono ? 'playground-bars mono' : 'playground-bars'} aria-label={label}>
      {bars.map((bar, i) => (
        <li key={`${i}-${bar.label}`} className={bar.top ? 'top' : undefined} data-top={bar.top || undefined}>
          <span className="playground-bar-label" title={bar.label}>
            {bar.label}
          </span>
          <span className="playground-bar-track" aria-hidden="true">
            <span className="playground-bar-fill" style={{ width: `${Math.min(1, Math.max(0, bar.value)) * 100}%` }} />
          </span>
          <span className="playground-bar-value">{formatPercent(bar.value)}</span>
        </li>
      ))}
    </ol>
  );
}
