// Layout details a person notices at once: the Export panel's Python code stays inside its box, and the sticky
// status bar never hides the end of a panel that is scrolled into view.
import { expect, test } from '@playwright/test';
import { pythonSnippet } from '../src/ui/export/snippet';
import { loadSampleAndConfigure, openStudio } from './journey';

/** Three, two and one column of panels (App.css). */
const WIDTHS = [1440, 1024, 700];

test.beforeEach(async ({ page }) => {
  await openStudio(page);
  await loadSampleAndConfigure(page);
});

test('the Python code wraps inside its box, and the copy button copies it unwrapped', async ({ page, context }, testInfo) => {
  const code = page.getByLabel('Python code');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await code.scrollIntoViewIfNeeded();
    const box = await code.evaluate((pre) => ({
      scrollWidth: pre.scrollWidth,
      clientWidth: pre.clientWidth,
      right: pre.getBoundingClientRect().right,
      panelRight: pre.closest('section')!.getBoundingClientRect().right,
    }));
    expect(box.scrollWidth, `at ${width} px`).toBeLessThanOrEqual(box.clientWidth);
    expect(box.right, `at ${width} px`).toBeLessThanOrEqual(box.panelRight);
    await page.getByRole('region', { name: 'Export' }).screenshot({ path: testInfo.outputPath(`export-${width}.png`) });
  }

  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy Python code' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pythonSnippet('classify', 'bert-studio-model'));
});

test('the end of every panel scrolls into view above the status bar', async ({ page }, testInfo) => {
  const status = page.getByRole('contentinfo', { name: 'Status' });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const panel of await page.locator('main section.panel').all()) {
      const name = await panel.locator('h2').textContent();
      // What focusing a control at a panel's end, find-in-page or a link to it does: bring it in at the bottom.
      await panel.evaluate((element) => element.scrollIntoView({ block: 'end' }));
      const [panelBox, statusBox] = [await panel.boundingBox(), await status.boundingBox()];
      expect(panelBox!.y + panelBox!.height, `${name} at ${width} px`).toBeLessThanOrEqual(statusBox!.y);
    }
    await page.getByRole('region', { name: 'Training', exact: true }).evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: testInfo.outputPath(`training-end-${width}.png`) });
  }
});
