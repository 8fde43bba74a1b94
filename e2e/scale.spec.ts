// Real-size data through the studio as a user drives it: a generated CSV (classification) and TXT (masked LM)
// are loaded, reported on and trained for 20 steps in the worker, while the page's timers keep their pace.
// `npm test` runs it at 200k rows; `npm run stress` at 1M (STRESS_ROWS sets the count). Both print the figures.
// It runs on the production build (the `built` project of playwright.config.ts).
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

/**
 * Waits until an element matching `selector` contains `text`, polling twice a second. Playwright's own
 * assertions compute the page's accessibility tree on its main thread at every poll (hundreds of milliseconds
 * on this page), which the ticker would then count as the studio's gap.
 */
async function waitForText(page: Page, selector: string, text: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => [...document.querySelectorAll(s)].some((element) => element.textContent?.includes(t)),
    [selector, text] as const,
    { polling: 500, timeout },
  );
}

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
      await waitForText(page, 'h3', 'Data quality', ROWS * 2);
      const loadSeconds = (Date.now() - started) / 1000;
      console.log(`${kind}: loaded and reported in ${loadSeconds.toFixed(1)} s`);
      await waitForText(page, '[aria-label="Dataset"]', `Rows${formatCount(ROWS)}`, 10_000);

      await page.getByLabel('Choose validation file').setInputFiles(validationPath);
      await waitForText(page, '[aria-label="Dataset"]', `Validation${formatCount(VALIDATION_ROWS)}`, ROWS * 2);
      const loadGapMs = await takeGap(page);
      await page.getByLabel('Batch size', { exact: true }).fill('8');
      await page.getByLabel('Max length', { exact: true }).fill('32');
      await page.locator('details.training-advanced > summary').click();
      await page.getByLabel('Max steps', { exact: true }).fill(String(STEPS));
      await page.getByRole('button', { name: 'Start training', exact: true }).click();
      await waitForText(page, '[role=status]', `Training done after ${STEPS} steps`, ROWS * 4);
      const trainSeconds = (Date.now() - started) / 1000 - loadSeconds;
      const trainGapMs = await takeGap(page);
      const figures = `${kind}: ${ROWS} rows (${(bytes / 2 ** 20).toFixed(1)} MiB) loaded and reported in ${loadSeconds.toFixed(1)} s ` +
        `(${Math.round(ROWS / loadSeconds)} rows/s); validation file, ${STEPS} steps and the final evaluation in ${trainSeconds.toFixed(1)} s; ` +
        `peak Chromium RSS ${peakMiB.toFixed(0)} MiB; longest page timer gap ${loadGapMs.toFixed(0)} ms while loading, ` +
        `${trainGapMs.toFixed(0)} ms while training`;
      console.log(figures);
      testInfo.annotations.push({ type: 'figures', description: figures });
      // The production build, as `npm start` serves it, on a two-core machine whose other core trains: the charts
      // mount and redraw one per task (useTurn), 150-260 ms at the worst while training and 160-340 ms when the
      // report arrives (docs/RELIABILITY.md); the development build blocked for 0.7-1.7 s. The bounds leave room
      // for the machine's jitter (a CI run with another build beside it measured 457 ms), not for a render of every
      // chart (or every row) in one task, which took 1.4-8.9 s.
      expect(trainGapMs).toBeLessThan(600);
      expect(loadGapMs).toBeLessThan(ROWS >= 1e6 ? 1200 : 600);
    } finally {
      clearInterval(sampler);
    }
  });
}
