// `npm run compare`: fine-tunes the bundled model and the same architecture from random initialisation with
// identical settings over several seeds (through `npm run cli -- train`), and writes the comparison that the
// model card renders (public/models/<model>/finetune_comparison.json), with the linear baseline each run
// fitted on its split (metrics.json "baseline") beside them. With --heldout it instead compares the
// model, fine-tuned with the studio's defaults, against the linear baseline on held-out test rows of
// tools/eval/reviews.csv (heldout_comparison.json; see runHeldout.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL } from '../../src/worker/protocol';
import { runHeldout } from './runHeldout';
import { runFromMetrics, summarise, type ComparisonRun, type Init } from './summary';

const USAGE = `usage: npm run compare -- [--data FILE] [--seeds 1,2,3] [--lr X] [--epochs N] [--freeze SPEC] [--backend wasm|webgpu|cpu]
                           [--model DIR (default: the bundled model)] [--runs DIR] [--out FILE] [--required-points N]
       npm run compare -- --heldout [--data FILE (default tools/eval/reviews.csv)] [--test-fraction X (default 0.3)]
                           [--seeds 1,2,3,4,5] [--jobs N (seeds at once)] [--backend wasm|webgpu|cpu] [--model DIR] [--runs DIR] [--out FILE]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      heldout: { type: 'boolean', default: false },
      jobs: { type: 'string', default: '1' },
      'test-fraction': { type: 'string', default: '0.3' },
      data: { type: 'string' },
      seeds: { type: 'string' },
      lr: { type: 'string', default: '3e-4' },
      epochs: { type: 'string', default: '5' },
      backend: { type: 'string', default: 'wasm' },
      freeze: { type: 'string' },
      model: { type: 'string' },
      runs: { type: 'string', default: 'runs/compare' },
      out: { type: 'string' },
      'required-points': { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seedList = values.seeds ?? (values.heldout ? '1,2,3,4,5' : '1,2,3');
  const seeds = seedList.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s))) {
    console.error(`--seeds takes comma-separated integers, got ${seedList}\n\n${USAGE}`);
    return 2;
  }
  const modelDir = values.model ?? `public/models/${DEFAULT_MODEL}`;
  if (values.heldout) {
    const testFraction = Number(values['test-fraction']);
    if (!(testFraction > 0 && testFraction < 1)) {
      console.error(`--test-fraction takes a number in (0, 1), got ${values['test-fraction']}\n\n${USAGE}`);
      return 2;
    }
    const options = {
      data: values.data ?? 'tools/eval/reviews.csv', seeds, testFraction, backend: values.backend, model: values.model,
      runs: values.runs === 'runs/compare' ? 'runs/heldout' : values.runs, out: values.out ?? join(modelDir, 'heldout_comparison.json'),
      jobs: Math.max(1, Number(values.jobs) || 1),
    };
    return runHeldout(options, `npm run compare -- ${process.argv.slice(2).join(' ')}`.trim());
  }
  const data = values.data ?? 'public/samples/sentiment.csv';
  const model = values.model === undefined ? [] : ['--model', values.model];
  const freeze = values.freeze === undefined ? [] : ['--freeze', values.freeze];
  const shared = [...model, '--data', data, '--task', 'classify', '--backend', values.backend, '--lr', values.lr, '--epochs', values.epochs, ...freeze];
  const runs: ComparisonRun[] = [];
  for (const seed of seeds) {
    for (const init of ['pretrained', 'random'] as Init[]) {
      const out = join(values.runs, `${init}-seed${seed}`);
      const args = ['train', ...shared, '--seed', String(seed), ...(init === 'random' ? ['--init', 'random'] : []), '--out', out];
      const command = `npm run cli -- ${args.join(' ')}`;
      console.log(`\n$ ${command}`);
      const result = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { stdio: 'inherit' });
      if (result.status !== 0) {
        console.error(`the ${init} run with seed ${seed} failed (exit ${result.status})`);
        return 1;
      }
      runs.push(runFromMetrics(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')), init, seed, command));
      const last = runs.at(-1)!;
      const baseline = last.baseline_accuracy === undefined ? '' : ` (linear baseline ${last.baseline_accuracy.toFixed(3)})`;
      console.log(`${init} seed ${seed}: validation accuracy ${last.accuracy.toFixed(3)}${baseline}`);
    }
  }
  const task = `Classification of \`${data}\` through \`npm run cli -- train\` on the ${values.backend} backend, ` +
    `${new Date().toISOString().slice(0, 10)}; each seed draws its own stratified 90/10 train/validation split and ` +
    `its own head (and, for random, encoder) initialisation, shared by both runs of that seed.`;
  const frozen = values.freeze === undefined ? 'every layer trained' : `frozen: ${values.freeze}`;
  const recipe = `lr ${values.lr}, ${values.epochs} epochs, ${frozen}, the CLI's other defaults (batch 16, max length 128, ` +
    `warmup 0.1, weight decay 0.01, linear decay, early-stopping patience 2); the weights with the lowest ` +
    `validation loss are kept and scored.`;
  const comparison = summarise(task, recipe, runs, Number(values['required-points']));
  const file = values.out ?? join(modelDir, 'finetune_comparison.json');
  writeFileSync(file, `${JSON.stringify(comparison, null, 2)}\n`);
  console.log(`\n${comparison.verdict}\nwrote ${file}`);
  return 0;
}

process.exit(await main());
