import { expect, test, type Page } from '@playwright/test';
import { isSoftwareAdapter } from '../src/kernels/adapter';

// The fused LayerNorm and GELU kernels (src/kernels/webgpuLayerNorm.ts, webgpuGelu.ts) and the Linear's bias folded
// into its matMul (webgpuLinear.ts), through src/model/nn.ts as the model calls them: against the composed tf-ops
// form (each kernel's flag off) on WebGPU, against the same formulas in float64, and against the PyTorch golden
// fixtures, in headless Chromium on SwiftShader, where backend.ts registers them (a hardware adapter skips these).

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type Nn = typeof import('../src/model/nn');

/** What the checks keep on the harness page between evaluations. */
interface PageState {
  tf: Tf;
  nn: Nn;
  flags: { layerNorm: string; gelu: string; bias: string };
  /** `fn`'s outputs with the flag `flag` set to `on`, and the WebGPU programs dispatched meanwhile. */
  run(fn: () => Tensor[], flag: string, on: boolean): Promise<Outputs>;
  /** Largest difference over the largest magnitude of the expected values. */
  relError(actual: number[], expected: number[]): number;
  /** The distinct programs among shader keys (each up to its first '_'). */
  family(programs: string[]): string[];
}

interface Outputs {
  data: number[][];
  shapes: number[][];
  /** Shader keys of the programs dispatched, in order (one per dispatch). */
  programs: string[];
}

/** One op at one shape: worst relative errors of each output (forward value, then each gradient). */
interface Comparison {
  name: string;
  /** max |fused − composed| / max |composed|, per output. */
  vsOps: number[];
  /** max |fused − float64 reference| / max |reference|, per output. */
  vsExact: number[];
  sameShapes: boolean;
  /** Dispatches of the forward pass alone and of forward plus backward (given dy), fused and composed. */
  dispatches: { forward: number; step: number; composedForward: number; composedStep: number };
  /** The fused programs dispatched in the fused step (shader keys up to their first '_'). */
  fusedPrograms: string[];
  composedPrograms: string[];
}

async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const adapter = await page.evaluate(async () => {
    const { tf } = window.harness;
    const urls = ['/src/kernels/backend.ts', '/src/model/nn.ts', '/src/kernels/webgpuLayerNorm.ts', '/src/kernels/webgpuGelu.ts', '/src/kernels/webgpuLinear.ts', '/e2e/harness/kernelCheck.ts'];
    const [{ initBackend }, nn, { FUSED_LAYER_NORM_FLAG }, { FUSED_GELU_FLAG }, { FUSED_BIAS_FLAG }, { recordPrograms, withFlag, relError }] = await Promise.all(urls.map((url) => import(/* @vite-ignore */ url))) as [
      typeof import('../src/kernels/backend'),
      Nn,
      typeof import('../src/kernels/webgpuLayerNorm'),
      typeof import('../src/kernels/webgpuGelu'),
      typeof import('../src/kernels/webgpuLinear'),
      typeof import('./harness/kernelCheck'),
    ];
    const info = await initBackend('webgpu');
    const programs = recordPrograms();
    const state: PageState = {
      tf,
      nn,
      flags: { layerNorm: FUSED_LAYER_NORM_FLAG, gelu: FUSED_GELU_FLAG, bias: FUSED_BIAS_FLAG },
      run: (fn, flag, on) => withFlag(programs, flag, on, fn),
      relError,
      family: (programs) => [...new Set(programs.map((key) => key.split('_')[0]))],
    };
    (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck = state;
    return info.adapter;
  });
  test.skip(!isSoftwareAdapter(adapter), `backend.ts registers the fused kernels only on software adapters, not on ${adapter}`);
}

/** Shapes [rows, features]: odd sizes, one row, more rows than a workgroup (64), and BERT's 768. */
const SHAPES = [[7, 33], [7, 100], [5, 768], [1, 16], [130, 36], [4, 4]];

function report(comparisons: Comparison[]): void {
  for (const c of comparisons) {
    const errors = (values: number[]) => values.map((e) => e.toExponential(1)).join(' ');
    console.log(`${c.name}: vs tf ops [${errors(c.vsOps)}], vs float64 [${errors(c.vsExact)}]; dispatches forward ${c.dispatches.forward} (composed ${c.dispatches.composedForward}), forward + backward ${c.dispatches.step} (composed ${c.dispatches.composedStep})`);
  }
}

/** Forward within 1e-4 and gradients within 1e-3 relative, of both the composed form and the float64 reference. */
function expectClose(comparisons: Comparison[], outputs: number): void {
  expect(comparisons.filter((c) => !c.sameShapes)).toEqual([]);
  for (const c of comparisons) {
    expect(c.vsOps).toHaveLength(outputs);
    expect(c.vsExact).toHaveLength(outputs);
    const tolerance = (i: number) => (i === 0 ? 1e-4 : 1e-3);
    expect(c.vsOps.map((e, i) => e <= tolerance(i)), `${c.name} against tf ops: ${c.vsOps}`).toEqual(c.vsOps.map(() => true));
    expect(c.vsExact.map((e, i) => e <= tolerance(i)), `${c.name} against float64: ${c.vsExact}`).toEqual(c.vsExact.map(() => true));
  }
}

test.describe('fused LayerNorm, GELU and Linear bias on WebGPU (SwiftShader)', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
  });

  test('LayerNorm: one dispatch each way; value within 1e-4 and dx, dγ, dβ within 1e-3 of tf ops and float64', async ({ page }) => {
    const comparisons = await page.evaluate(async (shapes) => {
      const { tf, nn, flags, run, relError, family } = (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck;
      const eps = 1e-12;
      const results: Comparison[] = [];
      for (const [i, [rows, cols]] of shapes.entries()) {
        // Rows off zero and of different spreads (row r's is r + 1), so that centring and scaling both matter.
        const x = tf.add(tf.mul(tf.randomNormal([rows, cols], 0, 1, 'float32', 4 * i + 1), tf.range(1, rows + 1).reshape([rows, 1])), 2);
        const gamma = tf.add(tf.randomNormal([cols], 0, 0.2, 'float32', 4 * i + 2), 1);
        const beta = tf.randomNormal([cols], 0, 0.5, 'float32', 4 * i + 3);
        const dy = tf.randomNormal([rows, cols], 0, 1, 'float32', 4 * i + 4);
        const norm = (xs: Tensor, g: Tensor, b: Tensor) =>
          nn.layerNorm(new Map([['ln.weight', g], ['ln.bias', b]]) as Parameters<Nn['layerNorm']>[0], 'ln', xs as import('@tensorflow/tfjs').Tensor2D, eps);
        const forward = () => [norm(x, gamma, beta)];
        const step = () => [norm(x, gamma, beta), ...tf.grads(norm)([x, gamma, beta], dy)];
        const [fusedForward, fused, composedForward, composed] = [
          await run(forward, flags.layerNorm, true),
          await run(step, flags.layerNorm, true),
          await run(forward, flags.layerNorm, false),
          await run(step, flags.layerNorm, false),
        ];
        // float64: y = x̂·γ + β; with g = dy·γ, dx = (g − mean(g) − x̂·mean(g·x̂))/σ, dγ = Σ dy·x̂, dβ = Σ dy.
        const [xs, gs, bs, dys] = await Promise.all([x, gamma, beta, dy].map(async (t) => Array.from(await t.data())));
        const exact = [new Array<number>(rows * cols), new Array<number>(rows * cols), new Array<number>(cols).fill(0), new Array<number>(cols).fill(0)];
        for (let r = 0; r < rows; r++) {
          const row = xs.slice(r * cols, (r + 1) * cols);
          const mean = row.reduce((a, v) => a + v, 0) / cols;
          const rstd = 1 / Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / cols + eps);
          const xHat = row.map((v) => (v - mean) * rstd);
          const g = xHat.map((_, k) => dys[r * cols + k] * gs[k]);
          const meanG = g.reduce((a, v) => a + v, 0) / cols;
          const meanGX = g.reduce((a, v, k) => a + v * xHat[k], 0) / cols;
          for (let k = 0; k < cols; k++) {
            exact[0][r * cols + k] = xHat[k] * gs[k] + bs[k];
            exact[1][r * cols + k] = (g[k] - meanG - xHat[k] * meanGX) * rstd;
            exact[2][k] += dys[r * cols + k] * xHat[k];
            exact[3][k] += dys[r * cols + k];
          }
        }
        tf.dispose([x, gamma, beta, dy]);
        results.push({
          name: `LayerNorm [${rows}, ${cols}]`,
          vsOps: fused.data.map((values, j) => relError(values, composed.data[j])),
          vsExact: fused.data.map((values, j) => relError(values, exact[j])),
          sameShapes: JSON.stringify(fused.shapes) === JSON.stringify(composed.shapes) &&
            JSON.stringify(fused.shapes) === JSON.stringify([[rows, cols], [rows, cols], [cols], [cols]]),
          // The step runs the forward pass twice (once for its value, once under the gradient tape).
          dispatches: { forward: fusedForward.programs.length, step: fused.programs.length, composedForward: composedForward.programs.length, composedStep: composed.programs.length },
          fusedPrograms: family(fused.programs),
          composedPrograms: family(composed.programs),
        });
      }
      return results;
    }, SHAPES);
    report(comparisons);
    expect(comparisons).toHaveLength(SHAPES.length);
    expectClose(comparisons, 4);
    for (const c of comparisons) {
      expect(c.fusedPrograms, c.name).toEqual(['fusedLayerNorm', 'fusedLayerNormGrad']);
      expect(c.composedPrograms.filter((key) => key.startsWith('fused')), c.name).toEqual([]);
      // Forward: one dispatch; forward twice and backward: three.
      expect(c.dispatches, c.name).toMatchObject({ forward: 1, step: 3 });
      expect(c.dispatches.composedStep, c.name).toBeGreaterThan(15);
    }
  });

  test('GELU: one dispatch each way; value within 1e-4 and dx within 1e-3 of tf ops and float64', async ({ page }) => {
    const comparisons = await page.evaluate(async (shapes) => {
      const { tf, nn, flags, run, relError, family } = (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck;
      // erfc by Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7), not the kernels' Abramowitz-Stegun form.
      const erf = (z: number) => {
        const t = 1 / (1 + 0.5 * Math.abs(z));
        const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
          t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 1 - erfc : erfc - 1;
      };
      const results: Comparison[] = [];
      for (const [i, [rows, cols]] of shapes.entries()) {
        const x = tf.mul(tf.randomNormal([rows, cols], 0, 1, 'float32', 2 * i + 1), 3);
        const dy = tf.randomNormal([rows, cols], 0, 1, 'float32', 2 * i + 2);
        const gelu = (xs: Tensor) => nn.activation('gelu', xs as import('@tensorflow/tfjs').Tensor2D);
        const forward = () => [gelu(x)];
        const step = () => [gelu(x), ...tf.grads((xs: Tensor) => gelu(xs))([x], dy)];
        const [fusedForward, fused, composedForward, composed] = [
          await run(forward, flags.gelu, true),
          await run(step, flags.gelu, true),
          await run(forward, flags.gelu, false),
          await run(step, flags.gelu, false),
        ];
        const [xs, dys] = await Promise.all([x, dy].map(async (t) => Array.from(await t.data())));
        const cdf = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
        const exact = [
          xs.map((v) => v * cdf(v)),
          xs.map((v, j) => dys[j] * (cdf(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI))),
        ];
        tf.dispose([x, dy]);
        results.push({
          name: `GELU [${rows}, ${cols}]`,
          vsOps: fused.data.map((values, j) => relError(values, composed.data[j])),
          vsExact: fused.data.map((values, j) => relError(values, exact[j])),
          sameShapes: JSON.stringify(fused.shapes) === JSON.stringify(composed.shapes) &&
            JSON.stringify(fused.shapes) === JSON.stringify([[rows, cols], [rows, cols]]),
          dispatches: { forward: fusedForward.programs.length, step: fused.programs.length, composedForward: composedForward.programs.length, composedStep: composed.programs.length },
          fusedPrograms: family(fused.programs),
          composedPrograms: family(composed.programs),
        });
      }
      return results;
    }, SHAPES);
    report(comparisons);
    expect(comparisons).toHaveLength(SHAPES.length);
    expectClose(comparisons, 2);
    for (const c of comparisons) {
      expect(c.fusedPrograms, c.name).toEqual(['fusedGelu']);
      expect(c.composedPrograms.filter((key) => key.startsWith('fused')), c.name).toEqual([]);
      expect(c.dispatches, c.name).toMatchObject({ forward: 1, step: 3 });
      expect(c.dispatches.composedStep, c.name).toBeGreaterThan(15);
    }
  });

  test('Linear: the bias added in the matMul (one dispatch); value within 1e-4 and dx, dW, db within 1e-3 of tf ops and float64', async ({ page }) => {
    const shapes = [[7, 33, 17], [5, 768, 100], [130, 36, 8], [1, 16, 1]];
    const comparisons = await page.evaluate(async (shapes) => {
      const { tf, nn, flags, run, relError, family } = (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck;
      const results: Comparison[] = [];
      for (const [i, [rows, inner, outer]] of shapes.entries()) {
        const x = tf.randomNormal([rows, inner], 0, 1, 'float32', 4 * i + 1);
        const weight = tf.randomNormal([outer, inner], 0, 0.3, 'float32', 4 * i + 2);
        const bias = tf.randomNormal([outer], 0, 1, 'float32', 4 * i + 3);
        const dy = tf.randomNormal([rows, outer], 0, 1, 'float32', 4 * i + 4);
        const dense = (xs: Tensor, w: Tensor, b: Tensor) =>
          nn.linear(new Map([['fc.weight', w], ['fc.bias', b]]) as Parameters<Nn['linear']>[0], 'fc', xs as import('@tensorflow/tfjs').Tensor2D);
        const forward = () => [dense(x, weight, bias)];
        const step = () => [dense(x, weight, bias), ...tf.grads(dense)([x, weight, bias], dy)];
        const [fusedForward, fused, composedForward, composed] = [
          await run(forward, flags.bias, true),
          await run(step, flags.bias, true),
          await run(forward, flags.bias, false),
          await run(step, flags.bias, false),
        ];
        // float64: y = x·Wᵀ + b, dx = dy·W, dW = dyᵀ·x, db = Σ dy.
        const [xs, ws, bs, dys] = await Promise.all([x, weight, bias, dy].map(async (t) => Array.from(await t.data())));
        const exact = [new Array<number>(rows * outer).fill(0), new Array<number>(rows * inner).fill(0), new Array<number>(outer * inner).fill(0), new Array<number>(outer).fill(0)];
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < outer; o++) {
            const d = dys[r * outer + o];
            exact[0][r * outer + o] = bs[o];
            exact[3][o] += d;
            for (let k = 0; k < inner; k++) {
              exact[0][r * outer + o] += xs[r * inner + k] * ws[o * inner + k];
              exact[1][r * inner + k] += d * ws[o * inner + k];
              exact[2][o * inner + k] += d * xs[r * inner + k];
            }
          }
        }
        tf.dispose([x, weight, bias, dy]);
        results.push({
          name: `Linear [${rows}, ${inner}] → ${outer}`,
          vsOps: fused.data.map((values, j) => relError(values, composed.data[j])),
          vsExact: fused.data.map((values, j) => relError(values, exact[j])),
          sameShapes: JSON.stringify(fused.shapes) === JSON.stringify(composed.shapes) &&
            JSON.stringify(fused.shapes) === JSON.stringify([[rows, outer], [rows, inner], [outer, inner], [outer]]),
          dispatches: { forward: fusedForward.programs.length, step: fused.programs.length, composedForward: composedForward.programs.length, composedStep: composed.programs.length },
          fusedPrograms: family(fused.programs),
          composedPrograms: family(composed.programs),
        });
      }
      return results;
    }, shapes);
    report(comparisons);
    expect(comparisons).toHaveLength(shapes.length);
    expectClose(comparisons, 4);
    for (const c of comparisons) {
      // The bias is added as the matMul stores (the blocked kernel with a bias) instead of by a separate Add.
      expect(c.fusedPrograms.filter((key) => key.startsWith('binary')), c.name).toEqual([]);
      expect(c.composedPrograms, c.name).toContain('binary');
      expect(c.dispatches, c.name).toMatchObject({ forward: 1, composedForward: 2 });
      expect(c.dispatches.step, c.name).toBe(c.dispatches.composedStep - 2);
    }
  });

  test('no tensor or GPU buffer is left behind over repeated forward and backward passes', async ({ page }) => {
    const counts = await page.evaluate(async () => {
      const { tf, nn } = (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck;
      const params = new Map([
        ['fc.weight', tf.variable(tf.randomNormal([48, 33], 0, 0.3, 'float32', 1))],
        ['fc.bias', tf.variable(tf.randomNormal([48], 0, 1, 'float32', 2))],
        ['ln.weight', tf.variable(tf.add(tf.randomNormal([48], 0, 0.2, 'float32', 3), 1))],
        ['ln.bias', tf.variable(tf.randomNormal([48], 0, 0.5, 'float32', 4))],
      ]);
      const x = tf.randomNormal<import('@tensorflow/tfjs').Rank.R2>([7, 33], 0, 1, 'float32', 5);
      // Linear → GELU → LayerNorm, as in a BERT layer's feed-forward block.
      const loss = () => tf.sum<import('@tensorflow/tfjs').Scalar>(tf.square(nn.layerNorm(params, 'ln', nn.activation('gelu', nn.linear(params, 'fc', x)), 1e-12)));
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const counts: { tensors: number; dataIds: number }[] = [];
      for (let i = 0; i < 4; i++) {
        const { value, grads } = tf.variableGrads(loss);
        await value.data();
        tf.dispose([value, ...Object.values(grads)]);
        counts.push({ tensors: tf.memory().numTensors, dataIds: backend.numDataIds() });
      }
      tf.dispose([x, ...params.values()]);
      return counts;
    });
    console.log(`after each pass: ${counts.map((c) => `${c.tensors} tensors, ${c.dataIds} buffers`).join('; ')}`);
    expect(counts).toHaveLength(4);
    expect(new Set(counts.map((c) => JSON.stringify(c))).size).toBe(1);
  });

  test('the PyTorch golden fixtures pass with the fused kernels dispatched', async ({ page }) => {
    for (const fixture of ['base', 'regression']) {
      const { report, programs } = await page.evaluate(async (fixture) => {
        const { tf } = (window as unknown as { fusedOpsCheck: PageState }).fusedOpsCheck;
        const keys: string[] = [];
        const gpu = tf.backend() as unknown as { runWebGPUProgram(program: { shaderKey: string }, ...rest: unknown[]): unknown };
        const runProgram = gpu.runWebGPUProgram;
        gpu.runWebGPUProgram = function (this: unknown, program, ...rest) {
          const out = runProgram.call(this, program, ...rest);
          keys.push(program.shaderKey);
          return out;
        };
        try {
          return { report: await window.harness.goldenCheck(fixture, 'webgpu'), programs: [...new Set(keys.map((key) => key.split('_')[0]))] };
        } finally {
          gpu.runWebGPUProgram = runProgram;
        }
      }, fixture);
      for (const kind of ['forward', 'loss', 'gradient']) {
        const errors = report.results.filter((r) => r.kind === kind).map((r) => r.error);
        console.log(`${fixture}: worst ${kind} error ${Math.max(...errors).toExponential(2)}`);
      }
      expect(programs).toEqual(expect.arrayContaining(['fusedLayerNorm', 'fusedLayerNormGrad', 'fusedGelu']));
      expect(report.results.length).toBeGreaterThan(0);
      expect(report.results.filter((r) => !r.pass)).toEqual([]);
    }
  });
});
