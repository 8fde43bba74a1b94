// The run's summary (`--json FILE`): one entry per config and backend (wasm once per thread count), the figures
// derived from the pages' reports and the PyTorch reference. Snake case: it is read outside this code base.
import { isShipped, isStock } from './plan';
import type { BenchConfigName, BenchReport, ConfigRun, MatmulRun, TrainingRun } from './protocol';

/** What tools/bench/torch_step.py prints. */
export interface TorchStep {
  torch: string;
  threads: number;
  batch_size: number;
  seq_len: number;
  step_ms: number[];
  median_step_ms: number;
  matmul_gflops: number;
}

/** PyTorch's steps by config and threads (torchKey). */
export type TorchSteps = ReadonlyMap<string, TorchStep>;

export const torchKey = (config: BenchConfigName, threads: number): string => `${config}/${threads}`;

export interface ConfigSummary {
  name: BenchConfigName;
  backend: string;
  /** wasm's threads; null on other backends. */
  threads: number | null;
  /** Peer workers (one thread each) computing part of every batch. */
  peers: number;
  batch: number;
  seq_len: number;
  warmup: number;
  steps: number;
  /** With the shipped kernels: batch × seq_len tokens over the median step. */
  tokens_per_s: number;
  examples_per_s: number;
  /** Stock tfjs kernels, interleaved with the shipped ones in the same run; null where no studio kernel applies (cpu). */
  baseline_tokens_per_s: number | null;
  speedup: number | null;
  /** Median forward pass of one batch, no gradient tape. */
  inference_ms: number;
  gradient_checkpointing: boolean;
  /** flops.ts's count of a step over the shipped median step. */
  step_gflops: number;
  /** The best matMul of the same page with the shipped kernels. */
  matmul_peak_gflops: number;
  /** WebGPU: the best with tfjs's own matMul; null elsewhere. */
  matmul_stock_gflops: number | null;
  matmul_speedup: number | null;
  /** step_gflops ÷ matmul_peak_gflops. */
  efficiency: number;
  kernels_per_step: number;
  baseline_kernels_per_step: number | null;
  dispatches_per_step: number | null;
  baseline_dispatches_per_step: number | null;
  /** The most live tensor bytes in a timed step, shipped kernels. */
  peak_bytes: number;
  baseline_peak_bytes: number | null;
  wasm_heap_bytes: number | null;
  num_tensors_start: number;
  num_tensors_end: number;
  /** wasm on several threads or with peers: its tokens/s ÷ one thread's alone, same config; null elsewhere. */
  thread_speedup: number | null;
  /** wasm: PyTorch's CPU step, same model and batch, on as many threads as wasm's and its peers', and the wasm step ÷ it; null elsewhere. */
  torch_step_ms: number | null;
  torch_ratio: number | null;
}

export interface BenchSummary {
  adapter: {
    description: string | null;
    software: boolean;
    user_agent: string;
    hardware_concurrency: number;
  };
  configs: ConfigSummary[];
}

const shippedRun = (run: ConfigRun): TrainingRun => run.training.find((t) => isShipped(t.kernels)) ?? run.training[0];
/** The stock-tfjs run, unless the shipped set is all there is (then both are the same kernels). */
const stockRun = (run: ConfigRun): TrainingRun | undefined => run.training.find((t) => isStock(t.kernels) && !isShipped(t.kernels));

export const tokensPerSecond = (run: ConfigRun, training: TrainingRun): number =>
  (run.plan.batchSize * run.plan.seqLen) / (training.medianMs / 1000);

function bestGflops(matmul: readonly MatmulRun[], kernels: MatmulRun['kernels']): number | null {
  const runs = matmul.filter((m) => m.kernels === kernels);
  return runs.length === 0 ? null : Math.max(...runs.map((m) => m.gflops));
}

function entry(report: BenchReport, run: ConfigRun, oneThread: ConfigRun | undefined, torch: TorchStep | undefined): ConfigSummary {
  const shipped = shippedRun(run);
  const stock = stockRun(run);
  const tokens = tokensPerSecond(run, shipped);
  const stepGflops = run.stepFlops / (shipped.medianMs / 1000) / 1e9;
  const matmulPeak = bestGflops(report.matmul, 'shipped')!;
  const matmulStock = bestGflops(report.matmul, 'stock');
  const threaded = report.threads !== null && (report.threads > 1 || report.peers > 0);
  return {
    name: run.plan.config,
    backend: report.backend,
    threads: report.threads,
    peers: report.peers,
    batch: run.plan.batchSize,
    seq_len: run.plan.seqLen,
    warmup: run.plan.warmup,
    steps: run.plan.steps,
    tokens_per_s: tokens,
    examples_per_s: run.plan.batchSize / (shipped.medianMs / 1000),
    baseline_tokens_per_s: stock ? tokensPerSecond(run, stock) : null,
    speedup: stock ? stock.medianMs / shipped.medianMs : null,
    inference_ms: run.inferenceMedianMs,
    gradient_checkpointing: run.gradientCheckpointing,
    step_gflops: stepGflops,
    matmul_peak_gflops: matmulPeak,
    matmul_stock_gflops: matmulStock,
    matmul_speedup: matmulStock === null ? null : matmulPeak / matmulStock,
    efficiency: stepGflops / matmulPeak,
    kernels_per_step: shipped.kernelsPerStep,
    baseline_kernels_per_step: stock?.kernelsPerStep ?? null,
    dispatches_per_step: shipped.dispatchesPerStep,
    baseline_dispatches_per_step: stock?.dispatchesPerStep ?? null,
    peak_bytes: shipped.peakBytes,
    baseline_peak_bytes: stock?.peakBytes ?? null,
    wasm_heap_bytes: run.wasmHeapBytes,
    num_tensors_start: run.numTensors.start,
    num_tensors_end: run.numTensors.end,
    thread_speedup: threaded && oneThread ? tokens / tokensPerSecond(oneThread, shippedRun(oneThread)) : null,
    torch_step_ms: torch?.median_step_ms ?? null,
    torch_ratio: torch ? shipped.medianMs / torch.median_step_ms : null,
  };
}

/** The threads a wasm page computed a step on: its own and one per peer. */
export const cpuThreads = (report: Pick<BenchReport, 'threads' | 'peers'>): number => report.threads! + report.peers;

/** The summary of every page's report, in the order they ran; `torch` holds PyTorch's step per wasm config and threads. */
export function summarize(reports: readonly BenchReport[], torch: TorchSteps): BenchSummary {
  const first = reports.find((r) => r.adapter !== null) ?? reports[0];
  const oneThreadRun = (name: BenchConfigName) =>
    reports.find((r) => r.backend === 'wasm' && r.threads === 1 && r.peers === 0)?.configs.find((c) => c.plan.config === name);
  return {
    adapter: {
      description: first?.adapter ?? null,
      software: first?.softwareAdapter ?? false,
      user_agent: first?.userAgent ?? '',
      hardware_concurrency: first?.hardwareConcurrency ?? 0,
    },
    configs: reports.flatMap((report) =>
      report.configs.map((run) => {
        const steps = report.backend === 'wasm' ? torch.get(torchKey(run.plan.config, cpuThreads(report))) : undefined;
        return entry(report, run, oneThreadRun(run.plan.config), steps);
      }),
    ),
  };
}
