import { useId, useMemo, useState } from 'react';
import { useStudio, type StudioState } from '../../store';
import type { EvalMetrics } from '../../worker/protocol';
import { formatBytes, formatCount, formatDuration, formatSmall, Panel, ProgressBar, Slider } from '../common';
import { isActive } from '../training/run';
import { labelNumber } from './axis';
import { baselineLines } from './baselineLines';
import { LineChartCard, type LineSpec } from './LineChartCard';
import { downsample, etaSeconds, evalMetricSeries, lossSeries, lrGroups, stepSeries, type Point, type XAxisMode } from './series';
import { useThrottledStudio } from './useThrottledStudio';
import './charts.css';

/** Most points a chart draws; longer runs are strided (validation points are always kept). */
const MAX_POINTS = 400;
/** Redraw at most twice a second. */
const REDRAW_MS = 500;

const selectRun = (s: StudioState) => ({ steps: s.steps, evals: s.evals, stepTimes: s.stepTimes, runState: s.runState });
/** The finished baseline only: its progress reports would otherwise redraw every chart. */
const selectBaseline = (s: StudioState) => (s.baseline?.state === 'done' ? s.baseline.report : null);

const SHARE_BOUNDS: [number, number] = [0, 1];
const color = (n: number): string => `var(--series-${n})`;
const formatLoss = (value: number): string => formatSmall(value);
const formatShare = (value: number): string => `${(value * 100).toFixed(1)}%`;
/** Speeds on SwiftShader are a few examples a second: keep a decimal there so ticks stay distinct. */
const formatRate = (value: number): string => (Math.abs(value) < 10 ? String(Number(value.toFixed(1))) : formatCount(value));
const formatMb = (value: number): string => `${Number(value.toPrecision(3))} MB`;
const shareTick = (value: number, digits: number): string => `${labelNumber(value * 100, digits)}%`;
const mbTick = (value: number, digits: number): string => `${labelNumber(value, digits)} MB`;

/** Live curves of the run: loss, validation metrics, learning rates, gradient norm, throughput, memory. */
export function ChartsPanel() {
  const { steps, evals, stepTimes, runState } = useThrottledStudio(selectRun, REDRAW_MS);
  const baseline = useStudio(selectBaseline);
  const [mode, setMode] = useState<XAxisMode>('step');
  const [logScale, setLogScale] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const logId = useId();

  const loss = useMemo(() => downsample(lossSeries(steps, evals, mode, smoothing), MAX_POINTS, (p) => p.valLoss !== undefined), [steps, evals, mode, smoothing]);
  const metrics = useMemo(() => evalMetricSeries(steps, evals, mode), [steps, evals, mode]);
  const perStep = useMemo(() => {
    const series = (pick: Parameters<typeof stepSeries>[2]): Point[] => downsample(stepSeries(steps, mode, pick), MAX_POINTS);
    return {
      lr: series((s) => s.lrs),
      gradNorm: series((s) => ({ gradNorm: s.gradNorm })),
      throughput: series((s) => ({ examples: s.examplesPerSec, tokens: s.tokensPerSec })),
      memory: series((s) => ({ tensors: s.numTensors, mb: s.numBytes / 2 ** 20 })),
    };
  }, [steps, mode]);

  const latest = steps.at(-1);
  const controls = (
    <div className="charts-controls">
      <div role="group" aria-label="X axis" className="charts-toggle">
        {(['step', 'epoch'] as const).map((value) => (
          <button key={value} type="button" className="small" aria-pressed={mode === value} onClick={() => setMode(value)}>
            {value === 'step' ? 'Steps' : 'Epochs'}
          </button>
        ))}
      </div>
      <label htmlFor={logId} className="charts-check">
        <input id={logId} type="checkbox" checked={logScale} onChange={(event) => setLogScale(event.target.checked)} />
        Log-scale loss
      </label>
    </div>
  );

  if (!latest) {
    return (
      <Panel title="Training curves" subtitle="Live loss, metrics, learning rates, gradients, speed and memory." actions={controls}>
        <p className="charts-empty">{runState === 'training' ? 'Waiting for the first step…' : 'Start training to see live curves here.'}</p>
      </Panel>
    );
  }

  const first = steps[0];
  const [xStart, xEnd] = mode === 'step' ? [first.step, latest.step] : [first.epoch, latest.epoch];
  // One step gives no width; widen it so the axis still has a scale.
  const xDomain: [number, number] = [xStart, xEnd > xStart ? xEnd : xStart + (mode === 'step' ? 1 : 0.01)];
  const latestEval = evals.at(-1);
  const eta = etaSeconds(stepTimes, latest.step, latest.totalSteps);
  const smoothedNow = loss.findLast((p) => p.smoothed !== undefined)?.smoothed;
  const lrLines: LineSpec[] = lrGroups(latest).map((group, i) => ({ ...group, color: color(i + 1) }));
  const metricLines: LineSpec[] = [
    ...metrics.keys.map((key, i) => ({ ...key, color: color(i + 3), sparse: true })),
    ...(metrics.secondary ? [{ ...metrics.secondary, color: color(5), sparse: true, axis: 'right' as const }] : []),
  ];
  const shares = metrics.keys[0]?.key !== 'mse';
  const metricFormat = shares ? formatShare : formatLoss;
  const references = baselineLines(baseline, metrics.keys, metricFormat).map((line) => ({
    ...line,
    color: metricLines.find((l) => l.key === line.key)?.color ?? color(3),
  }));

  return (
    <Panel title="Training curves" subtitle="Live loss, metrics, learning rates, gradients, speed and memory." actions={controls}>
      <div className="charts-progress">
        <ProgressBar
          label="Training progress"
          value={latest.step / latest.totalSteps}
          text={`Step ${latest.step} of ${latest.totalSteps} · epoch ${latest.epoch.toFixed(2)}${isActive(runState) && eta !== null && latest.step < latest.totalSteps ? ` · about ${formatDuration(eta)} left` : ''}`}
        />
      </div>
      <Slider label="Smoothing" value={smoothing} min={0} max={0.99} step={0.01} onChange={setSmoothing} format={(value) => value.toFixed(2)} help="Weight of the exponential moving average drawn over the raw training loss (TensorBoard's smoothing)." />
      <div className="charts-grid">
        <LineChartCard
          title="Loss"
          summary={`train ${formatLoss(latest.loss)}${smoothedNow !== undefined ? ` (smoothed ${formatLoss(smoothedNow)})` : ''}${latestEval ? ` · validation ${formatLoss(latestEval.loss)}` : ''}`}
          points={loss}
          mode={mode}
          xDomain={xDomain}
          logScale={logScale}
          format={formatLoss}
          lines={[
            { key: 'loss', label: 'Training (raw)', color: color(1), faint: true },
            { key: 'smoothed', label: 'Training (smoothed)', color: color(1) },
            { key: 'valLoss', label: 'Validation', color: color(2), sparse: true },
          ]}
        />
        <LineChartCard
          title={metrics.keys.map((k) => k.label).concat(metrics.secondary ? [metrics.secondary.label] : []).join(' / ') || 'Validation metrics'}
          summary={[latestEval ? describeEval(latestEval) : 'after the first evaluation', ...references.map((r) => r.label)].join(' · ')}
          points={metrics.points}
          mode={mode}
          xDomain={xDomain}
          format={metricFormat}
          formatRight={formatCount}
          tickLabel={shares ? shareTick : undefined}
          bounds={shares ? SHARE_BOUNDS : null}
          lines={metricLines}
          references={references}
        />
        <LineChartCard
          title="Learning rate by group"
          summary={lrLines.map((line) => `${line.label} ${formatSmall(latest.lrs[line.key as keyof typeof latest.lrs] ?? Number.NaN)}`).join(' · ')}
          points={perStep.lr}
          mode={mode}
          xDomain={xDomain}
          format={formatSmall}
          lines={lrLines}
        />
        <LineChartCard
          title="Gradient norm"
          summary={`${formatSmall(latest.gradNorm)} before clipping`}
          points={perStep.gradNorm}
          mode={mode}
          xDomain={xDomain}
          format={formatSmall}
          lines={[{ key: 'gradNorm', label: 'Global norm', color: color(4) }]}
        />
        <LineChartCard
          title="Throughput"
          summary={`${formatRate(latest.examplesPerSec)} examples/s · ${formatRate(latest.tokensPerSec)} tokens/s`}
          points={perStep.throughput}
          mode={mode}
          xDomain={xDomain}
          format={formatRate}
          formatRight={formatRate}
          lines={[
            { key: 'examples', label: 'Examples/s', color: color(3) },
            { key: 'tokens', label: 'Tokens/s', color: color(6), axis: 'right' },
          ]}
        />
        <LineChartCard
          title="Memory"
          summary={`${formatCount(latest.numTensors)} tensors · ${formatBytes(latest.numBytes)}`}
          points={perStep.memory}
          mode={mode}
          xDomain={xDomain}
          format={formatCount}
          formatRight={formatMb}
          tickLabelRight={mbTick}
          lines={[
            { key: 'tensors', label: 'Tensors', color: color(4) },
            { key: 'mb', label: 'MB', color: color(2), axis: 'right' },
          ]}
        />
      </div>
    </Panel>
  );
}

function describeEval(evaluation: EvalMetrics): string {
  if (evaluation.classification) {
    return `accuracy ${formatShare(evaluation.classification.accuracy)} · macro-F1 ${formatShare(evaluation.classification.macroF1)}`;
  }
  if (evaluation.answers) {
    return `exact match ${formatShare(evaluation.answers.exactMatch)} · F1 ${formatShare(evaluation.answers.f1)}`;
  }
  if (evaluation.maskedAccuracy !== undefined) {
    return `masked accuracy ${formatShare(evaluation.maskedAccuracy)} · perplexity ${formatCount(evaluation.perplexity ?? Number.NaN)}`;
  }
  return evaluation.mse !== undefined ? `MSE ${formatLoss(evaluation.mse)}` : `loss ${formatLoss(evaluation.loss)}`;
}
