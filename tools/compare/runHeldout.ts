// `npm run compare -- --heldout`: the bundled model with the studio's default settings against the built-in
// linear baseline, on test rows neither model trains on (see heldout.ts for the protocol).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fitBaseline } from '../../src/train/baseline/fitBaseline';
import { predictedLabels, readLabelled, score, splitRows, summariseHeldout, toCsv, type HeldoutRun, type LabelledRows } from './heldout';

export interface HeldoutOptions {
  data: string;
  seeds: number[];
  testFraction: number;
  backend: string;
  /** A model folder; the bundled model when absent. */
  model?: string;
  runs: string;
  out: string;
  /** Seeds run at once (each run is one headless Chromium on one core). */
  jobs: number;
}

/** Runs `npm run cli -- args`, its output prefixed with the seed; resolves to the exit code. */
function cli(args: string[], seed: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (stream: NodeJS.WritableStream) => (chunk: Buffer) =>
      stream.write(chunk.toString().replace(/^(?=.)/gm, `[seed ${seed}] `));
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', resolve);
  });
}

async function baselineScores(rows: LabelledRows, train: number[], test: number[]): Promise<HeldoutRun['baseline']> {
  const split = (indices: number[]) => ({ texts: indices.map((i) => rows.texts[i]), targets: indices.map((i) => rows.classes.indexOf(rows.labels[i])) });
  const report = await fitBaseline({ task: { kind: 'classification', labels: rows.classes }, train: split(train), validation: split(test) });
  return { accuracy: report.accuracy!, macro_f1: report.macroF1! };
}

export async function runHeldout(options: HeldoutOptions, invocation: string): Promise<number> {
  const rows = readLabelled(readFileSync(options.data, 'utf8'), basename(options.data));
  const runOne = async (seed: number): Promise<HeldoutRun | null> => {
    const dir = join(options.runs, `seed${seed}`);
    mkdirSync(dir, { recursive: true });
    const { train, test } = splitRows(rows, seed, options.testFraction);
    const [trainFile, testFile, predictions] = [join(dir, 'train.csv'), join(dir, 'test.csv'), join(dir, 'test-predictions.jsonl')];
    writeFileSync(trainFile, toCsv(rows, train));
    writeFileSync(testFile, toCsv(rows, test));
    const model = options.model === undefined ? [] : ['--model', options.model];
    // No hyperparameter flags: the CLI fits the defaults to the model and the data, as the studio does.
    const args = ['train', ...model, '--data', trainFile, '--task', 'classify', '--backend', options.backend, '--seed', String(seed),
      '--out', join(dir, 'model'), '--predict-data', testFile, '--predict-out', predictions];
    const command = `npm run cli -- ${args.join(' ')}`;
    console.log(`\n$ ${command}`);
    const status = await cli(args, seed);
    if (status !== 0) {
      console.error(`the run with seed ${seed} failed (exit ${status})`);
      return null;
    }
    const truth = test.map((i) => rows.labels[i]);
    const bert = score(predictedLabels(readFileSync(predictions, 'utf8')), truth, rows.classes);
    const baseline = await baselineScores(rows, train, test);
    console.log(`seed ${seed}: test accuracy BERT ${bert.accuracy.toFixed(3)}, linear baseline ${baseline.accuracy.toFixed(3)}`);
    return { seed, train_rows: train.length, test_rows: test.length, bert, baseline, command };
  };
  const results: (HeldoutRun | null)[] = [];
  for (let i = 0; i < options.seeds.length; i += options.jobs) {
    results.push(...(await Promise.all(options.seeds.slice(i, i + options.jobs).map(runOne))));
  }
  if (results.includes(null)) return 1;
  const runs = results as HeldoutRun[];
  const percent = Math.round(100 * options.testFraction);
  const task =
    `Classification of \`${options.data}\` (${rows.texts.length.toLocaleString('en-US')} rows), ${new Date().toISOString().slice(0, 10)}, ` +
    `${options.backend} backend. Each seed splits the file ${100 - percent}/${percent} into train and test (stratified). BERT: ` +
    '`npm run cli -- train` on the train rows with the studio\'s default settings, fitted to the model and data (no ' +
    'hyperparameter flags; it holds out 10% of them for early stopping and keeps the weights with the lowest ' +
    'validation loss), then predicts the test rows. Baseline: the studio\'s TF-IDF (word 1–2-grams, character ' +
    '3–5-grams) + logistic regression, fitted on all train rows. Both are scored on the same test rows.';
  const comparison = summariseHeldout(task, runs, invocation);
  writeFileSync(options.out, `${JSON.stringify(comparison, null, 2)}\n`);
  console.log(`\n${comparison.verdict}\nwrote ${options.out}`);
  return 0;
}
