// The steps a new user takes, shared by the journey test and the README screenshot.
import { expect, type Page } from '@playwright/test';

export const SAMPLE_CSV = 'public/samples/sentiment.csv';

/**
 * Waits until the bundled model is loaded: the Model panel's "Loaded" line, not its name alone, which the
 * "Load bundled model" description shows from the start.
 */
async function bundledModelLoaded(page: Page): Promise<void> {
  await expect(page.getByRole('region', { name: 'Model', exact: true }).locator('.model-name')).toContainText('bert-tiny-en', { timeout: 120_000 });
}

/** Opens the studio and waits until the bundled model is loaded. */
export async function openStudio(page: Page): Promise<void> {
  await page.goto('/');
  await bundledModelLoaded(page);
}

/**
 * Opens the studio on the wasm backend: on a machine without a GPU it takes training steps far faster than
 * SwiftShader's WebGPU, for tests that train for more than a few steps. (The studio starts on it there by itself;
 * choosing it also holds on a machine with a GPU.)
 */
export async function openStudioOnWasm(page: Page): Promise<void> {
  await openStudio(page);
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await bundledModelLoaded(page);
}

/** Opens the studio on WebGPU, which on a machine without a GPU is SwiftShader's, chosen by the user. */
export async function openStudioOnWebGPU(page: Page): Promise<void> {
  await openStudio(page);
  await page.getByLabel('Backend', { exact: true }).selectOption('webgpu');
  await expect(page.locator('.shell-badge')).toContainText('WebGPU', { timeout: 120_000 });
  await bundledModelLoaded(page);
}

/** Drops the sample CSV and chooses small shapes so software WebGPU steps stay short. */
export async function loadSampleAndConfigure(page: Page): Promise<void> {
  await page.getByLabel('Choose data file').setInputFiles(SAMPLE_CSV);
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Batch size', { exact: true }).fill('8');
  await page.getByLabel('Max length', { exact: true }).fill('32');
  await page.getByLabel('Layers to train (k)').fill('2');
  await page.getByRole('button', { name: 'Top-k + head' }).click();
}

export function lossChart(page: Page) {
  return page.locator('figure.charts-card', { hasText: 'Loss' }).first();
}

/** Waits until the loss chart has more than `count` points and returns the new count. */
export async function waitForLossPoints(page: Page, count: number): Promise<number> {
  await expect.poll(async () => Number(await lossChart(page).getAttribute('data-points')), { timeout: 240_000 }).toBeGreaterThan(count);
  return Number(await lossChart(page).getAttribute('data-points'));
}
