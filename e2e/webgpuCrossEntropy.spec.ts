import { expect, test, type Page } from '@playwright/test';
import { isSoftwareAdapter } from '../src/kernels/adapter';
import type { CrossEntropyCase } from './harness/crossEntropy';

// The fused cross-entropy kernels (src/kernels/webgpuCrossEntropy.ts) through crossEntropyLoss, as the MLM objective
// calls it: against the composed tf-ops form (the flag off) on WebGPU, against float64, and in the PyTorch golden
// fixtures' MLM losses, in headless Chromium on SwiftShader, where backend.ts registers them (a hardware adapter
// skips these).

const HARNESS = '/e2e/harness/crossEntropy.ts';
type CrossEntropyHarness = typeof import('./harness/crossEntropy');

async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const adapter = await page.evaluate(() => window.harness.backendCheck('webgpu').then((r) => r.info.adapter));
  test.skip(!isSoftwareAdapter(adapter), `backend.ts registers the fused cross-entropy only on software adapters, not on ${adapter}`);
}

/**
 * One row, odd row counts (7; 130, over two workgroups), vocabularies of 37, 120 and BERT's 30,522; logits at ±80;
 * padding rows of weight 0, as the MLM batch fills its mask capacity (ignored labels, -100, are dropped before the
 * loss by maskedLmTargets and never reach it).
 */
const CASES: CrossEntropyCase[] = [
  { name: '[1, 37]', rows: 1, vocab: 37, logits: 'normal', weighted: false },
  { name: '[7, 120]', rows: 7, vocab: 120, logits: 'normal', weighted: false },
  { name: '[130, 37]', rows: 130, vocab: 37, logits: 'normal', weighted: false },
  { name: '[1, 30522]', rows: 1, vocab: 30522, logits: 'normal', weighted: false },
  { name: '[7, 30522]', rows: 7, vocab: 30522, logits: 'normal', weighted: false },
  { name: '[130, 30522] weighted', rows: 130, vocab: 30522, logits: 'normal', weighted: true },
  { name: '[7, 120] weighted', rows: 7, vocab: 120, logits: 'normal', weighted: true },
  { name: '[7, 120] ±80', rows: 7, vocab: 120, logits: 'extreme', weighted: false },
  { name: '[130, 30522] ±80 weighted', rows: 130, vocab: 30522, logits: 'extreme', weighted: true },
];

const FUSED = ['crossEntropyRows', 'crossEntropyMean', 'crossEntropyGrad'];

test.describe('fused cross-entropy on WebGPU (SwiftShader)', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
  });

  test('loss within 1e-4 and dlogits within 1e-3 of tf ops and float64, in 3 dispatches, keeping no [rows, vocab] tensor', async ({ page }) => {
    test.setTimeout(600_000);
    const results = await page.evaluate(async ({ url, cases }) => {
      const harness: CrossEntropyHarness = await import(/* @vite-ignore */ url);
      return harness.crossEntropyCheck(cases);
    }, { url: HARNESS, cases: CASES });
    for (const r of results) {
      console.log(`${r.name}: loss vs tf ops ${r.lossVsOps.toExponential(1)}, vs float64 ${r.lossVsExact.toExponential(1)}; ` +
        `dlogits vs tf ops ${r.gradVsOps.toExponential(1)}, vs float64 ${r.gradVsExact.toExponential(1)}; ` +
        `dispatches ${r.fusedDispatches} (composed ${r.composedDispatches}); peak bytes beyond the logits ${r.fusedPeakBytes} (composed ${r.composedPeakBytes})`);
    }
    expect(results.map((r) => r.name)).toEqual(CASES.map((c) => c.name));
    for (const [i, r] of results.entries()) {
      expect(r.finite, r.name).toBe(true);
      expect(r.lossVsOps, r.name).toBeLessThanOrEqual(1e-4);
      expect(r.lossVsExact, r.name).toBeLessThanOrEqual(1e-4);
      expect(r.gradVsOps, r.name).toBeLessThanOrEqual(1e-3);
      expect(r.gradVsExact, r.name).toBeLessThanOrEqual(1e-3);
      expect(r.fusedPrograms, r.name).toEqual(FUSED);
      expect(r.composedPrograms.filter((key) => key.startsWith('crossEntropy')), r.name).toEqual([]);
      expect(r.fusedDispatches, r.name).toBe(3);
      // dlogits is the one [rows, vocab] tensor made: the forward pass keeps only [rows, 2] statistics for it.
      const { rows, vocab } = CASES[i];
      expect(r.fusedPeakBytes, r.name).toBeLessThan(rows * vocab * 4 + 4096);
    }
  });

  test('no tensor or GPU buffer is left behind over repeated forward and backward passes', async ({ page }) => {
    const counts = await page.evaluate(async (url) => {
      const harness: CrossEntropyHarness = await import(/* @vite-ignore */ url);
      return harness.crossEntropyLeakCheck(4);
    }, HARNESS);
    console.log(`after each pass: ${counts.map((c) => `${c.tensors} tensors, ${c.dataIds} buffers`).join('; ')}`);
    expect(counts).toHaveLength(4);
    expect(new Set(counts.map((c) => JSON.stringify(c))).size).toBe(1);
  });

  for (const fixture of ['base', 'distilbert']) {
    test(`${fixture} golden fixture: MLM loss within 1e-4 and its gradients within 1e-3 relative of PyTorch, through the fused kernels`, async ({ page }) => {
      const { report, programs } = await page.evaluate(async ({ url, fixture }) => {
        const harness: CrossEntropyHarness = await import(/* @vite-ignore */ url);
        return harness.crossEntropyGolden(fixture);
      }, { url: HARNESS, fixture });
      const mlm = report.results.filter((r) => r.name === 'loss.mlm' || r.name.startsWith('grad.mlm.'));
      console.log(`${fixture}: MLM loss error ${mlm.find((r) => r.name === 'loss.mlm')?.error.toExponential(2)}, ` +
        `worst MLM gradient error ${Math.max(...mlm.filter((r) => r.kind === 'gradient').map((r) => r.error)).toExponential(2)}`);
      expect(programs).toEqual(expect.arrayContaining(FUSED));
      expect(mlm.filter((r) => r.kind === 'loss')).toHaveLength(1);
      expect(mlm.filter((r) => r.kind === 'gradient').length).toBeGreaterThan(0);
      expect(report.results.filter((r) => !r.pass)).toEqual([]);
    });
  }
});
