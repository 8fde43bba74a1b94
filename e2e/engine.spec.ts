import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES_DIR, toyMlmCorpus, toySentimentCsv } from '../tools/testing/fixtures';
import { startHubServer } from '../tools/testing/hubServer';
import type { DataSpec } from '../src/worker/protocol';
import type { TrainingArgs } from '../src/train/defaults';

// The real engine worker on WebGPU (SwiftShader without a GPU, where a step of the tiny fixture model costs
// about 0.1 s per example): each test starts a fresh worker on the harness page and checks the protocol's
// replies and events.

async function openEngine(page: Page): Promise<void> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const info = await page.evaluate(async () => {
    const engine = await window.harness.engine();
    engine.open();
    return engine.call('init', { backend: 'webgpu' });
  });
  expect(info.backend).toBe('webgpu');
}

/** A fresh worker with the golden `base` fixture and `data` loaded; returns the data summary. */
async function openWithData(page: Page, data: DataSpec) {
  await openEngine(page);
  return page.evaluate(async (spec) => {
    const engine = await window.harness.engine();
    await engine.loadFixture('base');
    return engine.call('loadData', spec);
  }, data);
}

function toyCsv(rows: number): DataSpec {
  return { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(rows) }, seed: 42, valSplit: 0.2 };
}

const mean = (xs: number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;

test.afterEach(async ({ page }) => {
  await page.evaluate(async () => (await window.harness.engine()).close()).catch(() => undefined);
});

test('classification reaches validation accuracy >= 0.95 on a model from a local Hub', async ({ page }) => {
  // Measured in Node over ten seeds: batch 32 at lr 1e-2 passes 0.95 by step 16-24 (~770 examples at most,
  // as many as the Node test's 96 steps of 8); the run is stopped at the first evaluation that gets there.
  const args: Partial<TrainingArgs> = { batchSize: 32, learningRate: 1e-2, maxLength: 16, maxSteps: 32, evalEvery: 4, earlyStoppingPatience: 0 };
  const hub = await startHubServer({ 'fixtures/base': join(FIXTURES_DIR, 'base') });
  try {
    await openEngine(page);
    const loaded = await page.evaluate(async (endpoint) => {
      const engine = await window.harness.engine();
      return engine.call('loadModel', { model: { kind: 'hub', repo: 'fixtures/base', endpoint, revision: 'main' } });
    }, hub.endpoint);
    expect(hub.requests.map((r) => r.file)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt']));
    expect(loaded.summary).toMatchObject({ numLayers: 2, hiddenSize: 32, vocabSize: 120 });

    const run = await page.evaluate(async ({ data, args }) => {
      const engine = await window.harness.engine();
      const summary = await engine.call('loadData', data);
      await engine.call('start', { args });
      const goal = await engine.waitFor('eval', (e) => e.metrics.classification!.accuracy >= 0.95 || e.metrics.step >= args.maxSteps!);
      if (goal.metrics.step < args.maxSteps!) await engine.call('stop', null);
      const end = await engine.finished();
      // With early stopping off every evaluation is the best so far, so the restored weights are the last one's.
      const restored = await engine.call('evaluate', null);
      return { summary, end, evals: engine.events('eval').map((e) => e.metrics), restored };
    }, { data: toyCsv(160), args });

    expect(run.summary).toMatchObject({ numTrain: 128, numValidation: 32, labels: ['negative', 'positive'] });
    expect(run.end.state).toBe('done');
    const last = run.evals.at(-1)!;
    console.log(`classification: ${run.evals.map((e) => `step ${e.step} accuracy ${e.classification!.accuracy.toFixed(3)}`).join(', ')}`);
    expect(last.classification!.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(last.step).toBeLessThanOrEqual(args.maxSteps!);
    expect(run.restored.classification!.accuracy).toBe(last.classification!.accuracy);
    expect(run.restored.loss).toBeCloseTo(last.loss, 5);
  } finally {
    await hub.close();
  }
});

test('MLM loss on a repetitive corpus falls by half', async ({ page }) => {
  const summary = await openWithData(page, {
    task: 'mlm',
    train: { fileName: 'corpus.txt', text: toyMlmCorpus(64) },
    seed: 42,
    valSplit: 0.1,
  });
  expect(summary.numTrain).toBeGreaterThan(50);
  // Measured in Node over eight seeds: the last five losses are 0.28-0.42 of the first three.
  const args: Partial<TrainingArgs> = { batchSize: 16, learningRate: 2e-2, maxLength: 16, maxSteps: 24, earlyStoppingPatience: 0, packSequences: false };
  const run = await page.evaluate(async (args) => {
    const engine = await window.harness.engine();
    await engine.call('start', { args });
    const end = await engine.finished();
    return { end, losses: engine.events('step').map((e) => e.metrics.loss), evals: engine.events('eval').map((e) => e.metrics) };
  }, args);

  expect(run.end.state).toBe('done');
  expect(run.losses).toHaveLength(24);
  const [first, last] = [mean(run.losses.slice(0, 3)), mean(run.losses.slice(-5))];
  console.log(`mlm: first 3 steps ${first.toFixed(3)}, last 5 steps ${last.toFixed(3)}`);
  expect(last).toBeLessThanOrEqual(0.5 * first);
  expect(run.evals.at(-1)!.perplexity).toBeLessThan(run.evals[0].perplexity!);
});

test('pause holds the steps, resume continues them, stop ends the run', async ({ page }) => {
  await openWithData(page, toyCsv(64));
  const steps = () => page.evaluate(async () => (await window.harness.engine()).events('step').length);
  const { pausedAt, held } = await page.evaluate(async () => {
    const engine = await window.harness.engine();
    await engine.call('start', { args: { batchSize: 4, maxLength: 16, maxSteps: 200 } });
    await engine.waitFor('step', (e) => e.metrics.step >= 3);
    await engine.call('pause', null);
    const pausedAt = engine.events('step').length;
    // The pause takes effect between steps: one already under way when it arrived still lands (within 4 s:
    // these steps take 0.4-1.7 s here).
    const held = await engine.waitFor('step', (e) => e.metrics.step > pausedAt, 4000).then(() => pausedAt + 1, () => pausedAt);
    return { pausedAt, held };
  });
  console.log(`pause: ${pausedAt} steps when paused, ${held - pausedAt} landed after`);
  expect(held - pausedAt).toBeLessThanOrEqual(1);
  await page.waitForTimeout(2000);
  expect(await steps(), 'steps while paused').toBe(held);

  const run = await page.evaluate(async (held) => {
    const engine = await window.harness.engine();
    await engine.call('resume', null);
    const next = await engine.waitFor('step', (e) => e.metrics.step > held);
    await engine.call('stop', null);
    const end = await engine.finished();
    return { next: next.metrics, end, states: engine.events('state').map((e) => e.state), total: engine.events('step').length };
  }, held);

  expect(run.next.step).toBe(held + 1);
  expect(run.end).toMatchObject({ state: 'done', message: expect.stringMatching(/stopped after \d+ steps/) });
  expect(run.total).toBeLessThan(run.next.totalSteps);
  expect(run.states).toEqual(['training', 'paused', 'training', 'stopping', 'done']);
});

test('the tensor count stays flat and the page stays responsive while the worker trains', async ({ page }) => {
  await openWithData(page, toyCsv(64));
  const run = await page.evaluate(async () => {
    const engine = await window.harness.engine();
    engine.startTicker();
    await engine.call('start', { args: { batchSize: 4, maxLength: 16, maxSteps: 32, evalEvery: 10, earlyStoppingPatience: 0 } });
    const end = await engine.finished();
    return { end, tensors: engine.events('step').map((e) => e.metrics.numTensors), evals: engine.events('eval').length, page: engine.stopTicker() };
  });

  expect(run.end.state).toBe('done');
  expect(run.tensors).toHaveLength(32);
  expect(run.evals).toBeGreaterThanOrEqual(3);
  // Evaluations at steps 10, 20 and 30 sit inside the window: they must not leak either.
  expect(run.tensors.slice(9)).toEqual(run.tensors.slice(9).map(() => run.tensors[9]));
  console.log(`responsiveness: ${run.page.ticks} ticks, longest gap ${run.page.maxGapMs.toFixed(0)} ms; tensors ${run.tensors[9]}`);
  expect(run.page.ticks).toBeGreaterThan(100);
  // Training on the page itself would stall it for whole steps (0.4-1.7 s each here); the margin below that
  // absorbs scheduler jitter on a loaded two-core machine (gaps up to 152 ms measured).
  expect(run.page.maxGapMs).toBeLessThan(250);
});

test('a loss that overflows fails the run with a clear message and keeps the engine usable', async ({ page }) => {
  // A regression target of 1e30 squares past float32's range on the first step.
  const rows = toySentimentCsv(16).trim().split('\n').slice(1).map((line) => line.replace(/,\w+$/, ',1e30'));
  await openWithData(page, {
    task: 'classify',
    train: { fileName: 'absurd.csv', text: `text,score\n${rows.join('\n')}\n` },
    regression: true,
    seed: 42,
    valSplit: 0.25,
  });
  const run = await page.evaluate(async () => {
    const engine = await window.harness.engine();
    await engine.call('start', { args: { batchSize: 8, maxLength: 16, maxSteps: 4 } });
    const end = await engine.finished();
    const [prediction] = await engine.call('predict', { examples: [{ text: 'the movie was good' }] });
    return { end, steps: engine.events('step').length, logits: prediction.logits };
  });

  expect(run.end.state).toBe('failed');
  expect(run.end.message).toMatch(/loss became (Infinity|NaN).*at step 1.*lower learning rate/);
  expect(run.steps).toBe(0);
  expect(run.logits).toHaveLength(1);
  expect(Number.isFinite(run.logits[0])).toBe(true);
});
