// `npm run stress`: a bert-base-sized model (110M parameters, synthetic weights) fine-tuned as a user would, at
// the size users bring it (batch 8 × 128 tokens): through the CLI, downloading it from the local Hub server, and
// through the studio, from a dropped folder; 3 training steps on wasm each (where the engine turns gradient
// checkpointing on to fit wasm's 4 GiB), then the export, whose 440 MB model.safetensors is read back here from
// its header to its last byte. (The export once wrote this file as 0 bytes and reported success.) The studio's
// zip is then opened again in the studio.
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '../src/io/safetensors';
import { toySentimentCsv } from '../tools/testing/fixtures';
import { writeSyntheticBertBase } from '../tools/testing/bertBase';
import { startHubServer } from '../tools/testing/hubServer';
import { cli, expectSuccess, safetensorsHeader } from './cliRun';
import { openStudioOnWasm } from './journey';

test.skip(!process.env.STRESS, 'run with npm run stress');

/** Rows long enough to fill 128 tokens: each toy sentence's words, repeated. */
function longRowsCsv(rows: number): string {
  const [header, ...lines] = toySentimentCsv(rows).trim().split('\n');
  return `${[header, ...lines.map((line) => {
    const comma = line.lastIndexOf(',');
    return `${Array.from({ length: 30 }, () => line.slice(0, comma)).join(' ')},${line.slice(comma + 1)}`;
  })].join('\n')}\n`;
}

const CHECKPOINTING = /Gradient checkpointing is on: at batch 8 × 128 tokens/;

test('a bert-base-sized model downloads from the Hub, trains at batch 8 × 128 in the CLI and exports a complete, checked model.safetensors', async () => {
  test.setTimeout(1_800_000);
  const dir = mkdtempSync(join(tmpdir(), 'bert-studio-stress-'));
  const modelDir = join(dir, 'bert-base');
  writeSyntheticBertBase(modelDir);
  const hub = await startHubServer({ 'synthetic/bert-base': modelDir });
  try {
    const inputBytes = statSync(join(modelDir, 'model.safetensors')).size;
    const data = join(dir, 'long.csv');
    writeFileSync(data, longRowsCsv(64));
    const out = join(dir, 'out');
    const started = Date.now();
    const train = await cli([
      'train', '--data', data, '--task', 'classify', '--model', 'synthetic/bert-base', '--hub-endpoint', hub.endpoint, '--out', out,
      '--max-steps', '3', '--batch-size', '8', '--max-length', '128', '--backend', 'wasm',
    ]);
    expectSuccess(train);
    expect(train.stderr).toMatch(CHECKPOINTING);
    expect(hub.requests.some((request) => request.file === 'model.safetensors')).toBe(true);
    const seconds = (Date.now() - started) / 1000;

    const path = join(out, 'model.safetensors');
    const size = statSync(path).size;
    const { header, headerBytes } = safetensorsHeader(path);
    const entries = Object.entries(header).filter(([name]) => name !== '__metadata__') as [string, { data_offsets: [number, number] }][];
    // Every byte after the header belongs to exactly one tensor, and the last tensor ends at the file's end.
    const ranges = entries.map(([, entry]) => entry.data_offsets).sort((a, b) => a[0] - b[0]);
    ranges.forEach(([begin], i) => expect(begin).toBe(i === 0 ? 0 : ranges[i - 1][1]));
    expect(8 + headerBytes + ranges.at(-1)![1]).toBe(size);
    // The pretrained weights plus the new classifier head (2 labels over 768 features).
    expect(entries.map(([name]) => name)).toContain('classifier.weight');
    expect(size).toBeGreaterThan(inputBytes);
    const figures = `bert-base CLI Hub download + train (3 steps of 8 × 128, wasm) + export: ${seconds.toFixed(0)} s; model.safetensors ${(size / 2 ** 20).toFixed(1)} MiB, ${entries.length} tensors, read back`;
    console.log(figures);
    test.info().annotations.push({ type: 'figures', description: figures });
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bert-base-sized model loads from a folder in the studio, trains at batch 8 × 128, downloads as a zip and opens again', async ({ page }, testInfo) => {
  test.setTimeout(1_800_000);
  const dir = mkdtempSync(join(tmpdir(), 'bert-studio-stress-'));
  try {
    const modelDir = join(dir, 'bert-base');
    writeSyntheticBertBase(modelDir);
    const data = join(dir, 'long.csv');
    writeFileSync(data, longRowsCsv(64));
    const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);

    await openStudioOnWasm(page);
    const model = page.getByRole('region', { name: 'Model', exact: true });
    let started = Date.now();
    await page.getByLabel('Choose model folder').setInputFiles(modelDir);
    await expect(model).toContainText('Vocabulary30,522', { timeout: 600_000 });
    const loadSeconds = seconds(started);

    await page.getByLabel('Choose data file').setInputFiles(data);
    await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
    await page.getByLabel('Batch size', { exact: true }).fill('8');
    await page.getByLabel('Max length', { exact: true }).fill('128');
    await expect(model).toContainText(CHECKPOINTING); // the Model panel's plan, before the run
    await page.locator('details.training-advanced > summary').click();
    await page.getByLabel('Max steps', { exact: true }).fill('3');
    started = Date.now();
    await page.getByRole('button', { name: 'Start training', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 900_000 });
    await expect(page.getByRole('alert')).toHaveCount(0);
    const trainSeconds = seconds(started);

    started = Date.now();
    const download = page.waitForEvent('download', { timeout: 600_000 });
    await page.getByRole('button', { name: 'Export model', exact: true }).click();
    const zipPath = join(dir, 'export.zip');
    await (await download).saveAs(zipPath);
    const exportSeconds = seconds(started);
    const zipBytes = statSync(zipPath).size;
    const files = unzipSync(readFileSync(zipPath));
    const entry = (file: string) => files[Object.keys(files).find((name) => name.endsWith(file))!];
    const weights = readSafetensors(entry('model.safetensors'));
    expect(weights.tensors.size).toBe(201);
    expect(weights.tensors.get('classifier.weight')!.shape).toEqual([2, 768]);
    expect(weights.tensors.get('bert.encoder.layer.11.output.dense.weight')!.shape).toEqual([768, 3072]);
    const config = JSON.parse(new TextDecoder().decode(entry('config.json')));
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
    const safetensorsBytes = entry('model.safetensors').length;

    started = Date.now();
    await page.getByLabel('Open model zip').setInputFiles(zipPath);
    await expect(model).toContainText('BertForSequenceClassification', { timeout: 600_000 });
    await expect(model).toContainText('Vocabulary30,522');
    const reopenSeconds = seconds(started);

    const figures = `bert-base in the studio (wasm): folder load ${loadSeconds} s, 3 steps of 8 × 128 ${trainSeconds} s, zip export ${exportSeconds} s `
      + `(${(zipBytes / 2 ** 20).toFixed(1)} MiB zip, model.safetensors ${(safetensorsBytes / 2 ** 20).toFixed(1)} MiB, ${weights.tensors.size} tensors), re-import ${reopenSeconds} s`;
    console.log(figures);
    testInfo.annotations.push({ type: 'figures', description: figures });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
