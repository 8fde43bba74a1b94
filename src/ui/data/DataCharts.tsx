import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DataSummary } from '../../worker/protocol';
import { formatCount, formatPercent } from '../common';
import { labelCounts, lengthView } from './dataView';

const SERIES = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)', 'var(--series-6)'];
const AXIS = { fontSize: 11, fill: 'var(--muted)' };
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 };

/** Rows per class, one bar each; a lopsided chart is the cue to rebalance or weigh the metric. */
export function LabelChart({ data }: { data: DataSummary }) {
  const counts = useMemo(() => labelCounts(data.quality.summary.classCounts), [data]);
  if (counts.length === 0) return null;
  const ratio = data.quality.summary.imbalanceRatio;
  return (
    <figure className="data-chart">
      <figcaption>
        Label distribution{' '}
        <span className="data-muted">
          {counts.length} classes{ratio !== undefined && ratio > 1 ? `, largest / smallest ${ratio.toFixed(1)}×` : ''}
        </span>
      </figcaption>
      <div role="img" aria-label={`Label distribution: ${counts.map((c) => `${c.label} ${c.count}`).join(', ')}`}>
        <ResponsiveContainer width="100%" height={Math.min(60 + counts.length * 26, 320)}>
          <BarChart data={counts} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid horizontal={false} stroke="var(--border)" />
            <XAxis type="number" allowDecimals={false} tick={AXIS} />
            <YAxis type="category" dataKey="label" width={96} tick={AXIS} interval={0} />
            <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fill: 'var(--accent-soft)' }} />
            <Bar dataKey="count" name="Rows" isAnimationActive={false}>
              {counts.map((entry, i) => (
                <Cell key={entry.label} fill={SERIES[i % SERIES.length]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Token lengths before truncation, split at the training max length, with the truncation rate. */
export function LengthChart({ data, maxLength }: { data: DataSummary; maxLength: number }) {
  const view = useMemo(() => lengthView(data.tokenLengths, maxLength), [data.tokenLengths, maxLength]);
  const cutBin = view.bins.find((bin) => bin.start <= maxLength && maxLength < bin.end);
  const many = view.truncationRate > 0.05;
  return (
    <figure className="data-chart">
      <figcaption>
        Token lengths <span className="data-muted">95% of rows fit in {Math.ceil(view.p95)} tokens; longest {view.max}</span>
      </figcaption>
      <div role="img" aria-label={`Token length histogram; ${formatPercent(view.truncationRate)} of rows exceed max length ${maxLength}`}>
        <ResponsiveContainer width="100%" height={170}>
          <BarChart data={view.bins} margin={{ top: 14, right: 16, bottom: 4, left: 0 }} barCategoryGap={1}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="range" tick={AXIS} minTickGap={12} />
            <YAxis allowDecimals={false} tick={AXIS} width={40} />
            <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fill: 'var(--accent-soft)' }} />
            <Bar dataKey="kept" name="Fit" stackId="rows" fill="var(--series-1)" isAnimationActive={false} />
            <Bar dataKey="truncated" name="Truncated" stackId="rows" fill="var(--bad)" isAnimationActive={false} />
            {cutBin && (
              <ReferenceLine
                x={cutBin.range}
                stroke="var(--bad)"
                strokeDasharray="4 3"
                label={{ value: `max ${maxLength}`, position: 'top', fontSize: 11, fill: 'var(--bad)' }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className={many ? 'data-note warn' : 'data-note'}>
        {view.truncated === 0
          ? `Every row fits in the max length of ${maxLength} tokens.`
          : `${formatPercent(view.truncationRate)} of rows (${formatCount(view.truncated)}) are longer than ${maxLength} tokens and lose their end.`}
        {many && ' Raise the max length in Training, or shorten these texts.'}
      </p>
    </figure>
  );
}
