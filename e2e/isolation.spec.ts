import { expect, test, type Page } from '@playwright/test';
import { startStaticServer } from '../tools/testing/staticServer';

// tfjs-wasm runs on every core only in a cross-origin isolated page. The dev and preview servers send the
// headers (tools/isolation.ts); a static host that sends none gets them from the studio's service worker
// (public/isolation-sw.js), which the page registers and reloads under once. This spec runs in the `built`
// project, whose build it serves again from a plain file server.

async function isolated(page: Page): Promise<boolean> {
  // Mid-reload the page has no context to evaluate in; the poll asks again.
  return page.evaluate(() => crossOriginIsolated).catch(() => false);
}

async function expectWasmOnEveryCore(page: Page): Promise<void> {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  // Training adds a worker per core past the engine's and the page's (at most 4 in all), each computing part of every batch.
  const training = cores > 2 ? ` · trains on ${Math.min(cores - 1, 4)} workers` : '';
  await expect(page.locator('.shell-badge')).toHaveText(`CPU (wasm) · ${cores} ${cores === 1 ? 'thread' : 'threads'}${training}`, { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Model', exact: true })).toContainText('bert-tiny-en', { timeout: 120_000 });
}

test('the preview server isolates the studio, and wasm computes on every core', async ({ page }) => {
  await page.goto('/');
  await expect.poll(() => isolated(page)).toBe(true);
  await expectWasmOnEveryCore(page);
});

test('on a host that sends no headers, the studio isolates itself with its service worker', async ({ page }) => {
  const host = await startStaticServer('test-results/dist');
  try {
    const response = await page.request.get(`${host.origin}/`);
    expect(response.headers()['cross-origin-embedder-policy']).toBeUndefined();
    await page.goto(`${host.origin}/`);
    await expect.poll(() => isolated(page), { timeout: 60_000 }).toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${host.origin}/isolation-sw.js`);
    await expectWasmOnEveryCore(page);
  } finally {
    await host.close();
  }
});
