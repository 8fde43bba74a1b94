import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip as ChartTooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../../store';
import { CHART_AXIS, CHART_TOOLTIP_STYLE } from '../charts/chartStyle';
import { formatSmall, ProgressBar, Tooltip } from '../common';
import { applyLabel, LR_FINDER_HELP, sweepChart, sweepSummary } from './lrFinderView';

/**
 * "Find a learning rate": runs the sweep (cancellable, with its progress), draws loss against learning rate on a
 * log axis with the suggestion marked, and applies the suggestion to the learning-rate field in one click.
 * `blocker` is why training could not start now, which equally stops a sweep.
 */
export function LrFinder({ blocker }: { blocker: string | null }) {
  const { running, cancelling, points, result } = useStudio((s) => s.lrFinder);
  const progress = useStudio((s) => s.progress);
  const learningRate = useStudio((s) => s.args.learningRate);
  const findLr = useStudio((s) => s.findLr);
  const cancel = useStudio((s) => s.cancelFindLr);
  const apply = useStudio((s) => s.applySuggestedLr);
  const chart = useMemo(() => sweepChart(points, result), [points, result]);
  const suggestion = result?.suggestion;
  const sweepProgress = progress?.stage === 'lr-finder' ? progress : null;

  return (
    <div className="training-lr-finder">
      <div className="training-lr-finder-bar">
        <button type="button" onClick={() => void findLr()} disabled={running || blocker !== null}>
          Find a learning rate
        </button>
        <Tooltip label="About the learning-rate finder" text={LR_FINDER_HELP} />
        {running && (
          <>
            <div className="training-lr-finder-progress">
              <ProgressBar label="Learning-rate sweep" progress={sweepProgress} text={sweepProgress ? undefined : 'Preparing the sweep…'} />
            </div>
            <button type="button" onClick={cancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </>
        )}
        {suggestion && (
          <button type="button" className="primary" onClick={apply} disabled={suggestion.lr === learningRate}>
            {applyLabel(suggestion.lr)}
          </button>
        )}
      </div>
      {points.length > 0 && (
        <figure className="training-lr-finder-chart" data-points={points.length} aria-label="Loss against learning rate">
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={chart.points} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis
                  dataKey="lr"
                  type="number"
                  scale="log"
                  domain={chart.xDomain}
                  ticks={chart.xTicks}
                  tickFormatter={formatSmall}
                  label={{ value: 'learning rate', position: 'insideBottomRight', offset: -2, fontSize: 11, fill: 'var(--muted)' }}
                  height={34}
                  {...CHART_AXIS}
                />
                <YAxis width={48} domain={chart.yDomain} allowDataOverflow tickFormatter={formatSmall} {...CHART_AXIS} />
                <ChartTooltip
                  isAnimationActive={false}
                  labelFormatter={(lr) => `Learning rate ${formatSmall(Number(lr))}`}
                  formatter={(value) => formatSmall(Number(value))}
                  contentStyle={CHART_TOOLTIP_STYLE}
                />
                <Line dataKey="loss" name="Loss" stroke="var(--series-1)" strokeWidth={1} strokeOpacity={0.35} dot={false} isAnimationActive={false} />
                <Line dataKey="smoothed" name="Smoothed loss" stroke="var(--series-1)" strokeWidth={1.75} dot={false} isAnimationActive={false} />
                {chart.divergedLr !== null && (
                  <ReferenceLine
                    x={chart.divergedLr}
                    stroke="var(--bad)"
                    strokeDasharray="4 3"
                    label={{ value: 'diverged', position: 'insideTopLeft', fontSize: 11, fill: 'var(--bad)' }}
                  />
                )}
                {chart.suggestion && (
                  <ReferenceLine
                    x={chart.suggestion.lr}
                    stroke="var(--good)"
                    label={{ value: formatSmall(chart.suggestion.lr), position: 'top', fontSize: 11, fill: 'var(--good)' }}
                  />
                )}
                {chart.suggestion && <ReferenceDot x={chart.suggestion.lr} y={chart.suggestion.loss} r={4} fill="var(--good)" stroke="var(--panel)" />}
              </LineChart>
            </ResponsiveContainer>
          </div>
          {result && <figcaption className="training-muted">{sweepSummary(result)}</figcaption>}
        </figure>
      )}
    </div>
  );
}
