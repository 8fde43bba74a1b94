import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../src/io/safetensors';
import { fromVocabTxt } from '../src/tokenizer';
import { loadSampleAndConfigure, openStudio, waitForLossPoints } from './journey';

const SENTENCE = 'the cat sat on the mat.';
const LONG_SENTENCE = 'the hotel was surprisingly lovely and the staff were friendly, although the breakfast was served rather late.';

test('a new user fine-tunes the bundled model, inspects it and exports it', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  // Nothing the page logs as an error or a warning is expected anywhere in the journey.
  const consoleProblems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  await openStudio(page);
  await loadSampleAndConfigure(page);
  // Layer 0 (and the embeddings) frozen: compare mode must say so later.
  await page.getByLabel('Layers to train (k)').fill('1');
  await page.getByRole('button', { name: 'Top-k + head' }).click();
  await expect(page.getByRole('button', { name: 'Top-k + head' })).toHaveAttribute('aria-pressed', 'true');

  // A file that cannot be read leaves the dataset loaded, and says why beside the drop zone that received it.
  const dataPanel = page.getByRole('region', { name: 'Data', exact: true });
  await page.getByLabel('Choose data file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('text,label\n"unterminated,1\n') });
  const dataError = dataPanel.getByRole('alert');
  await expect(dataError).toContainText('This file could not be used (sentiment.csv stays loaded)');
  await expect(dataError).toContainText('broken.csv');
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible();
  await expect(page.getByText('Something went wrong.')).toHaveCount(0);
  await dataError.getByRole('button', { name: 'Dismiss' }).click();
  await expect(dataError).toHaveCount(0);

  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const first = await waitForLossPoints(page, 0);
  // On wasm every core past the engine's and the page's computes part of each batch in a worker of its own
  // (src/train/parallel.ts, src/worker/peers.ts).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 2) await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(`Each batch is computed in ${Math.min(cores - 1, 4)} parts at once`);
  // Charts draw for the first time one per task after the first step (120-240 ms each on this machine, measured
  // over whole runs by scale.spec.ts); this window measures the run's steady state once all of them are drawn.
  await expect(page.locator('figure.charts-card[data-drawn="false"]')).toHaveCount(0);

  // The page keeps drawing while the worker trains: screen-refresh gaps (requestAnimationFrame) over 3 s.
  const frameGaps = await page.evaluate(async () => {
    const gaps: number[] = [];
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const until = last + 3000;
      const frame = (now: number) => {
        gaps.push(now - last);
        last = now;
        if (now < until) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    gaps.sort((a, b) => a - b);
    return { p95: gaps[Math.floor(gaps.length * 0.95)], worst: gaps.at(-1)!, frames: gaps.length };
  });
  console.log(`frame gaps during the run: ${JSON.stringify(frameGaps)}`);
  // Six frames at 60 Hz: on this 2-core VM the p95 measured 33 ms (2026-12-02) and 50-83 ms (2026-12-03, the code
  // before and after that day's changes alike, and with wasm on one thread), so 50 failed on machine noise alone.
  expect(frameGaps.p95).toBeLessThanOrEqual(100);
  expect(frameGaps.worst).toBeLessThanOrEqual(250);
  await page.getByLabel('Sentence', { exact: true }).fill('typed during training');
  await expect(page.getByLabel('Sentence', { exact: true })).toHaveValue('typed during training');

  // Pause takes effect at the next step: at most the step in flight when it reaches the worker still lands.
  const training = page.getByRole('region', { name: 'Training', exact: true });
  const runState = training.locator('.training-run-state');
  const stepIn = (text: string | null) => Number(/step (\d+) of/.exec(text ?? '')?.[1]);
  await expect(runState).toContainText(/Training · step \d+ of/);
  const pressedAt = await training.evaluate((panel) => {
    const text = panel.querySelector('.training-run-state')!.textContent;
    [...panel.querySelectorAll('button')].find((button) => button.textContent === 'Pause')!.click();
    return text;
  });
  await expect(training.getByRole('button', { name: 'Resume', exact: true })).toBeEnabled();
  await page.waitForTimeout(1500);
  const pausedAt = stepIn(await runState.textContent());
  // The page shows the last step whose event arrived: the worker may have finished the next one (its event still on
  // the way, ~0.1 s steps here) and started another, which lands before the pause does (CI measured both, 42 → 44).
  expect(pausedAt).toBeLessThanOrEqual(stepIn(pressedAt) + 2);
  await expect(runState).toHaveText(`Paused · step ${pausedAt} of ${/of (\d+)/.exec((await runState.textContent())!)![1]}`);
  // The run's own Resume, in Training (Recent runs may list this run with a Resume of its checkpoint too).
  await training.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForLossPoints(page, first);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 120_000 });
  // One wording for the ended run, in the panel and the status bar; the freeze map no longer shows the run's badges.
  await expect(runState).toHaveText(/^Training stopped after \d+ steps\.$/);
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText((await runState.textContent())!);
  await expect(training.getByText('training now')).toHaveCount(0);

  // Starting again asks whether to continue the fine-tuned weights or restart from the pretrained ones.
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const choice = training.getByRole('group', { name: 'Start from which weights' });
  await expect(choice).toContainText(/fine-tuned by 1 run \(\d+ steps on sentiment\.csv\)/);
  await choice.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(choice).toHaveCount(0);
  await expect(runState).toHaveText(/^Training stopped after/);

  // Masked-LM on the fine-tuned classifier: said before starting, with the MLM head sized as the MLM head.
  await page.getByRole('radio', { name: /Masked LM/ }).check();
  await expect(training.getByRole('note')).toContainText('takes the MLM head from the pretrained checkpoint', { timeout: 120_000 });
  const freezeMap = training.getByRole('list', { name: 'Freeze map' });
  await expect(freezeMap.getByRole('listitem').first()).toContainText('MLM head');
  await page.getByRole('radio', { name: /Classification/ }).check();
  await expect(freezeMap.getByRole('listitem').first()).toContainText('Classifier head', { timeout: 120_000 });
  await expect(training.getByRole('note')).toHaveCount(0);

  // Replacing the fine-tuned, not yet exported model asks first; dismissing keeps it.
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await page.getByRole('button', { name: 'Load bundled model', exact: true }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('replaces the fine-tuned model you have not downloaded');

  // Attention: the heatmap's labels are the sentence's tokens, as the bundled tokenizer splits them.
  const tokenizer = fromVocabTxt(readFileSync('public/models/bert-tiny-en/vocab.txt', 'utf8'));
  const tokens = tokenizer.encode(SENTENCE).tokens;
  await page.getByLabel('Sentence', { exact: true }).fill(SENTENCE);
  await page.getByRole('button', { name: 'Show attention', exact: true }).click();
  const heatmap = page.getByRole('figure', { name: 'Attention heatmap', exact: true });
  await expect(heatmap.getByRole('list', { name: 'Query tokens' }).getByRole('listitem')).toHaveText(tokens, { timeout: 120_000 });
  // One layer numbering: Hugging Face's, from layer 0 at the bottom, in the explorer as in the freeze map.
  await expect(page.getByRole('region', { name: 'Selected head', exact: true })).toContainText('Layer 0 · head 0');
  await expect(page.getByRole('region', { name: 'Training', exact: true })).toContainText('Layer 0');
  // Compare mode explains, from the measured maps, why the frozen bottom layer attends as before.
  await page.getByRole('radio', { name: /Compare side by side/ }).check();
  await expect(page.getByRole('region', { name: 'Selected head', exact: true })).toContainText('Layer 0 was frozen and its attention did not change');
  await page.getByRole('radio', { name: /Current weights/ }).check();

  // A longer sentence's heatmap stays inside its panel at 1440 and 1024 px (it once ran past the viewport).
  await page.getByLabel('Sentence', { exact: true }).fill(LONG_SENTENCE);
  await page.getByRole('button', { name: 'Show attention', exact: true }).click();
  await expect(heatmap.getByRole('list', { name: 'Query tokens' }).getByRole('listitem')).toHaveCount(tokenizer.encode(LONG_SENTENCE).tokens.length, { timeout: 120_000 });
  const viewport = page.viewportSize()!;
  const attentionPanel = page.getByRole('region', { name: /Attention/ }).first();
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 1000 });
    await expect(async () => {
      const [map, panel] = [(await heatmap.boundingBox())!, (await attentionPanel.boundingBox())!];
      expect(map.x, `${width} px`).toBeGreaterThanOrEqual(panel.x);
      expect(map.x + map.width, `${width} px`).toBeLessThanOrEqual(panel.x + panel.width);
    }).toPass({ timeout: 10_000 });
  }
  await page.setViewportSize(viewport);

  // Playground: the fine-tuned classifier gives a probability per label.
  await page.getByLabel('Text to classify').fill('a wonderful little hotel with friendly staff');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  const probabilities = page.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem');
  await expect(probabilities).toHaveCount(2, { timeout: 120_000 });

  // Export: a zip that transformers can load.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export model', exact: true }).click();
  const download = await downloadPromise;
  const zipPath = testInfo.outputPath('export.zip');
  await download.saveAs(zipPath);
  const files = unzipSync(readFileSync(zipPath));
  const names = Object.keys(files).map((name) => name.split('/').pop());
  expect(names).toEqual(expect.arrayContaining(['model.safetensors', 'config.json', 'vocab.txt', 'tokenizer_config.json']));
  const entry = (file: string) => files[Object.keys(files).find((name) => name.endsWith(file))!];
  const weights = readSafetensors(entry('model.safetensors'));
  expect(weights.metadata.format).toBe('pt');
  expect([...weights.tensors.keys()]).toEqual(expect.arrayContaining([
    'bert.embeddings.word_embeddings.weight',
    'bert.encoder.layer.1.attention.self.query.weight',
    'bert.pooler.dense.weight',
    'classifier.weight',
    'classifier.bias',
  ]));
  const config = JSON.parse(new TextDecoder().decode(entry('config.json')));
  expect(config.architectures).toEqual(['BertForSequenceClassification']);
  expect(config.id2label).toEqual({ 0: 'negative', 1: 'positive' });

  // Re-import the downloaded zip as a local model.
  await page.getByLabel('Open model zip').setInputFiles(zipPath);
  await expect(page.getByRole('region', { name: 'Model', exact: true })).toContainText('BertForSequenceClassification', { timeout: 120_000 });

  // The backend the user picks is the one the studio opens with next time.
  const backend = page.getByLabel('Backend', { exact: true });
  const other = (await backend.inputValue()) === 'cpu' ? 'wasm' : 'cpu';
  page.once('dialog', (dialog) => void dialog.accept());
  await backend.selectOption(other);
  await expect(backend).toHaveValue(other);
  await expect(backend).toBeEnabled({ timeout: 120_000 });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Model', exact: true }).locator('.model-name')).toContainText('bert-tiny-en', { timeout: 120_000 });
  await expect(backend).toHaveValue(other);
  expect(consoleProblems).toEqual([]);
});

test('a run that learned nothing is called so, with what to try', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  // The same words under both labels: the model can only predict one class for every row.
  const rows = Array.from({ length: 60 }, (_, i) => `"the same short review, word for word",${i % 2 === 0 ? 'positive' : 'negative'}`);
  await page.getByLabel('Choose data file').setInputFiles({ name: 'indistinct.csv', mimeType: 'text/csv', buffer: Buffer.from(['text,label', ...rows].join('\n')) });
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  await expect(evaluation).toContainText(/predicts “(positive|negative)” for every row: it has not learned to tell the classes apart/, { timeout: 240_000 });
});

test('"Train at scale" downloads the training form’s run as a recipe for the Hugging Face Trainer', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await loadSampleAndConfigure(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Train at scale', exact: true }).click();
  const files = unzipSync(readFileSync(await (await download).path()));
  expect(Object.keys(files).sort()).toEqual([
    'README.md', 'data/train.jsonl', 'data/validation.jsonl', 'ds_zero2.json', 'model/config.json', 'model/model.safetensors',
    'model/special_tokens_map.json', 'model/tokenizer.json', 'model/tokenizer_config.json', 'model/vocab.txt', 'recipe.json', 'requirements.txt', 'train.py',
  ]);
  const recipe = JSON.parse(new TextDecoder().decode(files['recipe.json']));
  expect(recipe).toMatchObject({ task: 'classify', model: { id: 'bert-tiny-en' }, training: { batch_size: 8, max_length: 32, freeze: 'top:2' } });
  const rows = (name: string) => new TextDecoder().decode(files[name]).trimEnd().split('\n').length;
  expect(rows('data/train.jsonl')).toBe(recipe.data.train_examples);
  expect(rows('data/validation.jsonl')).toBe(recipe.data.validation_examples);
  await expect(page.getByRole('region', { name: 'Export' })).toContainText('accelerate launch train.py');
});
