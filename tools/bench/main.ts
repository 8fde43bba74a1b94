// `npm run bench`: times training steps of the studio's engine per backend in headless Chromium (see args.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { launchStudioBrowser } from '../studioBrowser';
import { BENCH_USAGE, parseBenchArgs, type BenchArgs } from './args';
import type { BenchReport, BenchRequest } from './protocol';
import { formatReport, resultFileName } from './report';

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
  try {
    for (const backend of args.backends) {
      // A fresh page per backend: no tensors, pooled buffers or compiled shaders carry over.
      const page = await browser.open('tools/bench/page.html', {
        ready: 'bench',
        expose: { benchLog: (line: string) => console.log(line) },
      });
      const request: BenchRequest = { backend, steps: args.steps, warmup: args.warmup, batchSize: 16, seqLen: 32 };
      try {
        const report: BenchReport = await page.evaluate((req) => window.bench.run(req), request);
        const file = join(import.meta.dirname, resultFileName(new Date(), backend));
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
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
