import { expect, test } from '@playwright/test';
import { openStudio, SAMPLE_CSV } from './journey';

// The defaults a newcomer starts from are fitted to the loaded model and data, say so beside each field, and
// give way to the user's own value, which can be handed back to the suggestion.

test('the training defaults are fitted to the bundled model and the sample, and can be taken back', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await page.getByLabel('Choose data file').setInputFiles(SAMPLE_CSV);
  await expect(page.getByRole('heading', { name: 'Data quality' })).toBeVisible({ timeout: 120_000 });
  const training = page.getByRole('region', { name: 'Training', exact: true });
  const exact = training.getByLabel('Exact value', { exact: true }).first();

  // The bundled model has hidden size 128: 3e-4 (Turc et al.), and 398 training rows at batch 16 are 25 steps an
  // epoch, so the ~1,000 steps a small model is given need 40 epochs, capped at 20.
  await expect(exact).toHaveValue('3e-4');
  await expect(training.getByLabel('Epochs', { exact: true })).toHaveValue('20');
  await expect(training.getByRole('textbox', { name: 'Freeze spec' })).toHaveValue('none');
  for (const arg of ['learningRate', 'epochs', 'warmupRatio', 'freeze']) {
    await expect(training.getByTestId(`suggested-${arg}`)).toHaveText(/^Suggested for this model\?/);
  }
  await expect(training.getByText('Inside the recommended band 1e-4–0.001.')).toBeVisible();

  await exact.fill('1e-5');
  const mark = training.getByTestId('suggested-learningRate');
  await expect(mark).toContainText('Suggested for this model: 3e-4');
  await expect(training.getByText(/1e-5 is below the recommended 1e-4–0\.001/)).toBeVisible();
  // A smaller batch refits the epochs (batch 4: 100 steps an epoch, 10 epochs) but leaves the user's rate alone.
  await training.getByLabel('Batch size', { exact: true }).fill('4');
  await expect(training.getByLabel('Epochs', { exact: true })).toHaveValue('10');
  await expect(exact).toHaveValue('1e-5');
  await mark.getByRole('button', { name: 'Use it' }).click();
  await expect(exact).toHaveValue('3e-4');
  await expect(mark).toHaveText(/^Suggested for this model\?/);
});
