// `npm run stress`: a bert-base-sized model (110M parameters, synthetic weights) through the CLI, as a user
// would fine-tune one: 2 training steps on wasm, then the export, whose 440 MB model.safetensors is read back
// here from its header to its last byte. (The export once wrote this file as 0 bytes and reported success.)
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toySentimentCsv } from '../tools/testing/fixtures';
import { writeSyntheticBertBase } from '../tools/testing/bertBase';
import { cli, expectSuccess, safetensorsHeader } from './cliRun';

test.skip(!process.env.STRESS, 'run with npm run stress');

test('a bert-base-sized model trains in the CLI and exports a complete, checked model.safetensors', async () => {
  test.setTimeout(1_800_000);
  const dir = mkdtempSync(join(tmpdir(), 'bert-studio-stress-'));
  try {
    const modelDir = join(dir, 'bert-base');
    const inputBytes = writeSyntheticBertBase(modelDir);
    const data = join(dir, 'toy.csv');
    writeFileSync(data, toySentimentCsv(32));
    const out = join(dir, 'out');
    const started = Date.now();
    const train = await cli([
      'train', '--data', data, '--task', 'classify', '--model', modelDir, '--out', out,
      '--max-steps', '2', '--batch-size', '2', '--max-length', '16', '--backend', 'wasm',
    ]);
    expectSuccess(train);
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
    const figures = `bert-base CLI train (2 steps, wasm) + export: ${seconds.toFixed(0)} s; model.safetensors ${(size / 2 ** 20).toFixed(1)} MiB, ${entries.length} tensors, read back`;
    console.log(figures);
    test.info().annotations.push({ type: 'figures', description: figures });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
