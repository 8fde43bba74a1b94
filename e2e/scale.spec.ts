// Real-size data through the studio as a user drives it: a generated CSV (classification) and TXT (masked LM)
// are loaded, reported on and trained for 20 steps in the worker, while the page's timers keep their pace.
// `npm run stress` runs it at 1M rows (STRESS_ROWS sets the count) and prints the figures.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { formatCount } from '../src/ui/common/format';
import { syntheticRows } from '../tools/testing/syntheticText';
import { openStudioOnWasm } from './journey';

const ROWS = Number(process.env.STRESS_ROWS ?? 200_000);
const STEPS = 20;
/**
 * A separate validation file keeps the run's final evaluation to 2,000 rows: held out from the training file, a
 * 10% share would be 20,000 (100,000 at 1M rows), which measures evaluation on wasm rather than scale.
 */
const VALIDATION_ROWS = 2_000;

/** The file a user would bring: sentences of 4-19 made-up words (≈ 60 bytes a row), two labels for the CSV. */
function writeData(path: string, kind: 'csv' | 'txt', rows: number, seed: number): number {
  const { texts, targets } = syntheticRows({ rows, classes: 2, seed, minWords: 4, maxWords: 19 });
  const lines = kind === 'csv' ? ['text,label', ...texts.map((text, i) => `${text},${targets[i] ? 'positive' : 'negative'}`)] : texts;
  const body = `${lines.join('\n')}\n`;
  writeFileSync(path, body);
  return Buffer.byteLength(body);
}

/** Resident memory of every Chromium process together, in MiB (the browser, the page and its worker). */
function chromiumRssMiB(): number {
  const out = execFileSync('ps', ['-eo', 'rss=,comm='], { encoding: 'utf8' });
  let kib = 0;
  for (const line of out.split('\n')) {
    const [rss, comm] = line.trim().split(/\s+/, 2);
    if (comm && /chrom/i.test(comm)) kib += Number(rss);
  }
  return kib / 1024;
}

/** A setTimeout(0) loop on the page: its longest gap shows whether anything blocked the main thread. */
async function startGapTicker(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = { last: performance.now(), maxGapMs: 0 };
    (window as unknown as { gapTicker: typeof state }).gapTicker = state;
    const tick = () => {
      const now = performance.now();
      state.maxGapMs = Math.max(state.maxGapMs, now - state.last);
      state.last = now;
      setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  });
}

/** The longest gap since the last call, and a fresh start for the next phase. */
const takeGap = (page: Page) =>
  page.evaluate(() => {
    const ticker = (window as unknown as { gapTicker: { maxGapMs: number } }).gapTicker;
    const gap = ticker.maxGapMs;
    ticker.maxGapMs = 0;
    return gap;
  });

// Not in `npm test` yet: the page's main thread still blocks for seconds at this size (docs/RELIABILITY.md).
test.skip(!process.env.STRESS_ROWS, 'run with npm run stress (STRESS_ROWS=200000 for the 200k case)');

for (const kind of ['csv', 'txt'] as const) {
  test(`${ROWS.toLocaleString('en-US')} ${kind.toUpperCase()} rows load, report quality and train ${STEPS} steps in the worker`, async ({ page }, testInfo) => {
    test.setTimeout(Math.max(600_000, ROWS * 6));
    const path = testInfo.outputPath(`scale.${kind}`);
    const bytes = writeData(path, kind, ROWS, 11);
    const validationPath = testInfo.outputPath(`validation.${kind}`);
    writeData(validationPath, kind, VALIDATION_ROWS, 12);
    await openStudioOnWasm(page);
    let peakMiB = chromiumRssMiB();
    const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, chromiumRssMiB())), 500);
    try {
      await startGapTicker(page);
      const started = Date.now();
      await page.getByLabel('Choose data file').setInputFiles(path);
      await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: ROWS * 2 });
      const loadSeconds = (Date.now() - started) / 1000;
      console.log(`${kind}: loaded and reported in ${loadSeconds.toFixed(1)} s`);
      await expect(page.getByLabel('Dataset', { exact: true })).toContainText(`Rows${formatCount(ROWS)}`);

      await page.getByLabel('Choose validation file').setInputFiles(validationPath);
      await expect(page.getByLabel('Dataset', { exact: true })).toContainText(`Validation${formatCount(VALIDATION_ROWS)}`, { timeout: ROWS * 2 });
      const loadGapMs = await takeGap(page);
      await page.getByLabel('Batch size', { exact: true }).fill('8');
      await page.getByLabel('Max length', { exact: true }).fill('32');
      await page.locator('details.training-advanced > summary').click();
      await page.getByLabel('Max steps', { exact: true }).fill(String(STEPS));
      await page.getByRole('button', { name: 'Start training', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: `Training done after ${STEPS} steps` })).toBeVisible({ timeout: ROWS * 4 });
      const trainSeconds = (Date.now() - started) / 1000 - loadSeconds;
      const trainGapMs = await takeGap(page);
      const figures = `${kind}: ${ROWS} rows (${(bytes / 2 ** 20).toFixed(1)} MiB) loaded and reported in ${loadSeconds.toFixed(1)} s ` +
        `(${Math.round(ROWS / loadSeconds)} rows/s); validation file, ${STEPS} steps and the final evaluation in ${trainSeconds.toFixed(1)} s; ` +
        `peak Chromium RSS ${peakMiB.toFixed(0)} MiB; longest page timer gap ${loadGapMs.toFixed(0)} ms while loading, ` +
        `${trainGapMs.toFixed(0)} ms while training`;
      console.log(figures);
      testInfo.annotations.push({ type: 'figures', description: figures });
      // While training, the journey test's bound: scheduler jitter on a loaded two-core machine stays under it.
      expect(trainGapMs).toBeLessThan(250);
      // Loading ends in one render of the whole report, which React's development build (npm start) takes
      // about a second to draw at 200k rows (docs/RELIABILITY.md); anything longer is a regression.
      expect(loadGapMs).toBeLessThan(ROWS >= 1e6 ? 5000 : 1500);
    } finally {
      clearInterval(sampler);
    }
  });
}
