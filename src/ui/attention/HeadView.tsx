import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { Matrix } from './attentionMath';
import { headViewLines, strongestKeys } from './attentionView';

export interface HeadViewProps {
  tokens: string[];
  /** One matrix per colour: every head of the layer, or the one chosen matrix. */
  matrices: Matrix[];
  /** Name of each matrix for the legend, e.g. "Head 0"; one name draws no legend. */
  names: string[];
}

/** Where the pointer or keyboard is: a query token on the left or a key token on the right. */
type Focus = { side: 'query' | 'key'; index: number } | null;

const ROW = 20;
const LEFT = 132;
const RIGHT = 232;
const WIDTH = 364;

/** The colour of matrix `i`: the theme's series colours when several heads are drawn, else the accent. */
function seriesColor(i: number, count: number): string {
  return count > 1 ? `var(--series-${(i % 6) + 1})` : 'var(--accent)';
}

/**
 * BertViz-style head view: query tokens on the left, key tokens on the right, a line for each attention
 * weight with its width and opacity by the weight. Hovering a token (or moving with the arrow keys) keeps
 * only its lines.
 */
export const HeadView = memo(function HeadView({ tokens, matrices, names }: HeadViewProps) {
  const [focus, setFocus] = useState<Focus>(null);
  const lines = useMemo(() => headViewLines(matrices), [matrices]);
  const height = tokens.length * ROW + 8;
  const y = (i: number): number => i * ROW + ROW / 2 + 4;
  const touches = (from: number, to: number): boolean =>
    !focus || (focus.side === 'query' ? from === focus.index : to === focus.index);

  const keyDown = (event: KeyboardEvent<SVGSVGElement>): void => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const current = focus?.side === 'query' ? focus.index : -step;
    setFocus({ side: 'query', index: Math.min(tokens.length - 1, Math.max(0, current + step)) });
  };

  const summary =
    focus?.side === 'query'
      ? `${tokens[focus.index]} attends most to ${strongestKeys(matrices, focus.index, 3)
          .map(({ key, weight }) => `${tokens[key]} (${weight.toFixed(2)})`)
          .join(', ')}`
      : 'Hover a token, or focus the view and use the up and down arrow keys.';

  const tokenColumn = (side: 'query' | 'key') =>
    tokens.map((token, i) => (
      <text
        key={`${side}-${i}`}
        x={side === 'query' ? LEFT - 6 : RIGHT + 6}
        y={y(i)}
        dominantBaseline="middle"
        textAnchor={side === 'query' ? 'end' : 'start'}
        className={focus?.side === side && focus.index === i ? 'attention-head-token active' : 'attention-head-token'}
        onPointerEnter={() => setFocus({ side, index: i })}
      >
        {token}
      </text>
    ));

  return (
    <div className="attention-head-view">
      {names.length > 1 && (
        <ul className="attention-head-legend" aria-label="Head colours">
          {names.map((name, i) => (
            <li key={name}>
              <span className="attention-swatch" style={{ background: seriesColor(i, names.length) }} aria-hidden="true" />
              {name}
            </li>
          ))}
        </ul>
      )}
      <div className="attention-head-scroll">
        <svg
          width={WIDTH}
          height={height}
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-label={`Head view: lines from each query token to the key tokens it attends to. ${summary}`}
          tabIndex={0}
          onKeyDown={keyDown}
          onPointerLeave={() => setFocus(null)}
          onBlur={() => setFocus(null)}
        >
          <g>
            {lines.map(({ series, from, to, weight }) => (
              <line
                key={`${series}-${from}-${to}`}
                x1={LEFT}
                y1={y(from)}
                x2={RIGHT}
                y2={y(to)}
                stroke={seriesColor(series, matrices.length)}
                strokeWidth={0.5 + 2.5 * weight}
                strokeOpacity={touches(from, to) ? Math.min(1, 0.15 + weight) : 0.03}
              />
            ))}
          </g>
          <g>{tokenColumn('query')}</g>
          <g>{tokenColumn('key')}</g>
        </svg>
      </div>
      <p className="attention-readout below" aria-live="polite">
        {summary}
      </p>
    </div>
  );
});
