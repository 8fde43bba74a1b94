import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
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
  format?: (value: number) => string;
  formatRight?: (value: number) => string;
  height?: number;
  references?: ReferenceSpec[];
}

function formatX(mode: XAxisMode): (value: number) => string {
  return mode === 'step' ? (value) => String(Math.round(value)) : (value) => String(Number(value.toFixed(2)));
}

/** One live chart: recharts without animation, y axes sized to the data, a legend only for several lines. */
export function LineChartCard({ title, summary, points, lines, mode, xDomain, logScale = false, format = String, formatRight = String, height = 180, references = [] }: LineChartCardProps) {
  const hasRight = lines.some((line) => line.axis === 'right');
  // Legend and tooltip list the lines in the order given, not alphabetically (recharts' default).
  const order = (item: { dataKey?: unknown }): number => lines.findIndex((line) => line.key === item.dataKey);
  return (
    <figure className="charts-card" data-points={points.length}>
      <figcaption className="charts-card-head">
        <span className="charts-card-title">{title}</span>
        <span className="charts-card-summary">{summary}</span>
      </figcaption>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={points} margin={{ top: 6, right: hasRight ? 0 : 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="x" type="number" domain={xDomain} allowDataOverflow allowDecimals={mode === 'epoch'} tickFormatter={formatX(mode)} {...CHART_AXIS} />
            <YAxis
              yAxisId="left"
              width={52}
              scale={logScale ? 'log' : 'auto'}
              domain={['auto', 'auto']}
              allowDataOverflow={logScale}
              tickFormatter={format}
              {...CHART_AXIS}
            />
            {hasRight && <YAxis yAxisId="right" orientation="right" width={52} domain={['auto', 'auto']} tickFormatter={formatRight} {...CHART_AXIS} />}
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
            {lines.length > 1 && <Legend iconType="plainline" itemSorter={order} wrapperStyle={{ fontSize: 11 }} />}
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
      </div>
    </figure>
  );
}
