import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { unzipSync, zipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../tools/testing/fixtures';
import { startHubServer } from '../tools/testing/hubServer';
import { openStudioOnWasm } from './journey';

// The dev server sends the studio's Content-Security-Policy (tools/csp.ts) and cross-origin isolation, as
// `npm start` serves them: the studio must do everything it does under them (a Hub download on another origin
// included), and zips are unpacked by a worker of their own.

/**
 * Every CSP violation reported in the page and its workers. Chromium logs the page's to its console; a worker's
 * reach no console Playwright sees, so each worker logs its `securitypolicyviolation` events once Playwright can
 * reach it (a few seconds after it starts: a violation before that shows only as the failure it causes, which
 * the steps below would meet).
 */
function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  const collect = (message: ConsoleMessage): void => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  };
  page.on('console', collect);
  page.on('worker', (worker) => {
    worker.on('console', collect);
    void worker
      .evaluate(() =>
        self.addEventListener('securitypolicyviolation', (event) =>
          console.error(`Content Security Policy violation in a worker: ${event.violatedDirective} blocked ${event.blockedURI}`),
        ),
      )
      .catch(() => undefined); // a worker that ended first (the unzip worker ends with its job)
  });
  return violations;
}

function zipFolder(dir: string, name: string): Uint8Array {
  return zipSync(Object.fromEntries(readdirSync(dir).map((file) => [`${name}/${file}`, readFileSync(join(dir, file))])));
}

test('the studio runs under its Content-Security-Policy: wasm, a Hub download, a zip, a web export, and no violation', async ({ page, request }) => {
  const policy = (await request.get('/')).headers()['content-security-policy'];
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  const violations = collectViolations(page);
  const hub = await startHubServer({ 'fixtures/base': join(FIXTURES_DIR, 'base') });
  try {
    // The wasm backend compiles WebAssembly in the engine worker, and in the page isolated by the dev server's
    // headers (tools/isolation.ts) runs threaded: its threads start as workers from blob: URLs.
    await openStudioOnWasm(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.locator('.shell-badge')).toHaveText(/^CPU \(wasm\) · \d+ threads?( · trains on \d+ workers)?$/);
    const model = page.getByRole('region', { name: 'Model', exact: true });

    // The engine worker downloads from a Hub endpoint on another origin.
    await page.getByText('Advanced: endpoint and revision').click();
    await page.getByLabel('Hub endpoint').fill(hub.endpoint);
    await page.getByLabel('Hugging Face model id').fill('fixtures/base');
    await page.getByRole('button', { name: 'Load from Hub', exact: true }).click();
    await expect(model).toContainText('fixtures/base', { timeout: 120_000 });
    expect(hub.requests.map((r) => r.file)).toContain('model.safetensors');

    // A zipped model folder is unpacked by the unzip worker.
    await page.getByLabel('Open model zip').setInputFiles({ name: 'base.zip', mimeType: 'application/zip', buffer: Buffer.from(zipFolder(join(FIXTURES_DIR, 'base'), 'base')) });
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Opened base.zip as a local model.', { timeout: 120_000 });

    // The web export loads its ONNX code (protobufjs, which must evaluate no strings) into the engine worker.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export for the web', exact: true }).click();
    const files = Object.keys(unzipSync(new Uint8Array(await readFile(await (await download).path()))));
    expect(files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']));
    await expect(page.getByRole('list', { name: 'Exported files' })).toContainText('onnx/model_quantized.onnx');

    expect(violations).toEqual([]);
    // The check can fail: a connection the policy forbids, from the page and from the engine worker, is seen.
    await page.evaluate(() => fetch('https://example.com/page').catch(() => undefined));
    const engineWorker = page.workers().find((worker) => worker.url().includes('engine.worker'));
    await engineWorker!.evaluate(() => fetch('https://example.com/worker').catch(() => undefined));
    await expect.poll(() => violations.join('\n')).toMatch(/example\.com\/page[\s\S]*example\.com\/worker|example\.com\/worker[\s\S]*example\.com\/page/);
  } finally {
    await hub.close();
  }
});

test('a zip bomb is refused before it is inflated, naming the entry, and the page stays usable', async ({ page }) => {
  await openStudioOnWasm(page);
  // A kilobyte of zeros that declares a gibibyte: a 1 KB zip that would inflate to 1 GiB.
  const bomb = zipSync({ 'model/config.json': new TextEncoder().encode('{}'), 'model/model.safetensors': new Uint8Array(1024) });
  const view = new DataView(bomb.buffer);
  const central = bomb.findLastIndex((_, i) => i + 4 <= bomb.length && view.getUint32(i, true) === 0x02014b50);
  view.setUint32(central + 24, 2 ** 30, true);
  await page.getByLabel('Open model zip').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: Buffer.from(bomb) });
  await expect(page.getByRole('alert')).toContainText('model/model.safetensors declares 1 GiB');
  await expect(page.getByRole('region', { name: 'Model', exact: true })).toContainText('bert-tiny-en');
});
