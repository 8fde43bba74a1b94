import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { loadSampleAndConfigure, lossChart, openStudioOnWasm, openStudioOnWebGPU } from './journey';

// Runs are saved in the browser from their first step: a reload mid-run offers to resume, and the resumed run
// continues exactly as the uninterrupted one (same batches, masks and dropout, derived from the seed and step).
// On wasm, which trains the bundled model fast on a CPU; the studio remembers the backend across the reload.

const STEPS = 40;
const EVAL_EVERY = 10;

async function configureRun(page: Page): Promise<void> {
  await loadSampleAndConfigure(page);
  await page.getByLabel('Evaluate every', { exact: true }).selectOption('steps');
  await page.getByLabel('Steps between evaluations', { exact: true }).fill(String(EVAL_EVERY));
  await page.locator('details.training-advanced > summary').click();
  await page.getByLabel('Max steps', { exact: true }).fill(String(STEPS));
}

/** The losses by step of the run on screen, from the exported metrics.json. */
async function exportedLosses(page: Page, path: string): Promise<number[]> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export model', exact: true }).click();
  await (await download).saveAs(path);
  const files = unzipSync(readFileSync(path));
  const metrics = JSON.parse(new TextDecoder().decode(files[Object.keys(files).find((name) => name.endsWith('metrics.json'))!]));
  return metrics.history.steps.map((step: { loss: number }) => step.loss);
}

const finished = (page: Page) => expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 300_000 });

test('a run interrupted by a reload resumes from its checkpoint with the losses of the uninterrupted run', async ({ browser }, testInfo) => {
  test.setTimeout(900_000);
  const whole = await (await browser.newContext()).newPage();
  await openStudioOnWasm(whole);
  await configureRun(whole);
  await whole.getByRole('button', { name: 'Start training', exact: true }).click();
  // A background tab: past the first checkpoint the browser freezes the page (as Chrome does to background tabs)
  // for a few seconds. The run carries on afterwards, and its losses are checked against the resumed run's below.
  await expect(whole.getByRole('list', { name: 'Recent runs' })).toContainText('step 10 of 40', { timeout: 300_000 });
  const cdp = await whole.context().newCDPSession(whole);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await finished(whole);
  const expected = await exportedLosses(whole, testInfo.outputPath('whole.zip'));
  expect(expected).toHaveLength(STEPS);
  await whole.context().close();

  const page = await (await browser.newContext()).newPage();
  await openStudioOnWasm(page);
  await configureRun(page);
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  // Past the first checkpoint (step 10), reload: the browser asks first, since a run is in progress.
  const runs = page.getByRole('list', { name: 'Recent runs' });
  await expect(runs).toContainText('step 10 of 40', { timeout: 300_000 });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.reload();
  expect(dialogs).toEqual(['beforeunload']);

  const banner = page.getByRole('status', { name: 'Interrupted run' });
  await expect(banner).toContainText('sentiment.csv', { timeout: 120_000 });
  await expect(page.locator('.shell-badge')).toContainText('wasm');
  const checkpointStep = Number(/checkpoint at\s+step (\d+)/.exec((await banner.textContent()) ?? '')![1]);
  expect(checkpointStep).toBeGreaterThanOrEqual(EVAL_EVERY);
  expect(checkpointStep % EVAL_EVERY).toBe(0);
  await banner.getByRole('button', { name: 'Resume training' }).click();
  await expect(lossChart(page)).toHaveAttribute('data-points', /\d+/);
  await finished(page);
  await expect(runs.getByRole('listitem').first()).toContainText(/(finished|stopped early) · step 40 of 40/);

  const resumed = await exportedLosses(page, testInfo.outputPath('resumed.zip'));
  expect(resumed).toHaveLength(STEPS);
  // The 20 steps after the checkpoint were computed anew by the resumed run; they match the uninterrupted run's.
  const after = (losses: number[]) => losses.slice(checkpointStep, checkpointStep + 20);
  expect(after(resumed)).toHaveLength(20);
  expect(after(resumed)).toEqual(after(expected));

  // The run stays in Recent runs after another reload (nothing unexported now: no question), and deletes.
  page.removeAllListeners('dialog');
  await page.reload();
  await expect(runs.getByRole('listitem')).toHaveCount(1, { timeout: 120_000 });
  await expect(page.getByRole('status', { name: 'Interrupted run' })).toHaveCount(0);
  page.once('dialog', (dialog) => void dialog.accept());
  await runs.getByRole('button', { name: 'Delete' }).click();
  await expect(runs).toHaveCount(0);
});

test('a run whose worker dies is offered back from its last checkpoint', async ({ page }) => {
  test.setTimeout(600_000);
  await openStudioOnWasm(page);
  await configureRun(page);
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const runs = page.getByRole('list', { name: 'Recent runs' });
  await expect(runs).toContainText('step 10 of 40', { timeout: 300_000 });
  // An uncaught error in the worker is what a killed or crashed worker looks like to the page.
  const worker = page.workers().find((w) => w.url().includes('engine.worker'))!;
  await worker.evaluate(() => void setTimeout(() => {
    throw new Error('simulated crash');
  }));
  await expect(page.getByRole('alert')).toContainText('The engine worker crashed', { timeout: 60_000 });
  const banner = page.getByRole('status', { name: 'Interrupted run' });
  await expect(banner).toContainText('sentiment.csv', { timeout: 120_000 });
  await banner.getByRole('button', { name: 'Resume training' }).click();
  await finished(page);
  await expect(runs.getByRole('listitem').first()).toContainText(/(finished|stopped early) · step 40 of 40/);
});

test('a run whose GPU runs out of memory, or whose GPU device is lost, is offered back from its last checkpoint', async ({ page }) => {
  test.setTimeout(600_000);
  await openStudioOnWebGPU(page);
  await loadSampleAndConfigure(page);
  await page.getByLabel('Evaluate every', { exact: true }).selectOption('steps');
  await page.getByLabel('Steps between evaluations', { exact: true }).fill('2');
  await page.locator('details.training-advanced > summary').click();
  await page.getByLabel('Max steps', { exact: true }).fill('6');
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const runs = page.getByRole('list', { name: 'Recent runs' });
  await expect(runs).toContainText('step 2 of 6', { timeout: 300_000 });
  const engineWorker = () => page.workers().find((w) => w.url().includes('engine.worker'))!;
  // What a failed allocation raises on the device tfjs runs on (tfjs keeps its engine on the global scope): the
  // error WebGPU sends to the device's uncapturederror event, never as a throw.
  await engineWorker().evaluate(() => {
    const { device } = (globalThis as unknown as { _tfengine: { backend: { device: GPUDevice } } })._tfengine.backend;
    device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error: new GPUOutOfMemoryError('simulated: not enough memory for the buffer') }));
  });
  await expect(page.getByRole('alert')).toContainText('The run ran out of memory. At batch 8 × 32 tokens it needs about', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('simulated: not enough memory for the buffer');
  const banner = page.getByRole('status', { name: 'Interrupted run' });
  await expect(banner).toContainText('sentiment.csv', { timeout: 120_000 });
  await banner.getByRole('button', { name: 'Resume training' }).click();
  await expect(runs).toContainText('step 4 of 6', { timeout: 300_000 });
  // What a driver reset does to the device of the restarted worker.
  await engineWorker().evaluate(() => (globalThis as unknown as { _tfengine: { backend: { device: GPUDevice } } })._tfengine.backend.device.destroy());
  await expect(page.getByRole('alert')).toContainText('The GPU device was lost', { timeout: 60_000 });
  await expect(banner).toContainText('sentiment.csv', { timeout: 120_000 });
  await banner.getByRole('button', { name: 'Resume training' }).click();
  await finished(page);
  await expect(runs.getByRole('listitem').first()).toContainText(/step 6 of 6/);
});
