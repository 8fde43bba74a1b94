// The benchmark's page: measures one backend per load (the Node side reloads it between backends), and checks
// the fused kernels against their tf-ops reference for the e2e tests.
import { isSoftwareAdapter } from '../../src/kernels/adapter';
import { initBackend, type BackendName } from '../../src/kernels/backend';
import { compareAdamW } from './adamwCheck';
import { compareReductions } from './reductionCheck';
import { benchMatmul, benchOptimizer, benchTraining } from './measure';
import type {
  AdamWComparison,
  AdamWForm,
  BenchModelName,
  BenchReport,
  BenchRequest,
  KernelSet,
  OptimizerRun,
  ReductionComparison,
  TrainingRun,
} from './protocol';
import { backendLabel, kernelLabel } from './report';

/** mini only off SwiftShader: there its step would take minutes. */
const models = (softwareWebGPU: boolean): BenchModelName[] => (softwareWebGPU ? ['fixture', 'default'] : ['fixture', 'default', 'mini']);
const MATMUL_SIZE = 512;

async function run(request: BenchRequest): Promise<BenchReport> {
  const info = await initBackend(request.backend, { threads: request.threads });
  const log = (line: string) => void window.benchLog(`[${backendLabel(request.backend, info.threads ?? null)}] ${line}`);
  const webgpu = request.backend === 'webgpu';
  // The shipped set first, then each of the studio's kernels switched off in turn (stock tfjs last).
  const kernelSets: KernelSet[] = webgpu
    ? [{ adamw: 'fused', reductions: 'loop' }, { adamw: 'tf-ops', reductions: 'loop' }, { adamw: 'tf-ops', reductions: 'tfjs' }]
    : request.backend === 'wasm'
      ? [{ adamw: 'fused', reductions: 'tfjs', matmul: 'plain' }, { adamw: 'tf-ops', reductions: 'tfjs', matmul: 'tfjs' }]
      : [{ adamw: 'tf-ops', reductions: 'tfjs' }];
  const adamwForms: AdamWForm[] = request.backend === 'cpu' ? ['tf-ops'] : ['fused', 'tf-ops'];

  const matmul = await benchMatmul(MATMUL_SIZE, request.steps);
  log(`matmul ${MATMUL_SIZE}³: ${matmul.gflops.toFixed(2)} GFLOP/s`);
  const training: TrainingRun[] = [];
  const optimizer: OptimizerRun[] = [];
  for (const model of models(webgpu && isSoftwareAdapter(info.adapter))) {
    for (const run of await benchTraining(model, kernelSets, request)) {
      log(`${model} training step (${kernelLabel(run.kernels)}): ${run.medianMs.toFixed(0)} ms`);
      training.push(run);
    }
    for (const run of await benchOptimizer(model, adamwForms, request)) {
      log(`${model} AdamW alone (${run.adamw}): ${run.medianMs.toFixed(1)} ms`);
      optimizer.push(run);
    }
  }
  return {
    backend: request.backend,
    adapter: info.adapter ?? null,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    threads: info.threads ?? null,
    request,
    matmul,
    training,
    optimizer,
  };
}

async function checkAdamW(backend: BackendName, steps: number): Promise<AdamWComparison> {
  await initBackend(backend);
  return compareAdamW(steps);
}

async function checkReductions(): Promise<ReductionComparison> {
  await initBackend('webgpu');
  return compareReductions();
}

const bench = { run, checkAdamW, checkReductions };

declare global {
  interface Window {
    bench: typeof bench;
    benchLog(line: string): Promise<void>;
  }
}

window.bench = bench;
