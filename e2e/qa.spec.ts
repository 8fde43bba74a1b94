import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES_DIR, toySquadJson } from '../tools/testing/fixtures';
import { startHubServer } from '../tools/testing/hubServer';

// Extractive question answering in each family, on WebGPU: the fixture model fine-tuned on SQuAD JSON in its
// vocabulary (tools/testing/fixtures.ts toySquadJson), scored by exact match and F1 early (step 2, still in warmup)
// and at the end, exported as *ForQuestionAnswering (qa_outputs, no pooler), and opened again to the same answers.

const FAMILIES = [
  { fixture: 'base', architecture: 'BertForQuestionAnswering', absent: ['bert.pooler.dense.weight', 'classifier.weight'] },
  { fixture: 'distilbert', architecture: 'DistilBertForQuestionAnswering', absent: ['pre_classifier.weight', 'classifier.weight'] },
  { fixture: 'electra', architecture: 'ElectraForQuestionAnswering', absent: ['classifier.dense.weight', 'classifier.out_proj.weight'] },
];

test.afterEach(async ({ page }) => {
  await page.evaluate(async () => (await window.harness.engine()).close()).catch(() => undefined);
});

for (const family of FAMILIES) {
  test(`${family.architecture}: exact match and F1 rise on WebGPU, and the export carries qa_outputs`, async ({ page }) => {
    const hub = await startHubServer({ [`fixtures/${family.fixture}`]: join(FIXTURES_DIR, family.fixture) });
    try {
      await page.goto('/e2e/harness/index.html');
      await expect(page.locator('#status')).toHaveText('ready');
      const run = await page.evaluate(
        async ({ endpoint, fixture, squad }) => {
          const engine = await window.harness.engine();
          engine.open();
          await engine.call('init', { backend: 'webgpu' });
          await engine.call('loadModel', { model: { kind: 'hub', repo: `fixtures/${fixture}`, endpoint, revision: 'main' } });
          const data = await engine.call('loadData', { task: 'qa', train: { fileName: 'toy.json', text: squad }, seed: 42, valSplit: 0.2 });
          await engine.call('start', { args: { batchSize: 16, learningRate: 1e-2, maxLength: 32, maxSteps: 40, evalEvery: 2, earlyStoppingPatience: 0 } });
          const end = await engine.finished();
          const evals = engine.events('eval').map((e) => ({ step: e.metrics.step, em: e.metrics.answers!.exactMatch, f1: e.metrics.answers!.f1, questions: e.metrics.answers!.questions }));
          const context = 'the cat sat on the mat . the dog ran in the water .';
          const exported = await engine.exportAndReopen([{ text: 'who sat on the mat ?', pair: context }, { text: 'where is the dog ?', pair: context }]);
          return { numTrain: data.numTrain, end, evals, ...exported, names: Object.keys(exported.shapes), qaShape: exported.shapes['qa_outputs.weight'] };
        },
        { endpoint: hub.endpoint, fixture: family.fixture, squad: toySquadJson(120) },
      );

      expect(run.numTrain).toBe(192);
      expect(run.end.state).toBe('done');
      const first = run.evals[0];
      const last = run.evals[run.evals.length - 1];
      console.log(`${family.architecture}: EM/F1 ${run.evals.map((e) => `${e.step}:${e.em.toFixed(2)}/${e.f1.toFixed(2)}`).join(' ')}`);
      expect(first).toMatchObject({ step: 2, questions: 48 });
      expect(last.f1).toBeGreaterThan(first.f1 + 0.3);
      expect(last.em).toBeGreaterThan(first.em + 0.3);
      expect(run.config).toMatchObject({ architectures: [family.architecture] });
      expect(run.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']));
      expect(run.names).toEqual(expect.arrayContaining(['qa_outputs.weight', 'qa_outputs.bias']));
      expect(run.qaShape?.[0]).toBe(2);
      for (const name of family.absent) expect(run.names).not.toContain(name);
      expect(run.reopened).toMatchObject({ architectures: [family.architecture], loadReport: { missing: [], unexpected: [] } });
      expect(run.after).toEqual(run.before);
      // The answers are spans of the context, as its characters.
      for (const { answer, pair } of run.before) if (answer) expect(pair!.slice(answer.start, answer.end)).toBe(answer.text);
    } finally {
      await hub.close();
    }
  });
}
