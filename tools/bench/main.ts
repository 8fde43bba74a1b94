// `npm run bench`: times the studio's engine per config and backend in headless Chromium (see args.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { BackendName } from '../../src/kernels/backend';
import { launchStudioBrowser } from '../studioBrowser';
import { BENCH_USAGE, parseBenchArgs, type BenchArgs, type WasmRun } from './args';
import { CONFIG_SOURCES } from './configs';
import type { BenchReport, BenchRequest, ConfigPlan } from './protocol';
import { counted, formatReport, formatSummary, resultFileName } from './report';
import { cpuThreads, summarize, torchKey, type TorchStep } from './summary';

const REPOSITORY = resolve(import.meta.dirname, '../..');


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
  const { reports, failed } = await measureInBrowser(args);
  // After the browser has closed, so that PyTorch has the cores to itself as each page had.
  const torch = new Map<string, TorchStep>();
  for (const report of reports.filter((r) => r.backend === 'wasm')) {
    for (const run of report.configs) {
      const threads = cpuThreads(report);
      if (torch.has(torchKey(run.plan.config, threads))) continue;
      const step = torchStep(threads, run.plan);
      if (step) torch.set(torchKey(run.plan.config, threads), step);
    }
  }
  const summary = summarize(reports, torch);
  console.log(`\n${formatSummary(summary)}`);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
  return failed ? 1 : 0;
}

async function measureInBrowser(args: BenchArgs): Promise<{ reports: BenchReport[]; failed: boolean }> {
  const browser = await launchStudioBrowser();
  let failed = false;
  const reports: BenchReport[] = [];
  // wasm three times unless told otherwise: as the studio trains (the engine's threads and its peers), on every
  // core alone, and on one thread alone, so what threads and peers gain is measured here.
  const wasm: WasmRun[] = args.wasm ?? [{}, { peers: 0 }, { threads: 1, peers: 0 }];
  const runs = args.backends.flatMap((backend): ({ backend: BackendName } & WasmRun)[] =>
    backend === 'wasm' ? wasm.map((run) => ({ backend, ...run })) : [{ backend }]);
  try {
    for (const { backend, threads, peers } of runs) {
      // A fresh page per backend: no tensors, pooled buffers or compiled shaders carry over.
      const page = await browser.open('tools/bench/page.html', {
        ready: 'bench',
        expose: { benchLog: (line: string) => console.log(line) },
      });
      const request: BenchRequest = { backend, threads, peers, configs: args.configs, steps: args.steps, warmup: args.warmup, quick: args.quick };
      try {
        const report: BenchReport = await page.evaluate((req) => window.bench.run(req), request);
        reports.push(report);
        const file = join(import.meta.dirname, resultFileName(new Date(), backend, report.threads, report.peers));
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
  return { reports, failed };
}

/**
 * tools/bench/torch_step.py on Debian's PyTorch: the same model, batch and length on the same threads (without
 * gradient checkpointing, which PyTorch has the memory not to need); null where it cannot run.
 */
function torchStep(threads: number, plan: ConfigPlan): TorchStep | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const source = CONFIG_SOURCES[plan.config];
  const config = 'file' in source ? join(REPOSITORY, source.file) : JSON.stringify(source.json);
  const result = spawnSync(python, [
    join(import.meta.dirname, 'torch_step.py'), '--config', config, '--threads', String(threads),
    '--batch-size', String(plan.batchSize), '--seq-len', String(plan.seqLen),
    '--steps', String(Math.max(plan.steps, 5)), '--warmup', String(plan.warmup),
  ], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`PyTorch reference step (${plan.config}, ${threads} threads) failed: ${result.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  const step = JSON.parse(result.stdout) as TorchStep;
  console.log(`PyTorch ${step.torch} on ${counted(step.threads, 'thread')}: ${plan.config} step ${step.median_step_ms.toFixed(0)} ms at batch ${plan.batchSize} × ${plan.seqLen}`);
  return step;
}

main().then((code) => process.exit(code));
