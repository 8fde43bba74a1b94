// `npm run compare`: fine-tunes the bundled model and the same architecture from random initialisation with
// identical settings over several seeds (through `npm run cli -- train`), and writes the comparison that the
// model card renders (public/models/<model>/finetune_comparison.json).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL } from '../../src/worker/pretrained';
import { runFromMetrics, summarise, type ComparisonRun, type Init } from './summary';

const USAGE = `usage: npm run compare -- [--data FILE] [--seeds 1,2,3] [--lr X] [--epochs N] [--freeze SPEC] [--backend wasm|webgpu|cpu]
                           [--model DIR (default: the bundled model)] [--runs DIR] [--out FILE] [--required-points N]`;

function main(): number {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'public/samples/sentiment.csv' },
      seeds: { type: 'string', default: '1,2,3' },
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
  const seeds = values.seeds.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s))) {
    console.error(`--seeds takes comma-separated integers, got ${values.seeds}\n\n${USAGE}`);
    return 2;
  }
  const model = values.model === undefined ? [] : ['--model', values.model];
  const freeze = values.freeze === undefined ? [] : ['--freeze', values.freeze];
  const shared = [...model, '--data', values.data, '--task', 'classify', '--backend', values.backend, '--lr', values.lr, '--epochs', values.epochs, ...freeze];
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
      console.log(`${init} seed ${seed}: validation accuracy ${runs.at(-1)!.accuracy.toFixed(3)}`);
    }
  }
  const task = `Classification of \`${values.data}\` through \`npm run cli -- train\` on the ${values.backend} backend, ` +
    `${new Date().toISOString().slice(0, 10)}; each seed draws its own stratified 90/10 train/validation split and ` +
    `its own head (and, for random, encoder) initialisation, shared by both runs of that seed.`;
  const frozen = values.freeze === undefined ? 'every layer trained' : `frozen: ${values.freeze}`;
  const recipe = `lr ${values.lr}, ${values.epochs} epochs, ${frozen}, the CLI's other defaults (batch 16, max length 128, ` +
    `warmup 0.1, weight decay 0.01, linear decay, early-stopping patience 2); the weights with the lowest ` +
    `validation loss are kept and scored.`;
  const comparison = summarise(task, recipe, runs, Number(values['required-points']));
  const file = values.out ?? join(values.model ?? `public/models/${DEFAULT_MODEL}`, 'finetune_comparison.json');
  writeFileSync(file, `${JSON.stringify(comparison, null, 2)}\n`);
  console.log(`\n${comparison.verdict}\nwrote ${file}`);
  return 0;
}

process.exit(main());
