import { expect, test, type Page } from '@playwright/test';
import { isSoftwareAdapter } from '../src/kernels/adapter';
import type { AttentionCase } from './harness/attention';

// The fused attention kernels (src/kernels/webgpuAttention.ts) in BERT's self-attention against the same layer
// composed of tf ops, and in the whole model against the PyTorch golden fixtures, in headless Chromium on
// SwiftShader, where they run (a hardware adapter skips these).

const HARNESS = '/e2e/harness/attention.ts';
type AttentionHarness = typeof import('./harness/attention');

async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const adapter = await page.evaluate(() => window.harness.backendCheck('webgpu').then((r) => r.info.adapter));
  test.skip(!isSoftwareAdapter(adapter), `the fused attention runs only on software adapters, not on ${adapter}`);
}

/** Odd lengths (7, 33), heads of 16 and 64 values, 2 and 4 heads, padded keys; the last ones with dropout. */
const CASES: AttentionCase[] = [
  { name: 'batch 2, seq 7, 2 heads of 16', batch: 2, seq: 7, heads: 2, headDim: 16, padding: [0, 3], dropout: false },
  { name: 'batch 3, seq 33, 4 heads of 64', batch: 3, seq: 33, heads: 4, headDim: 64, padding: [5, 0, 31], dropout: false },
  { name: 'batch 2, seq 33, 4 heads of 16, dropout 0.1', batch: 2, seq: 33, heads: 4, headDim: 16, padding: [2, 10], dropout: true },
  { name: 'batch 2, seq 7, 2 heads of 64, dropout 0.1', batch: 2, seq: 7, heads: 2, headDim: 64, padding: [1, 0], dropout: true },
];

const FUSED_SHADERS = ['attentionMix', 'attentionScores', 'attentionSoftmaxGrad'];

test.describe('fused attention on WebGPU (SwiftShader)', () => {
  test('context, probabilities and gradients match the tf-ops path (1e-4, 1e-3), in fewer dispatches and without leaks', async ({ page }) => {
    await openHarness(page);
    const results = await page.evaluate(async ({ url, cases }) => {
      const harness: AttentionHarness = await import(/* @vite-ignore */ url);
      return harness.attentionCheck(cases);
    }, { url: HARNESS, cases: CASES });
    for (const r of results) {
      console.log(`${r.name}: context ${r.contextError.toExponential(2)}, probs ${r.probsError.toExponential(2)}, ` +
        `gradients ${r.gradientErrors.map((e) => e.toExponential(2)).join(' ')}; dispatches ${r.fusedDispatches} (${r.attentionDispatches} attention) vs ${r.composedDispatches}`);
    }
    expect(results.map((r) => r.name)).toEqual(CASES.map((c) => c.name));
    for (const [i, r] of results.entries()) {
      const dropout = CASES[i].dropout;
      expect(r.fusedShaders, r.name).toEqual(expect.arrayContaining(FUSED_SHADERS));
      expect(r.composedShaders.filter((s) => s.startsWith('attention')), r.name).toEqual([]);
      expect(r.contextError, r.name).toBeLessThanOrEqual(1e-4);
      expect(r.probsError, r.name).toBeLessThanOrEqual(1e-4);
      // The hidden states, then the query, key and value weights and biases.
      expect(r.gradientErrors, r.name).toHaveLength(7);
      expect(r.gradientErrors.filter((e) => !(e <= 1e-3)), r.name).toEqual([]);
      expect(r.paddingProbability, r.name).toBe(0);
      if (dropout) expect(r.dropoutEffect, `${r.name}: dropout drops`).toBeGreaterThan(1e-3);
      // Forward and backward of the attention core: 2 + 5 dispatches, against the composed path's 22 and its
      // dropout's up to 5 more (tfjs runs ops on small tensors still on the CPU there); the projections around the
      // core are the same on both paths.
      expect(r.attentionDispatches, r.name).toBe(7);
      expect(r.composedDispatches - r.fusedDispatches, r.name).toBeGreaterThanOrEqual(15);
      expect(new Set(r.tensorCounts).size, `${r.name}: tensors after each pass ${r.tensorCounts}`).toBe(1);
    }
  });

  test('a seeded training pass of a whole model gives the tf-ops path\'s loss and gradients, with and without gradient checkpointing', async ({ page }) => {
    await openHarness(page);
    const result = await page.evaluate(async (url) => {
      const harness: AttentionHarness = await import(/* @vite-ignore */ url);
      return harness.attentionModelCheck();
    }, HARNESS);
    for (const s of result.settings) {
      console.log(`model, checkpointing ${s.gradientCheckpointing}: loss ${s.lossError.toExponential(2)}, worst gradient ${s.worstGradientError.toExponential(2)} over ${result.parameters} parameters`);
    }
    expect(result.parameters).toBeGreaterThan(30);
    expect(result.settings.map((s) => s.gradientCheckpointing)).toEqual([false, true]);
    for (const s of result.settings) {
      expect(s.lossError).toBeLessThanOrEqual(1e-4);
      expect(s.worstGradientError).toBeLessThanOrEqual(1e-3);
      // 2 layers × 7; with checkpointing each layer's forward pass runs again in the backward pass: 2 × 2 more.
      expect(s.attentionDispatches).toBe(s.gradientCheckpointing ? 18 : 14);
    }
  });

  for (const fixture of ['base', 'regression']) {
    test(`${fixture} golden fixture: outputs and losses within 1e-4, gradients within 1e-3 relative of PyTorch, through the fused kernels`, async ({ page }) => {
      await openHarness(page);
      const { report, shaders } = await page.evaluate(async ({ url, fixture }) => {
        const harness: AttentionHarness = await import(/* @vite-ignore */ url);
        return harness.attentionGolden(fixture);
      }, { url: HARNESS, fixture });
      expect(shaders).toEqual(expect.arrayContaining(FUSED_SHADERS));
      expect(report.results.filter((r) => r.kind === 'gradient').length).toBeGreaterThan(0);
      expect(report.results.filter((r) => r.name.startsWith('attentions.')).length).toBeGreaterThan(0);
      expect(report.results.filter((r) => !r.pass)).toEqual([]);
    });
  }
});
