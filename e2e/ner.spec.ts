import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES_DIR, toyNerConll } from '../tools/testing/fixtures';
import { startHubServer } from '../tools/testing/hubServer';

// Token classification in each family, on WebGPU: the fixture model fine-tuned on CoNLL data in its vocabulary
// (tools/testing/fixtures.ts toyNerConll), scored by entity F1 early (step 2, still in warmup) and at the end,
// exported as *ForTokenClassification with the tags in config.json, and opened again to the same predictions.

const FAMILIES = [
  { fixture: 'base', architecture: 'BertForTokenClassification', absent: ['bert.pooler.dense.weight'] },
  { fixture: 'distilbert', architecture: 'DistilBertForTokenClassification', absent: ['pre_classifier.weight'] },
  { fixture: 'electra', architecture: 'ElectraForTokenClassification', absent: ['classifier.dense.weight', 'classifier.out_proj.weight'] },
];

test.afterEach(async ({ page }) => {
  await page.evaluate(async () => (await window.harness.engine()).close()).catch(() => undefined);
});

for (const family of FAMILIES) {
  test(`${family.architecture}: entity F1 rises on WebGPU, and the export carries the token classifier and its tags`, async ({ page }) => {
    const hub = await startHubServer({ [`fixtures/${family.fixture}`]: join(FIXTURES_DIR, family.fixture) });
    try {
      await page.goto('/e2e/harness/index.html');
      await expect(page.locator('#status')).toHaveText('ready');
      const run = await page.evaluate(
        async ({ endpoint, fixture, conll }) => {
          const engine = await window.harness.engine();
          engine.open();
          await engine.call('init', { backend: 'webgpu' });
          await engine.call('loadModel', { model: { kind: 'hub', repo: `fixtures/${fixture}`, endpoint, revision: 'main' } });
          const data = await engine.call('loadData', { task: 'ner', train: { fileName: 'toy.conll', text: conll }, seed: 42, valSplit: 0.2 });
          await engine.call('start', { args: { batchSize: 16, learningRate: 1e-2, maxLength: 16, maxSteps: 40, evalEvery: 2, earlyStoppingPatience: 0 } });
          const end = await engine.finished();
          const evals = engine.events('eval').map((e) => ({ step: e.metrics.step, f1: e.metrics.entities!.micro.f1, perType: e.metrics.entities!.perType }));
          // The data's first sentence: a model that scores well on its validation split tags it right.
          const exported = await engine.exportAndReopen([{ text: 'the cat sat on the big house .' }, { text: 'i read the book at night .' }]);
          return { labels: data.labels, end, evals, ...exported, names: Object.keys(exported.shapes), classifierShape: exported.shapes['classifier.weight'] };
        },
        { endpoint: hub.endpoint, fixture: family.fixture, conll: toyNerConll(240) },
      );

      expect(run.labels).toEqual(['O', 'B-ANIMAL', 'B-PLACE', 'B-WORK', 'I-ANIMAL', 'I-PLACE', 'I-WORK']);
      expect(run.end.state).toBe('done');
      const first = run.evals[0];
      const last = run.evals[run.evals.length - 1];
      console.log(`${family.architecture}: entity F1 ${run.evals.map((e) => `${e.step}:${e.f1.toFixed(3)}`).join(' ')}`);
      expect(first.step).toBe(2);
      expect(last.f1).toBeGreaterThan(first.f1 + 0.2);
      expect(Object.keys(last.perType).sort()).toEqual(['ANIMAL', 'PLACE', 'WORK']);
      expect(run.config).toMatchObject({
        architectures: [family.architecture],
        id2label: { 0: 'O', 1: 'B-ANIMAL', 2: 'B-PLACE', 3: 'B-WORK', 4: 'I-ANIMAL', 5: 'I-PLACE', 6: 'I-WORK' },
        label2id: { O: 0, 'B-ANIMAL': 1, 'B-PLACE': 2, 'B-WORK': 3, 'I-ANIMAL': 4, 'I-PLACE': 5, 'I-WORK': 6 },
      });
      expect(run.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']));
      expect(run.names).toEqual(expect.arrayContaining(['classifier.weight', 'classifier.bias']));
      expect(run.classifierShape?.[0]).toBe(7);
      for (const name of family.absent) expect(run.names).not.toContain(name);
      expect(run.reopened).toMatchObject({ architectures: [family.architecture], loadReport: { missing: [], unexpected: [] } });
      expect(run.after).toEqual(run.before);
      // The playground's spans, as characters of the text: "cat" is an animal, and every span covers whole words
      // (ELECTRA's 0.83-F1 model split "big house" into two places).
      const sentence = 'the cat sat on the big house .';
      expect(run.before[0].entities).toEqual(expect.arrayContaining([{ label: 'ANIMAL', start: 4, end: 7 }]));
      for (const { start, end } of run.before[0].entities!) expect([sentence[start - 1] ?? ' ', sentence[end] ?? ' ']).toEqual([' ', ' ']);
    } finally {
      await hub.close();
    }
  });
}
