import { memo, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTurn } from '../common';
import { labelNumber, linearAxis } from './axis';
import { CHART_AXIS, CHART_TOOLTIP_STYLE } from './chartStyle';
import type { Point, XAxisMode } from './series';

export interface LineSpec {
  key: string;
  label: string;
  color: string;
  /** 'right' puts the line on a second y axis with its own scale. */
  axis?: 'left' | 'right';
  /** Sparse series (evaluations) draw their points and join across gaps. */
  sparse?: boolean;
  faint?: boolean;
}

/** A dashed horizontal line at a fixed value of the left axis (e.g. a baseline), labelled on the plot. */
export interface ReferenceSpec {
  value: number;
  label: string;
  color: string;
}

export interface LineChartCardProps {
  title: string;
  /** The latest readings in words, under the title (also what a screen reader gets instead of the plot). */
  summary: ReactNode;
  points: Point[];
  lines: LineSpec[];
  mode: XAxisMode;
  /** Shared by every chart of the run, so their x axes line up. */
  xDomain: [number, number];
  logScale?: boolean;
  /** The hover readout of a value on the left axis, and on the right one. */
  format?: (value: number) => string;
  formatRight?: (value: number) => string;
  /** A tick label at a number of significant digits (the axis picks the fewest that keep labels distinct). */
  tickLabel?: (value: number, digits: number) => string;
  tickLabelRight?: (value: number, digits: number) => string;
  /** Hard limits of the left axis's quantity, e.g. [0, 1] for shares, which also span at least 10 points. */
  bounds?: [number, number] | null;
  height?: number;
  references?: ReferenceSpec[];
}

function formatX(mode: XAxisMode): (value: number) => string {
  return mode === 'step' ? (value) => String(Math.round(value)) : (value) => String(Number(value.toFixed(2)));
}

/** What the plot itself draws: everything but the caption. */
type PlotProps = Required<Omit<LineChartCardProps, 'title' | 'summary'>>;

const sameLine = (a: LineSpec, b: LineSpec): boolean =>
  a.key === b.key && a.label === b.label && a.color === b.color && a.axis === b.axis && a.sparse === b.sparse && a.faint === b.faint;
const sameReference = (a: ReferenceSpec, b: ReferenceSpec): boolean => a.value === b.value && a.label === b.label && a.color === b.color;
const sameList = <T,>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean =>
  a.length === b.length && a.every((x, i) => same(x, b[i]));

/** Whether two plots draw the same picture; the points compare by identity (the panel memoises them). */
function samePlot(a: PlotProps, b: PlotProps): boolean {
  return (
    a.points === b.points &&
    a.mode === b.mode &&
    a.xDomain[0] === b.xDomain[0] &&
    a.xDomain[1] === b.xDomain[1] &&
    a.logScale === b.logScale &&
    a.format === b.format &&
    a.formatRight === b.formatRight &&
    a.tickLabel === b.tickLabel &&
    a.tickLabelRight === b.tickLabelRight &&
    a.bounds?.[0] === b.bounds?.[0] &&
    a.bounds?.[1] === b.bounds?.[1] &&
    a.height === b.height &&
    sameList(a.lines, b.lines, sameLine) &&
    sameList(a.references, b.references, sameReference)
  );
}

/**
 * One live chart: the caption follows every update at once; the plot redraws only when what it draws changed,
 * and waits for its turn (`useTurn`), so the panel's charts redraw one per task instead of all in one.
 */
export function LineChartCard({
  title,
  summary,
  points,
  lines,
  mode,
  xDomain,
  logScale = false,
  format = String,
  formatRight = String,
  tickLabel = labelNumber,
  tickLabelRight = labelNumber,
  bounds = null,
  height = 180,
  references = [],
}: LineChartCardProps) {
  const plot = useTurn<PlotProps>({ points, lines, mode, xDomain, logScale, format, formatRight, tickLabel, tickLabelRight, bounds, height, references }, samePlot);
  return (
    <figure className="charts-card" data-points={plot?.points.length ?? 0} data-drawn={plot !== null}>
      <figcaption className="charts-card-head">
        <span className="charts-card-title">{title}</span>
        <span className="charts-card-summary">{summary}</span>
      </figcaption>
      <div aria-hidden="true">{plot ? <Plot {...plot} /> : <div style={{ height }} />}</div>
      {lines.length > 1 && <LineLegend lines={lines} />}
    </figure>
  );
}

/**
 * The key to several lines, in the order given, as plain HTML: recharts' own Legend measures itself after
 * mounting and lays the whole chart out again, a second render of every chart.
 */
function LineLegend({ lines }: { lines: LineSpec[] }) {
  return (
    <ul className="charts-legend" aria-label="Lines">
      {lines.map((line) => (
        <li key={line.key}>
          <svg width="14" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="14" y2="4" stroke={line.color} strokeWidth={line.faint ? 1 : 2} strokeOpacity={line.faint ? 0.45 : 1} />
          </svg>
          {line.label}
          {line.axis === 'right' && <span className="charts-legend-axis"> (right axis)</span>}
        </li>
      ))}
    </ul>
  );
}

/** recharts without animation, y axes sized to the data. */
const Plot = memo(function Plot({ points, lines, mode, xDomain, logScale, format, formatRight, tickLabel, tickLabelRight, bounds, height, references }: PlotProps) {
  const hasRight = lines.some((line) => line.axis === 'right');
  // recharts' own ticks on the log scale only (they are its decades); linear axes get distinct, bounded ticks.
  const left = logScale ? null : linearAxis([...axisValues(points, lines, 'left'), ...references.map((r) => r.value)], {
    bounds: bounds ?? undefined,
    minSpan: bounds ? (bounds[1] - bounds[0]) / 10 : 0,
    label: tickLabel,
  });
  const right = hasRight ? linearAxis(axisValues(points, lines, 'right'), { label: tickLabelRight }) : null;
  // The tooltip lists the lines in the order given, not alphabetically (recharts' default).
  const order = (item: { dataKey?: unknown }): number => lines.findIndex((line) => line.key === item.dataKey);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={points} margin={{ top: 6, right: hasRight ? 0 : 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="x" type="number" domain={xDomain} allowDataOverflow allowDecimals={mode === 'epoch'} tickFormatter={formatX(mode)} {...CHART_AXIS} />
        <YAxis
          yAxisId="left"
          width={52}
          scale={logScale ? 'log' : 'auto'}
          domain={left?.domain ?? ['auto', 'auto']}
          ticks={left?.ticks}
          allowDataOverflow={logScale}
          tickFormatter={left?.format ?? format}
          {...CHART_AXIS}
        />
        {hasRight && (
          <YAxis yAxisId="right" orientation="right" width={52} domain={right?.domain ?? ['auto', 'auto']} ticks={right?.ticks} tickFormatter={right?.format ?? formatRight} {...CHART_AXIS} />
        )}
        <Tooltip
          isAnimationActive={false}
          itemSorter={order}
          labelFormatter={(x) => `${mode === 'step' ? 'Step' : 'Epoch'} ${formatX(mode)(Number(x))}`}
          formatter={(value, _name, item) => {
            const line = lines.find((l) => l.key === item.dataKey);
            return (line?.axis === 'right' ? formatRight : format)(Number(value));
          }}
          contentStyle={CHART_TOOLTIP_STYLE}
        />
        {lines.map((line) => (
          <Line
            key={line.key}
            yAxisId={line.axis ?? 'left'}
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            strokeWidth={line.faint ? 1 : 1.75}
            strokeOpacity={line.faint ? 0.35 : 1}
            dot={line.sparse ? { r: 3, fill: line.color } : false}
            connectNulls={line.sparse}
            isAnimationActive={false}
          />
        ))}
        {references.map((reference, i) => (
          <ReferenceLine
            key={reference.label}
            yAxisId="left"
            y={reference.value}
            stroke={reference.color}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            // Labels alternate above and below their lines, so two close references stay readable.
            label={{ value: reference.label, position: i % 2 === 0 ? 'insideTopRight' : 'insideBottomRight', fill: reference.color, fontSize: 10 }}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
});

/** Every value the lines on one axis draw. */
function* axisValues(points: readonly Point[], lines: readonly LineSpec[], axis: 'left' | 'right'): Generator<number> {
  const keys = lines.filter((line) => (line.axis ?? 'left') === axis).map((line) => line.key);
  for (const point of points) {
    for (const key of keys) {
      const value = point[key];
      if (value !== undefined) yield value;
    }
  }
}
