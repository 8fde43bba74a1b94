import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR, toyMlmCorpus, toySentimentCsv } from '../tools/testing/fixtures';
import type { PredictionLine } from '../tools/cli/protocol';
import { readSafetensors } from '../src/io/safetensors';
import { cli, expectSuccess, safetensorsHeader } from './cliRun';

// The CLI as a user runs it: child processes of `tsx tools/cli/main.ts`, each serving the studio with Vite and
// training or predicting in its own headless Chromium.

function readJsonl(path: string): PredictionLine[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as PredictionLine);
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));

let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bert-studio-cli-'));
});

test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('train exports a Hugging Face folder whose predictions match the trained model, and eval scores it', async () => {
  const data = join(dir, 'toy.csv');
  writeFileSync(data, toySentimentCsv(48));
  const out = join(dir, 'model');
  const inMemory = join(dir, 'A.jsonl');
  const reloaded = join(dir, 'B.jsonl');

  const train = await cli([
    'train', '--data', data, '--task', 'classify', '--model', join(FIXTURES_DIR, 'base'), '--out', out,
    '--max-steps', '4', '--lr', '5e-3', '--batch-size', '8', '--max-length', '16',
    '--predict-data', data, '--predict-out', inMemory,
  ]);
  expectSuccess(train);
  expect(train.stderr).toMatch(/step 4\/4/);
  expect(train.stdout).toContain(`wrote 48 predictions to ${inMemory}`);

  const predict = await cli(['predict', '--model', out, '--data', data, '--out', reloaded]);
  expectSuccess(predict);
  const [a, b] = [readJsonl(inMemory), readJsonl(reloaded)];
  expect(a).toHaveLength(48);
  expect(b).toHaveLength(48);
  let worst = 0;
  for (const [i, line] of a.entries()) {
    expect(b[i].input_ids).toEqual(line.input_ids);
    expect(b[i].label).toBe(line.label);
    expect(line.logits).toHaveLength(2);
    for (const [j, logit] of line.logits.entries()) worst = Math.max(worst, Math.abs(logit - b[i].logits[j]));
  }
  console.log(`cli: largest logit difference between the trained and the reloaded model ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(1e-5);
  expect(['negative', 'positive']).toContain(a[0].label);

  const header = safetensorsHeader(join(out, 'model.safetensors')).header;
  expect(header.__metadata__).toEqual({ format: 'pt' });
  const names = Object.keys(header).filter((name) => name !== '__metadata__');
  expect(names).toContain('classifier.weight');
  expect(names).toContain('bert.embeddings.word_embeddings.weight');
  expect(names).toContain('bert.pooler.dense.weight');
  expect(names.filter((name) => !name.startsWith('bert.') && !name.startsWith('classifier.'))).toEqual([]);

  expect(readJson(join(out, 'config.json'))).toMatchObject({
    architectures: ['BertForSequenceClassification'],
    id2label: { 0: 'negative', 1: 'positive' },
    label2id: { negative: 0, positive: 1 },
    problem_type: 'single_label_classification',
  });
  for (const file of ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) {
    expect(existsSync(join(out, file)), file).toBe(true);
  }
  expect(readFileSync(join(out, 'vocab.txt'), 'utf8')).toBe(readFileSync(join(FIXTURES_DIR, 'base', 'vocab.txt'), 'utf8'));
  expect(readJson(join(out, 'special_tokens_map.json'))).toMatchObject({ cls_token: '[CLS]', mask_token: '[MASK]' });
  const trainingArgs = readJson(join(out, 'training_args.json'));
  expect(trainingArgs).toMatchObject({ task: 'classify', maxSteps: 4, learningRate: 5e-3, batchSize: 8, freeze: 'none' });
  const groups = (trainingArgs.freezeGroups as { groups: { id: string }[] }).groups.map((g) => g.id);
  expect(groups).toEqual(['embeddings', 'layer.0', 'layer.1', 'pooler', 'head']);
  const trained = readJson(join(out, 'metrics.json'));
  expect(trained).toMatchObject({ outcome: 'done', steps: 4 });
  // The linear baseline of the same split: fitted on its training rows, scored on its validation rows.
  const baseline = trained.baseline as { kind: string; accuracy: number; trainRowsAvailable: number; validationRows: number };
  expect(baseline).toMatchObject({ kind: 'classification' });
  expect(baseline.trainRowsAvailable + baseline.validationRows).toBe(48);
  expect(train.stderr).toMatch(/linear baseline: accuracy \d\.\d{4} macro-F1/);

  const evaluation = await cli(['eval', '--model', out, '--data', data, '--train-data', data]);
  expectSuccess(evaluation);
  const metrics = JSON.parse(evaluation.stdout) as { loss: number; classification: { accuracy: number }; baseline: { accuracy: number; validationRows: number } };
  expect(metrics.baseline).toMatchObject({ validationRows: 48 });
  expect(metrics.baseline.accuracy).toBeGreaterThanOrEqual(0.5);
  expect(metrics.classification.accuracy).toBeGreaterThanOrEqual(0);
  expect(metrics.classification.accuracy).toBeLessThanOrEqual(1);
  expect(Number.isFinite(metrics.loss)).toBe(true);
});

test('train --lora-rank writes the merged model and the PEFT adapter, and the merged model predicts as the trained one', async () => {
  const data = join(dir, 'toy-lora.csv');
  writeFileSync(data, toySentimentCsv(48));
  const out = join(dir, 'model-lora');
  const inMemory = join(dir, 'lora-A.jsonl');
  const reloaded = join(dir, 'lora-B.jsonl');
  const train = await cli([
    'train', '--data', data, '--task', 'classify', '--model', join(FIXTURES_DIR, 'base'), '--out', out, '--backend', 'wasm',
    '--max-steps', '4', '--lr', '1e-2', '--batch-size', '8', '--max-length', '16', '--lora-rank', '4', '--lora-targets', 'query,value,ffn',
    '--predict-data', data, '--predict-out', inMemory,
  ]);
  expectSuccess(train);
  expect(train.stderr).toMatch(/LoRA r=4 on query, value, ffn: [\d,]+ trainable parameters/);
  expect(readJson(join(out, 'training_args.json'))).toMatchObject({ loraRank: 4, loraTargets: 'query,value,ffn' });
  expect(Object.keys(safetensorsHeader(join(out, 'model.safetensors')).header).filter((name) => name.includes('lora'))).toEqual([]);
  expect(readJson(join(out, 'adapter', 'adapter_config.json'))).toMatchObject({ peft_type: 'LORA', r: 4, task_type: 'SEQ_CLS', modules_to_save: ['pooler', 'classifier'] });
  const adapter = Object.keys(safetensorsHeader(join(out, 'adapter', 'adapter_model.safetensors')).header).filter((name) => name !== '__metadata__');
  expect(adapter).toContain('base_model.model.bert.encoder.layer.1.intermediate.dense.lora_B.weight');
  expect(adapter).toHaveLength(2 * 4 * 2 + 4);

  expectSuccess(await cli(['predict', '--model', out, '--data', data, '--out', reloaded, '--backend', 'wasm']));
  const [a, b] = [readJsonl(inMemory), readJsonl(reloaded)];
  const worst = Math.max(...a.flatMap((line, i) => line.logits.map((logit, j) => Math.abs(logit - b[i].logits[j]))));
  console.log(`cli: LoRA model vs its merged export, largest logit difference ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(1e-5);
});

test('train --lr auto runs the learning-rate finder, trains with its suggestion and records the sweep', async () => {
  // A corpus the fixture learns quickly, so the sweep's loss clearly falls (on the 48-row sentiment toy it does not).
  const data = join(dir, 'corpus.txt');
  writeFileSync(data, toyMlmCorpus(120));
  const out = join(dir, 'model-lr');
  const train = await cli([
    'train', '--data', data, '--task', 'mlm', '--model', join(FIXTURES_DIR, 'base'), '--out', out,
    '--lr', 'auto', '--max-steps', '2', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm',
  ]);
  expectSuccess(train);
  const found = /lr finder: suggests ([\d.e+-]+)/.exec(train.stderr);
  expect(found, train.stderr).not.toBeNull();
  const lr = Number(found![1]);
  expect(lr).toBeGreaterThan(0);
  expect(train.stderr.indexOf('lr finder: suggests')).toBeLessThan(train.stderr.indexOf('step 1/2'));
  expect(readJson(join(out, 'training_args.json'))).toMatchObject({ learningRate: lr, maxSteps: 2 });
  const sweep = readJson(join(out, 'lr_finder.json')) as { suggestion: { lr: number }; settings: object; points: unknown[] };
  expect(sweep.suggestion.lr).toBe(lr);
  expect(sweep.settings).toEqual({ minLr: 1e-7, maxLr: 1e-1, steps: 100 });
  expect(sweep.points.length).toBeGreaterThan(10);
  expect(sweep.points.length).toBeLessThanOrEqual(100);
});

test('a run that fails exports the weights it kept, checked, says which step they are from and exits non-zero', async () => {
  // A regression target of 1e30 squares past float32: the loss of the batch that holds it is Inf, so the run
  // fails at that step, after earlier good steps (batches of 8 over 40 training rows, shuffled by the seed).
  const rows = Array.from({ length: 48 }, (_, i) => `sentence number ${i} about the weather,${i === 7 ? '1e30' : (i % 5) / 4}`);
  const data = join(dir, 'overflow.csv');
  writeFileSync(data, `text,score\n${rows.join('\n')}\n`);
  const out = join(dir, 'model-failed');
  const train = await cli([
    'train', '--data', data, '--task', 'classify', '--regression', '--model', join(FIXTURES_DIR, 'base'), '--out', out,
    '--epochs', '2', '--lr', '1e-3', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm', '--seed', '3',
  ]);
  expect(train.code, train.stderr).toBe(1);
  const kept = /The weights after step (\d+), the last good step, were kept/.exec(train.stderr);
  expect(kept, train.stderr).not.toBeNull();
  const goodSteps = Number(kept![1]);
  expect(goodSteps).toBeGreaterThan(0);
  expect(train.stderr).toMatch(new RegExp(`The loss became (Infinity|NaN) \\(gradient norm [^)]*\\) at step ${goodSteps + 1}`));
  expect(train.stdout).toMatch(/wrote \d+ files \(\d+ bytes, each read back and checked\)/);
  const header = safetensorsHeader(join(out, 'model.safetensors')).header;
  expect(Object.keys(header).length).toBeGreaterThan(10);
  const weights = readSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors'))));
  for (const [name, tensor] of weights.tensors) {
    expect((tensor.data as Float32Array).every(Number.isFinite), name).toBe(true);
  }
  expect(readJson(join(out, 'metrics.json'))).toMatchObject({ outcome: 'failed' });
});

test('a missing data file exits with code 2 and says which file', async () => {
  const missing = join(dir, 'nope.csv');
  const run = await cli(['train', '--data', missing, '--task', 'classify', '--out', join(dir, 'unused')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`--data ${missing}: no such file`);
  expect(run.stderr).toContain('usage: npm run cli');
  expect(run.stdout).toBe('');
});
