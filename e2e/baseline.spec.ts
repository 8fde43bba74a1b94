import { expect, test } from '@playwright/test';
import { loadSampleAndConfigure, openStudioOnWasm } from './journey';

// The linear baseline as a user meets it: fitted beside a run on the same split, drawn as a dashed line on the
// validation-metric chart and compared with BERT in the Evaluation panel.

test('a run shows the linear baseline on the metric chart and beside BERT in the Evaluation panel', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await openStudioOnWasm(page);
  await loadSampleAndConfigure(page);
  await page.getByLabel('Evaluate every', { exact: true }).selectOption('steps');
  await page.getByLabel('Steps between evaluations', { exact: true }).fill('5');

  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  const baseline = evaluation.getByRole('region', { name: 'Linear baseline' });
  await expect(baseline.getByRole('heading', { name: 'Against a linear baseline' })).toBeVisible({ timeout: 240_000 });
  // After the first evaluation the panel says who is ahead, in points of accuracy.
  const verdict = baseline.locator('.evaluation-verdict');
  await expect(verdict).toHaveText(/^BERT (\+\d+\.\d points over|is \d+\.\d points below|ties) the linear baseline \(accuracy\)/, { timeout: 240_000 });
  if (/below|ties/.test((await verdict.textContent())!)) {
    await expect(baseline.getByRole('list', { name: 'What to try' })).toContainText('learning-rate finder');
  }
  await expect(baseline.getByRole('table')).toContainText('Macro-F1');
  await expect(baseline).toContainText('scored on the 44 validation rows BERT is scored on');

  const metricChart = page.locator('figure.charts-card', { hasText: 'Accuracy / Macro-F1' });
  await expect(metricChart.locator('.recharts-reference-line')).toHaveCount(2);
  await expect(metricChart).toContainText(/linear baseline accuracy \d+\.\d%/);
  await expect(metricChart).toContainText(/linear baseline macro-F1 \d+\.\d%/);

  // Early stopping may already have ended the run.
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  if (await stop.isEnabled()) await stop.click();
  await expect(page.getByRole('button', { name: 'Start training', exact: true })).toBeEnabled({ timeout: 120_000 });
  await page.mouse.move(0, 0);
  await evaluation.screenshot({ path: testInfo.outputPath('evaluation-panel.png') });
  await metricChart.screenshot({ path: testInfo.outputPath('metric-chart.png') });
});
