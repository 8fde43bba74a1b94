// Makes docs/screenshot.png for the README: a fine-tuning run in progress. `npm run screenshot` runs it;
// in the ordinary test run it is skipped so tests never rewrite tracked files.
import { test } from '@playwright/test';
import { loadSampleAndConfigure, openStudio, waitForLossPoints } from './journey';

test('README screenshot of a run in progress', async ({ page }) => {
  test.skip(!process.env.SCREENSHOT, 'set SCREENSHOT=1 (npm run screenshot) to regenerate docs/screenshot.png');
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await openStudio(page);
  await loadSampleAndConfigure(page);
  await page.getByRole('button', { name: 'Start training', exact: true }).click();
  await waitForLossPoints(page, 12);
  await page.screenshot({ path: 'docs/screenshot.png' });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});
