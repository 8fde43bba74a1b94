import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../tools/testing/fixtures';
import { startHubServer } from '../tools/testing/hubServer';
import { openStudioOnWasm } from './journey';

// The Model panel's download cache as a user meets it: a Hub model appears with its size once loaded, a second load
// needs no download, and deleting it empties the list and brings the download back.

test('the download cache lists a Hub model, serves it again without a download, and deletes it', async ({ page }) => {
  const hub = await startHubServer({ 'fixtures/base': join(FIXTURES_DIR, 'base') });
  try {
    await openStudioOnWasm(page);
    const model = page.getByRole('region', { name: 'Model', exact: true });
    // A load asks the Hub for the commit first, cached or not; the panel names the model already from the load
    // before, so the load is over when, after that request, the status bar is back at Ready.
    const loadFromHub = async () => {
      const asked = hub.revisionRequests.length;
      await page.getByLabel('Hugging Face model id').fill('fixtures/base');
      await page.getByRole('button', { name: 'Load from Hub', exact: true }).click();
      await expect.poll(() => hub.revisionRequests.length, { timeout: 60_000 }).toBeGreaterThan(asked);
      await expect(page.getByRole('contentinfo', { name: 'Status' }).locator('.shell-status-label')).toHaveText('Ready', { timeout: 120_000 });
      await expect(model).toContainText('Loaded fixtures/base');
    };
    await page.getByText('Advanced: endpoint and revision').click();
    await page.getByLabel('Hub endpoint').fill(hub.endpoint);
    await expect(page.getByLabel('Access token (gated or private models)')).toHaveAttribute('type', 'password');
    await loadFromHub();
    const downloads = () => hub.requests.filter((r) => r.file === 'model.safetensors').length;
    expect(downloads()).toBe(1);

    await page.getByText('Downloaded models').click();
    const row = page.getByRole('listitem').filter({ hasText: 'fixtures/base' });
    await expect(row).toContainText(/KB|kB|B/);
    await expect(page.getByTestId('storage-estimate')).toContainText('This site uses');
    await page.screenshot({ path: test.info().outputPath('cache.png'), fullPage: false });

    await loadFromHub();
    expect(downloads()).toBe(1); // from the cache

    await page.getByRole('button', { name: 'Delete fixtures/base from the cache' }).click();
    await expect(page.getByText('No Hub model is kept in this browser.')).toBeVisible();
    await loadFromHub();
    expect(downloads()).toBe(2);
  } finally {
    await hub.close();
  }
});
