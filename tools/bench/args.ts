// `npm run bench -- [--quick] [--config tiny,mini,base] [--backends webgpu,wasm,cpu] [--wasm LIST] [--steps N] [--warmup N] [--json FILE]`
import type { BackendName } from '../../src/kernels/backend';
import { CONFIG_NAMES } from './configs';
import type { BenchConfigName } from './protocol';

export const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** One wasm page: its threads (undefined: every core) and peer workers (undefined: as the studio trains). */
export interface WasmRun {
  threads?: number;
  peers?: number;
}

export interface BenchArgs {
  backends: BackendName[];
  configs: BenchConfigName[];
  steps: number;
  warmup: number;
  quick: boolean;
  /** Where to write the run's summary (summary.ts); null: only the per-backend files. */
  json: string | null;
  /** The wasm pages, in order; null: the studio's setting, every core alone, one thread alone. */
  wasm: WasmRun[] | null;
  help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]

Per config and backend, in headless Chromium, with synthetic weights at seq 128: training steps of the studio's
Trainer (tokens/s, kernels and WebGPU dispatches per step, peak live bytes, tensor counts), the same steps with
stock tfjs kernels interleaved in the same run (and, without --quick, with AdamW as tf ops), forward passes alone,
and the best of 512³ and 1024³ matMuls (on WebGPU also tfjs's own). Configs: tiny (the bundled model, batch 16),
mini (BERT-Mini's shape, batch 16) and base (bert-base's, batch 8, 1 warmup and at most 2 timed steps); on a
software WebGPU adapter (SwiftShader) mini runs at batch 4 and base at batch 2. wasm runs as the studio trains (its
threads and a peer worker per further core computing part of each batch), then on every core alone, then on one
thread alone, and the same steps run in PyTorch on the CPU (/usr/bin/python3, tools/bench/torch_step.py) after.
Writes tools/bench/results/<date>-<backend>[-<n>-threads[-<m>-peers]].json.

  --config LIST    comma-separated, from ${CONFIG_NAMES.join(', ')} (default: tiny,mini)
  --backends LIST  comma-separated, from ${BACKENDS.join(', ')} (default: all; with --quick webgpu,wasm)
  --steps N        timed steps per config and kernel set, after the warmup (default 5; with --quick 2)
  --warmup N       untimed steps first, at least 1 (default 2; with --quick 1)
  --quick          tiny and mini only, shipped kernels against stock tfjs only, few steps (~10 min on 2 cores)
  --wasm LIST      the wasm pages instead: comma-separated THREADS or THREADS+PEERS, e.g. 2+1,1+1,2,1
  --json FILE      also write the run's summary to FILE
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

function list<T extends string>(flag: string, value: string | undefined, known: readonly T[], what: string): T[] {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new BenchArgsError(`${flag} needs a list such as ${known.slice(0, 2).join(',')}`);
  for (const name of names) {
    if (!known.includes(name as T)) throw new BenchArgsError(`unknown ${what} "${name}" (known: ${known.join(', ')})`);
  }
  return [...new Set(names)] as T[];
}

function wasmRuns(value: string | undefined): WasmRun[] {
  const runs = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (runs.length === 0) throw new BenchArgsError('--wasm needs a list such as 2+1,2,1');
  return runs.map((run) => {
    const match = /^(\d+)(?:\+(\d+))?$/.exec(run);
    if (!match || Number(match[1]) < 1) throw new BenchArgsError(`--wasm takes THREADS or THREADS+PEERS, not "${run}"`);
    return { threads: Number(match[1]), peers: Number(match[2] ?? 0) };
  });
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const given: Partial<BenchArgs> = {};
  let quick = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--backends':
        given.backends = list(flag, value(), BACKENDS, 'backend');
        break;
      case '--config':
        given.configs = list(flag, value(), CONFIG_NAMES, 'config');
        break;
      case '--steps':
        given.steps = count(flag, value(), 1);
        break;
      case '--warmup':
        given.warmup = count(flag, value(), 1);
        break;
      case '--json': {
        const file = value();
        if (!file) throw new BenchArgsError('--json needs a file name');
        given.json = file;
        break;
      }
      case '--wasm':
        given.wasm = wasmRuns(value());
        break;
      case '--quick':
        quick = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new BenchArgsError(`unknown option "${argv[i]}"`);
    }
  }
  if (quick && given.configs?.includes('base')) throw new BenchArgsError('--quick runs tiny and mini only, not base');
  const defaults = quick
    ? { backends: ['webgpu', 'wasm'] as BackendName[], steps: 2, warmup: 1 }
    : { backends: [...BACKENDS], steps: 5, warmup: 2 };
  return { configs: ['tiny', 'mini'], json: null, wasm: null, ...defaults, ...given, quick, help };
}
