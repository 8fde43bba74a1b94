import { expect, test } from '@playwright/test';

test('headless Chromium has a WebGPU adapter and tfjs runs on it', async ({ page }) => {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const result = await page.evaluate(() => window.harness.backendCheck('webgpu'));
  expect(result.adapter).not.toBeNull();
  expect(result.backend).toBe('webgpu');
  expect(result.sum).toEqual([11, 22, 33]);
});
