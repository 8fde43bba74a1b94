// Makes the README's screenshots: a fine-tuning run that learned, the attention explorer and the trust features.
// `npm run screenshot` runs it; in the ordinary test run it is skipped so tests never rewrite tracked files.
import { expect, test } from '@playwright/test';
import { openStudio, openStudioOnWasm, SAMPLE_CSV } from './journey';

test('README screenshots of a run that learned and of the attention explorer', async ({ page }) => {
  test.skip(!process.env.SCREENSHOT, 'set SCREENSHOT=1 (npm run screenshot) to regenerate docs/screenshot.png and docs/attention.png');
  test.setTimeout(900_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await openStudio(page);
  // The default settings, fitted to the bundled model and the sample, as a new user would start.
  await page.getByLabel('Choose data file').setInputFiles(SAMPLE_CSV);
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const training = page.getByRole('region', { name: 'Training', exact: true });
  await expect(training.locator('.training-run-state')).toHaveText(/^Training (done|early-stopped) after/, { timeout: 800_000 });
  // The curves and the Evaluation panel of the finished run; it is shown only if the run learned: clearly above
  // chance (50% on the balanced sample) and not predicting one class for every row.
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  const accuracy = evaluation.locator('.stat', { hasText: /^Accuracy/ }).locator('dd');
  expect(parseFloat((await accuracy.textContent())!)).toBeGreaterThan(60);
  await expect(evaluation).not.toContainText('has not learned');
  await page.mouse.move(0, 0);
  await page.getByRole('region', { name: 'Training curves', exact: true }).evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'docs/screenshot.png' });

  await page.getByLabel('Sentence', { exact: true }).fill('the staff were friendly but the room was tiny.');
  await page.getByRole('button', { name: 'Show attention', exact: true }).click();
  const heatmap = page.getByRole('figure', { name: 'Attention heatmap', exact: true });
  await expect(heatmap.getByRole('list', { name: 'Query tokens' }).getByRole('listitem').first()).toBeVisible({ timeout: 120_000 });
  const attention = page.getByRole('region', { name: /Attention/ }).first();
  await attention.evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
  await attention.screenshot({ path: 'docs/attention.png' });
});

// docs/trust.png: the defaults fitted to the bundled model, the learning-rate finder's sweep, and a run with the
// linear baseline on the metric chart and in the Evaluation panel.
test('README screenshot of the suggested defaults, the learning-rate finder and the linear baseline', async ({ page }) => {
  test.skip(!process.env.SCREENSHOT, 'set SCREENSHOT=1 (npm run screenshot) to regenerate docs/trust.png');
  test.setTimeout(900_000);
  await page.setViewportSize({ width: 1440, height: 1600 });
  await openStudioOnWasm(page);
  await page.getByLabel('Choose data file').setInputFiles(SAMPLE_CSV);
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
  const training = page.getByRole('region', { name: 'Training', exact: true });
  await training.getByRole('button', { name: 'Find a learning rate', exact: true }).click();
  await expect(training.getByRole('button', { name: /^Use \d/ })).toBeVisible({ timeout: 600_000 });
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const verdict = page.getByRole('region', { name: 'Linear baseline' }).locator('.evaluation-verdict');
  await expect(verdict).toBeVisible({ timeout: 600_000 });
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  if (await stop.isEnabled()) await stop.click();
  await expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 120_000 });
  await page.mouse.move(0, 0);
  // The Training panel down to the end of the Evaluation panel, beside the charts.
  // boundingBox is relative to the viewport; the clip of a full-page shot is in page coordinates.
  const scrollY = await page.evaluate(() => window.scrollY);
  const top = (await training.boundingBox())!.y + scrollY;
  const evaluation = (await page.getByRole('region', { name: 'Evaluation', exact: true }).boundingBox())!;
  const bottom = evaluation.y + scrollY + Math.min(evaluation.height, 520);
  await page.screenshot({ path: 'docs/trust.png', fullPage: true, clip: { x: 0, y: top, width: 1440, height: bottom - top } });
});
