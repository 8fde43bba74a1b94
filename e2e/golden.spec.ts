import { expect, test } from '@playwright/test';

// The same golden checks as src/model/bert/golden.test.ts, on the WebGPU backend (SwiftShader without a GPU).
const FIXTURES = ['base', 'regression', 'no-prefix', 'legacy-names', 'tied-decoder', 'no-pooler', 'question-answering', 'distilbert', 'electra', 'roberta', 'xlm-roberta', 'albert', 'lora'];

test.describe('tfjs BERT against the PyTorch golden fixtures on WebGPU', () => {
  for (const fixture of FIXTURES) {
    test(`${fixture}: outputs and losses within 1e-4, gradients within 1e-3 relative`, async ({ page }) => {
      await page.goto('/e2e/harness/index.html');
      await expect(page.locator('#status')).toHaveText('ready');
      const report = await page.evaluate((name) => window.harness.goldenCheck(name, 'webgpu'), fixture);
      expect(report.backend).toBe('webgpu');
      expect(report.results.length).toBeGreaterThan(0);
      for (const kind of ['forward', 'loss', 'gradient']) {
        const errors = report.results.filter((r) => r.kind === kind).map((r) => r.error);
        if (errors.length > 0) console.log(`${fixture} webgpu: worst ${kind} error ${Math.max(...errors).toExponential(2)}`);
      }
      expect(report.results.filter((r) => !r.pass)).toEqual([]);
    });
  }
});
