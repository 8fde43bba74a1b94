// Turning a page's measurements into the printed table, the fine-tune estimate and the results file name.
import type { BenchReport, KernelSet, TrainingRun } from './protocol';

/** The fine-tune the estimate is for: 3 epochs over 2,000 sentences of ≤ 32 tokens at batch 16 (no evaluation). */
export const FINE_TUNE = { sentences: 2000, epochs: 3, batchSize: 16 } as const;

export interface FineTuneEstimate {
  steps: number;
  /** The default model's median step time it is based on. */
  stepMs: number;
  minutes: number;
}

/** A run's kernels in a table cell: AdamW form + reduction form (+ matMul form on wasm). */
export function kernelLabel(kernels: KernelSet): string {
  return `${kernels.adamw}+${kernels.reductions}${kernels.matmul ? `+${kernels.matmul}-matmul` : ''}`;
}

/** The run with the kernels the studio uses on this backend: the first of a model's runs (the page's order). */
function shipped(report: BenchReport, model: TrainingRun['model']): TrainingRun | undefined {
  return report.training.find((run) => run.model === model);
}

/** The bundled model's median step with the kernels the studio ships on this backend. */
export function defaultStepMs(report: BenchReport): number | undefined {
  return shipped(report, 'default')?.medianMs;
}

export function estimateFineTune(report: BenchReport): FineTuneEstimate | null {
  const run = shipped(report, 'default');
  if (!run) return null;
  const steps = FINE_TUNE.epochs * Math.ceil(FINE_TUNE.sentences / FINE_TUNE.batchSize);
  return { steps, stepMs: run.medianMs, minutes: (steps * run.medianMs) / 60_000 };
}

/** "wasm 2 threads", or the backend's name where threads do not apply. */
export function backendLabel(backend: string, threads: number | null): string {
  return threads === null ? backend : `${backend} ${threads} ${threads === 1 ? 'thread' : 'threads'}`;
}

/** tools/bench/results/<YYYY-MM-DD>-<backend>[-<n>-thread(s)].json, relative to the benchmark folder. */
export function resultFileName(date: Date, backend: string, threads: number | null = null): string {
  return `results/${date.toISOString().slice(0, 10)}-${backendLabel(backend, threads).replaceAll(' ', '-')}.json`;
}

/**
 * wasm on every core against wasm on one, both timed in this run: the default model's shipped step, one
 * thread's median ÷ every core's. Null unless both were measured.
 */
export function threadSpeedup(reports: readonly BenchReport[]): { threads: number; speedup: number } | null {
  const wasm = reports.filter((report) => report.backend === 'wasm' && report.threads !== null);
  const one = wasm.find((report) => report.threads === 1);
  const many = wasm.find((report) => report.threads! > 1);
  const [oneMs, manyMs] = [one && defaultStepMs(one), many && defaultStepMs(many)];
  return oneMs && manyMs ? { threads: many!.threads!, speedup: oneMs / manyMs } : null;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fixed = (x: number | null, digits = 0) => (x === null ? '-' : x.toFixed(digits));

export function formatReport(report: BenchReport): string {
  const { request } = report;
  const optimizerMs = (run: TrainingRun) =>
    report.optimizer.find((o) => o.model === run.model && o.adamw === run.kernels.adamw)?.medianMs ?? null;
  const rows = report.training.map((run) => [
    `${run.model} (h${run.shape.hidden} L${run.shape.layers} v${run.shape.vocab} s${run.shape.seqLen})`,
    kernelLabel(run.kernels),
    fixed(run.medianMs),
    `${fixed(Math.min(...run.stepMs))}-${fixed(Math.max(...run.stepMs))}`,
    fixed(run.kernelsPerStep),
    fixed(run.dispatchesPerStep),
    fixed(optimizerMs(run), 1),
  ]);
  const estimate = estimateFineTune(report);
  return [
    `${backendLabel(report.backend, report.threads)}${report.adapter ? ` (${report.adapter})` : ''}: matMul ${report.matmul.size}³ ` +
      `${report.matmul.gflops.toFixed(2)} GFLOP/s; batch ${request.batchSize}, ` +
      `median of ${request.steps} steps after ${request.warmup} warmup`,
    table(['model', 'kernels', 'step ms', 'range', 'kernels/step', 'dispatches/step', 'AdamW alone ms'], rows),
    estimate
      ? `estimated ${FINE_TUNE.epochs}-epoch fine-tune of ${FINE_TUNE.sentences} sentences (default model, ` +
        `${estimate.steps} steps): ${estimate.minutes.toFixed(1)} min`
      : '',
  ].join('\n');
}
