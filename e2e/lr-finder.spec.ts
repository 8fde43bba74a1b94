import { expect, test } from '@playwright/test';
import { loadSampleAndConfigure, openStudio } from './journey';

// The learning-rate finder as a user meets it in the Training panel: a sweep that can be cancelled, then one that
// runs to its suggestion, drawn against a log learning-rate axis and applied to the learning-rate field.

test('the learning-rate finder charts loss against learning rate and applies its suggestion', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await openStudio(page);
  // A sweep is up to 100 steps: on a machine without a GPU the wasm backend takes them far faster than SwiftShader.
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await expect(page.getByRole('region', { name: 'Model', exact: true })).toContainText('bert-tiny-en', { timeout: 120_000 });
  await loadSampleAndConfigure(page);

  const training = page.getByRole('region', { name: 'Training', exact: true });
  const find = training.getByRole('button', { name: 'Find a learning rate', exact: true });
  const chart = training.getByRole('figure', { name: 'Loss against learning rate' });
  const points = async () => Number(await chart.getAttribute('data-points'));

  await find.click();
  await expect(training.getByRole('progressbar', { name: 'Learning-rate sweep' })).toBeVisible();
  await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(2);
  await training.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(chart).toContainText('The sweep was cancelled before it finished.', { timeout: 60_000 });
  await expect(training.getByRole('button', { name: /^Use \d/ })).toHaveCount(0);
  await expect(find).toBeEnabled();

  await find.click();
  const use = training.getByRole('button', { name: /^Use \d/ });
  await expect(use).toBeVisible({ timeout: 400_000 });
  expect(await points()).toBeGreaterThan(10);
  await expect(chart.locator('figcaption')).toHaveText(/^Suggested /);
  await expect(chart.locator('.recharts-reference-line')).not.toHaveCount(0);
  await expect(chart.locator('.recharts-cartesian-axis-tick-value').first()).toHaveText('1e-7');
  const suggested = (await use.textContent())!.replace('Use ', '');
  await use.click();
  await expect(training.getByRole('slider', { name: 'Learning rate' })).toHaveAttribute('aria-valuetext', suggested);
  await expect(training.getByLabel('Exact value', { exact: true }).first()).toHaveValue(suggested);
  await expect(use).toBeDisabled();
  await page.mouse.move(0, 0);
  await training.screenshot({ path: testInfo.outputPath('training-panel.png') });
});
