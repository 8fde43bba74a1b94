// Turning a page's measurements and the run's summary into printed tables, and the results file name.
import type { BenchReport, ConfigRun, TrainingRun } from './protocol';
import { tokensPerSecond, type BenchSummary } from './summary';

/** "wasm 2 threads", "wasm 1 thread + 1 peer", or the backend's name where threads do not apply. */
export function backendLabel(backend: string, threads: number | null, peers = 0): string {
  if (threads === null) return backend;
  return `${backend} ${counted(threads, 'thread')}${peers > 0 ? ` + ${counted(peers, 'peer')}` : ''}`;
}

/** tools/bench/results/<YYYY-MM-DD>-<backend>[-<n>-thread(s)].json, relative to the benchmark folder. */
export function resultFileName(date: Date, backend: string, threads: number | null = null, peers = 0): string {
  return `results/${date.toISOString().slice(0, 10)}-${backendLabel(backend, threads, peers).replaceAll(' + ', '-').replaceAll(' ', '-')}.json`;
}

/** "1 step", "2 steps". */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** One kernel set's step of a config, for the page's progress lines. */
export function formatStep(run: ConfigRun, training: TrainingRun): string {
  return `training step (${training.kernels.name}): ${training.medianMs.toFixed(0)} ms, ${tokensPerSecond(run, training).toFixed(0)} tokens/s`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fixed = (x: number | null, digits = 0) => (x === null ? '-' : x.toFixed(digits));
const mib = (bytes: number | null) => (bytes === null ? '-' : (bytes / 2 ** 20).toFixed(0));

/** A page's report: its matMuls, then every config's steps per kernel set and what was measured once per config. */
export function formatReport(report: BenchReport): string {
  const matmul = report.matmul.map((m) => `${m.size}³ ${m.kernels} ${m.gflops.toFixed(2)}`).join(', ');
  const rows = report.configs.flatMap((run) =>
    run.training.map((t) => [
      `${run.plan.config} (L${run.shape.layers} h${run.shape.hidden} v${run.shape.vocab}) ${run.plan.batchSize}×${run.plan.seqLen}`,
      t.kernels.name,
      fixed(t.medianMs),
      `${fixed(Math.min(...t.stepMs))}-${fixed(Math.max(...t.stepMs))}`,
      fixed(tokensPerSecond(run, t)),
      fixed(t.kernelsPerStep),
      fixed(t.dispatchesPerStep),
      mib(t.peakBytes),
    ]),
  );
  const perConfig = report.configs.map(
    (run) =>
      `${run.plan.config}: ${counted(run.plan.steps, 'step')} per set after ${run.plan.warmup} warmup; inference ${run.inferenceMedianMs.toFixed(0)} ms ` +
      `per batch; gradient checkpointing ${run.gradientCheckpointing ? 'on' : 'off'}; tensors ${run.numTensors.start} → ${run.numTensors.end}` +
      (run.wasmHeapBytes === null ? '' : `; wasm heap ${mib(run.wasmHeapBytes)} MiB`),
  );
  return [
    `${backendLabel(report.backend, report.threads, report.peers)}${report.adapter ? ` (adapter: ${report.adapter})` : ''}: matMul GFLOP/s ${matmul}`,
    table(['config', 'kernels', 'step ms', 'range', 'tokens/s', 'kernels/step', 'dispatches/step', 'peak MiB'], rows),
    ...perConfig,
  ].join('\n');
}

/** The summary as one table, a row per config and backend, and what PyTorch's step took beside wasm's. */
export function formatSummary(summary: BenchSummary): string {
  const rows = summary.configs.map((c) => [
    `${c.name} ${backendLabel(c.backend, c.threads, c.peers)}`,
    `${c.batch}×${c.seq_len}`,
    fixed(c.tokens_per_s),
    fixed(c.speedup, 2),
    fixed(c.inference_ms),
    fixed(c.step_gflops, 2),
    fixed(c.matmul_peak_gflops, 2),
    fixed(c.matmul_speedup, 2),
    fixed(c.efficiency, 2),
    c.dispatches_per_step === null ? '-' : `${fixed(c.dispatches_per_step)}/${fixed(c.baseline_dispatches_per_step)}`,
    mib(c.peak_bytes),
    c.num_tensors_start === c.num_tensors_end ? 'flat' : `${c.num_tensors_start}→${c.num_tensors_end}`,
    fixed(c.thread_speedup, 2),
    fixed(c.torch_ratio, 2),
  ]);
  return [
    `adapter: ${summary.adapter.description ?? 'none'}${summary.adapter.software ? ' (software)' : ''}; ` +
      `${summary.adapter.hardware_concurrency} logical cores`,
    table(
      ['config', 'batch', 'tokens/s', '× stock', 'infer ms', 'step GFLOP/s', 'matMul GFLOP/s', 'matMul × stock', 'efficiency',
        'dispatches (stock)', 'peak MiB', 'tensors', '× 1 thread alone', '÷ PyTorch'],
      rows,
    ),
  ].join('\n');
}
