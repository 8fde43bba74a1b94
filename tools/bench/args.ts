// `npm run bench -- [--backends webgpu,wasm,cpu] [--steps N] [--warmup N]`
import type { BackendName } from '../../src/kernels/backend';

export const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

export interface BenchArgs {
  backends: BackendName[];
  steps: number;
  warmup: number;
  help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]

Times training steps (forward, backward, AdamW) of the fixture model and the bundled model's shape at batch 16 ×
seq 32, AdamW alone, and a 512³ matMul, per backend, in headless Chromium. The studio's own kernels (WebGPU:
AdamW, reductions; wasm: matMul) are timed on and off, interleaved in one run; wasm runs on every core, then on
one thread; beside it, the same step in PyTorch on the CPU (/usr/bin/python3, tools/bench/torch_step.py).
Writes tools/bench/results/<date>-<backend>[-<n>-threads].json.

  --backends LIST  comma-separated, from ${BACKENDS.join(', ')} (default: all)
  --steps N        timed steps per model and kernel set, after the warmup (default 5)
  --warmup N       untimed steps first, at least 1 (default 2)
  --help           this text`;

export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

function count(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) {
    throw new BenchArgsError(`${flag} needs a whole number >= ${min}, got ${value ?? 'nothing'}`);
  }
  return n;
}

function backendList(value: string | undefined): BackendName[] {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new BenchArgsError(`--backends needs a list such as webgpu,wasm`);
  for (const name of names) {
    if (!BACKENDS.includes(name as BackendName)) {
      throw new BenchArgsError(`unknown backend "${name}" (known: ${BACKENDS.join(', ')})`);
    }
  }
  return [...new Set(names)] as BackendName[];
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { backends: [...BACKENDS], steps: 5, warmup: 2, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--backends':
        args.backends = backendList(value());
        break;
      case '--steps':
        args.steps = count(flag, value(), 1);
        break;
      case '--warmup':
        args.warmup = count(flag, value(), 1);
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new BenchArgsError(`unknown option "${argv[i]}"`);
    }
  }
  return args;
}
