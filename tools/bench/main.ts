// `npm run bench`: times training steps of the studio's engine per backend in headless Chromium (see args.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { BackendName } from '../../src/kernels/backend';
import { launchStudioBrowser } from '../studioBrowser';
import { BENCH_USAGE, parseBenchArgs, type BenchArgs } from './args';
import type { BenchReport, BenchRequest } from './protocol';
import { defaultStepMs, formatReport, resultFileName, threadSpeedup } from './report';

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  const browser = await launchStudioBrowser();
  let failed = false;
  const reports: BenchReport[] = [];
  // wasm twice, on every core (the studio's setting) and on one thread, so the threads' gain is measured here.
  const runs = args.backends.flatMap((backend): { backend: BackendName; threads?: number }[] =>
    backend === 'wasm' ? [{ backend }, { backend, threads: 1 }] : [{ backend }]);
  try {
    for (const { backend, threads } of runs) {
      // A fresh page per backend: no tensors, pooled buffers or compiled shaders carry over.
      const page = await browser.open('tools/bench/page.html', {
        ready: 'bench',
        expose: { benchLog: (line: string) => console.log(line) },
      });
      const request: BenchRequest = { backend, threads, steps: args.steps, warmup: args.warmup, batchSize: 16, seqLen: 32 };
      try {
        const report: BenchReport = await page.evaluate((req) => window.bench.run(req), request);
        reports.push(report);
        const file = join(import.meta.dirname, resultFileName(new Date(), backend, report.threads));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
        console.log(`\n${formatReport(report)}\nwrote ${relative(process.cwd(), file)}\n`);
      } catch (err) {
        failed = true;
        console.error(`${backend}: ${(err as Error).message}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  const gain = threadSpeedup(reports);
  if (gain) console.log(`wasm on ${gain.threads} threads: ${gain.speedup.toFixed(2)}× the one-thread step (default model)`);
  for (const report of reports.filter((r) => r.backend === 'wasm')) {
    const torch = torchStep(report.threads ?? 1, report.request);
    const wasmMs = defaultStepMs(report);
    if (!torch || !wasmMs) continue;
    console.log(
      `PyTorch CPU (torch ${torch.torch}, ${torch.threads} threads): default-model step ${torch.median_step_ms.toFixed(1)} ms, ` +
        `matMul 512³ ${torch.matmul_gflops.toFixed(1)} GFLOP/s; wasm on ${report.threads} threads: step ${(wasmMs / torch.median_step_ms).toFixed(1)}× ` +
        `PyTorch's, matMul ${(torch.matmul_gflops / report.matmul.gflops).toFixed(1)}× slower`,
    );
  }
  return failed ? 1 : 0;
}

interface TorchStep {
  torch: string;
  threads: number;
  median_step_ms: number;
  matmul_gflops: number;
}

/** tools/bench/torch_step.py on Debian's PyTorch, the same step and threads; null where it cannot run. */
function torchStep(threads: number, request: BenchRequest): TorchStep | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const result = spawnSync(python, [
    join(import.meta.dirname, 'torch_step.py'), '--config', 'public/models/bert-tiny-en/config.json', '--threads', String(threads),
    '--batch-size', String(request.batchSize), '--seq-len', String(request.seqLen), '--steps', String(Math.max(request.steps, 10)),
  ], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`PyTorch reference step failed: ${result.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  return JSON.parse(result.stdout) as TorchStep;
}

main().then((code) => process.exit(code));
