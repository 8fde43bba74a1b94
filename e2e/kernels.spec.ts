import { expect, test } from '@playwright/test';

// The fused WGSL kernels against their tf-ops reference on WebGPU (SwiftShader without a GPU).
test.describe('fused kernels on WebGPU', () => {
  test('AdamW: parameters, their updates and both moments match the tf-ops form within 1e-5 over 5 steps', async ({ page }) => {
    await page.goto('/tools/bench/page.html');
    await page.waitForFunction(() => 'bench' in window);
    const result = await page.evaluate(() => window.bench.checkAdamW('webgpu', 5));
    expect(result.backend).toBe('webgpu');
    expect(result.fusedUsed).toBe(true);
    // 4 tensors × (param, update, m, v)
    expect(result.errors).toHaveLength(16);
    const worst = Math.max(...result.errors.map((e) => e.relError));
    console.log(`AdamW fused vs tf-ops: worst relative error ${worst.toExponential(2)}`);
    expect(result.errors.filter((e) => !(e.relError <= 1e-5))).toEqual([]);
    // The frozen stretch (steps 2-3) allocates nothing new; from step 1 on the tensor count stays flat.
    expect(new Set(result.tensorCounts).size).toBe(1);
  });

  test('loop reductions and softmax: values and gradients match tfjs kernels within 1e-5', async ({ page }) => {
    await page.goto('/tools/bench/page.html');
    await page.waitForFunction(() => 'bench' in window);
    const result = await page.evaluate(() => window.bench.checkReductions());
    expect(result.backend).toBe('webgpu');
    expect(result.shaders).toEqual(expect.arrayContaining(['loopReduce_sum', 'loopReduce_mean', 'loopReduce_max', 'loopSoftmax']));
    for (const c of result.cases) console.log(`${c.name}: relative error ${c.relError.toExponential(2)}`);
    expect(result.cases.filter((c) => !c.sameShapes || !(c.relError <= 1e-5))).toEqual([]);
  });
});
