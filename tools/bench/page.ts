// The benchmark's page: measures one backend per load (the Node side reloads it between backends), and checks
// the fused kernels against their tf-ops reference for the e2e tests.
import { isSoftwareAdapter, webgpuAdapterInfo } from '../../src/kernels/adapter';
import { initBackend, type BackendName } from '../../src/kernels/backend';
import { peerCount } from '../../src/worker/peers';
import { compareAdamW } from './adamwCheck';
import { compareReductions } from './reductionCheck';
import { benchConfig, benchMatmul } from './measure';
import { kernelSets, planConfig } from './plan';
import type { AdamWComparison, BenchReport, BenchRequest, ConfigRun, MatmulRun, ReductionComparison } from './protocol';
import { backendLabel, counted, formatStep } from './report';

/** The matMul sizes timed; the best of them is the backend's peak that efficiency is measured against. */
const MATMUL_SIZES = [512, 1024];

async function run(request: BenchRequest): Promise<BenchReport> {
  const info = await initBackend(request.backend, { threads: request.threads });
  const peers = request.peers ?? peerCount(request.backend, navigator.hardwareConcurrency);
  const log = (line: string) => void window.benchLog(`[${backendLabel(request.backend, info.threads ?? null, peers)}] ${line}`);
  const adapter = info.adapter ?? (await webgpuAdapterInfo());
  const softwareAdapter = isSoftwareAdapter(adapter ?? undefined);
  const sets = kernelSets(request.backend, request.quick);

  const matmul: MatmulRun[] = [];
  // Stock tfjs's matMul differs from the studio's on WebGPU only (wasm's plain matMul leaves untransposed operands alone).
  const matmulKernels: MatmulRun['kernels'][] = request.backend === 'webgpu' ? ['shipped', 'stock'] : ['shipped'];
  for (const size of MATMUL_SIZES) {
    for (const kernels of matmulKernels) {
      const result = await benchMatmul(size, Math.max(request.steps, 3), kernels);
      log(`matMul ${size}³ (${kernels}): ${result.gflops.toFixed(2)} GFLOP/s`);
      matmul.push(result);
    }
  }
  const configs: ConfigRun[] = [];
  for (const name of request.configs) {
    const plan = planConfig(name, request.backend, softwareAdapter, request);
    log(`${name}: batch ${plan.batchSize} × ${plan.seqLen}, ${counted(plan.steps, 'step')} per kernel set after ${plan.warmup} warmup`);
    const result = await benchConfig(plan, sets, peers, (line) => log(`${name} ${line}`));
    for (const training of result.training) log(`${name} ${formatStep(result, training)}`);
    log(`${name} inference: ${result.inferenceMedianMs.toFixed(0)} ms per batch`);
    configs.push(result);
  }
  return {
    backend: request.backend,
    adapter,
    softwareAdapter,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    threads: info.threads ?? null,
    peers,
    request,
    matmul,
    configs,
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
