// `npm run bench:baseline`: times the linear baseline (src/train/baseline) on synthetic rows at the studio's
// scale, in Node (the same V8 as Chromium's worker; the baseline is plain TypeScript, no tfjs). It runs
// fitBaseline exactly as the worker does, slices and yields included, and reports each stage's time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Progress } from '../../src/progress';
import { fitBaseline, type BaselineInput } from '../../src/train/baseline/fitBaseline';
import { syntheticRows } from '../testing/syntheticText';

const USAGE = 'usage: npm run bench:baseline -- [--rows N (default 100000)] [--classes K (default 2)] [--seed N]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      classes: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  const [rows, classes, seed] = [Number(values.rows), Number(values.classes), Number(values.seed)];
  if (values.help || !(Number.isInteger(rows) && rows >= 20 && Number.isInteger(classes) && classes >= 2 && Number.isInteger(seed))) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const data = syntheticRows({ rows, classes, seed });
  // The studio's default split: 10% held out for validation.
  const cut = Math.round(rows * 0.9);
  const input: BaselineInput = {
    task: { kind: 'classification', labels: Array.from({ length: classes }, (_, i) => `class ${i}`) },
    train: { texts: data.texts.slice(0, cut), targets: data.targets.slice(0, cut) },
    validation: { texts: data.texts.slice(cut), targets: data.targets.slice(cut) },
  };
  const characters = data.texts.reduce((sum, text) => sum + text.length, 0);
  console.log(`${rows.toLocaleString('en')} rows (${cut.toLocaleString('en')} train), ${classes} classes, ${(characters / rows).toFixed(0)} characters a row`);

  const stageStarts: Record<string, number> = {};
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const report = await fitBaseline(input, {
    onProgress: (progress: Progress) => {
      stageStarts[progress.item ?? progress.stage] ??= performance.now() - started;
    },
  });
  const cpu = process.cpuUsage(cpuStarted);
  const wall = performance.now() - started;
  const stages = ['features', 'fit', 'score'];
  // A stage's time runs from its first report to the next stage's first report (or the end).
  const stageMs = Object.fromEntries(stages.map((stage, i) => [stage, (stageStarts[stages[i + 1]] ?? wall) - (stageStarts[stage] ?? 0)]));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    rows,
    classes,
    charactersPerRow: characters / rows,
    wallSeconds: wall / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    stageSeconds: Object.fromEntries(Object.entries(stageMs).map(([stage, ms]) => [stage, ms / 1000])),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    report,
  };
  console.log(
    `fit and score: ${result.wallSeconds.toFixed(1)} s wall, ${result.cpuSeconds.toFixed(1)} s CPU ` +
      `(features ~${result.stageSeconds.features.toFixed(1)} s, fit ~${result.stageSeconds.fit.toFixed(1)} s, score ~${result.stageSeconds.score.toFixed(1)} s), ` +
      `peak RSS ${result.peakRssMb.toFixed(0)} MB`,
  );
  console.log(`${report.method}\nfitted ${report.trainRows.toLocaleString('en')} of ${report.trainRowsAvailable.toLocaleString('en')} training rows ` +
    `(${report.nonZeros.toLocaleString('en')} values), ${report.iterations} iterations${report.converged ? '' : ' (not converged)'}, ` +
    `validation accuracy ${report.accuracy!.toFixed(4)} macro-F1 ${report.macroF1!.toFixed(4)} on ${report.validationRows.toLocaleString('en')} rows`);
  const file = join(import.meta.dirname, 'results', `${result.date.slice(0, 10)}-baseline-${rows}x${classes}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${relative(process.cwd(), file)}`);
  return 0;
}

process.exit(await main());
