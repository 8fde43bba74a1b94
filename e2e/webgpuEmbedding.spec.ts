import { expect, test, type Page } from '@playwright/test';
import { isSoftwareAdapter } from '../src/kernels/adapter';

// The fused embedding gradient (src/kernels/webgpuEmbedding.ts) through src/model/embeddingLookup.ts as the model
// calls it: against the composed path (the flag off: a one-hot matMul and scatterND) on WebGPU, against the same
// sums in float64, and against the PyTorch golden fixtures, in headless Chromium on SwiftShader, where backend.ts
// registers it (a hardware adapter skips these).

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;

/** What the checks keep on the harness page between evaluations. */
interface PageState {
  tf: Tf;
  lookup: typeof import('../src/model/embeddingLookup').embeddingLookup;
  flag: string;
  /** `fn`'s outputs with the flag set to `on`, and the shader keys of the WebGPU programs dispatched meanwhile. */
  run(fn: () => Tensor[], on: boolean): Promise<{ data: number[][]; shapes: number[][]; programs: string[] }>;
  /** Largest difference over the largest magnitude of the expected values. */
  relError(actual: number[], expected: number[]): number;
  /** Shader keys as they are counted, for the golden check. */
  programs: string[];
}

/** One table and batch of ids: worst relative errors of the value and the gradient, and the dispatches. */
interface Comparison {
  name: string;
  /** [value, gradient]: max |fused − composed| / max |composed|. */
  vsComposed: number[];
  /** [value, gradient]: max |fused − float64| / max |float64|. */
  vsExact: number[];
  sameShapes: boolean;
  /** Shader keys of the backward pass alone (forward plus backward minus forward), fused and composed. */
  fusedBackward: string[];
  composedBackward: string[];
}

async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const adapter = await page.evaluate(async () => {
    const { tf } = window.harness;
    const urls = ['/src/kernels/backend.ts', '/src/model/embeddingLookup.ts', '/src/kernels/webgpuEmbedding.ts', '/e2e/harness/kernelCheck.ts'];
    const [{ initBackend }, { embeddingLookup }, { FUSED_EMBEDDING_FLAG }, { recordPrograms, withFlag, relError }] = await Promise.all(urls.map((url) => import(/* @vite-ignore */ url))) as [
      typeof import('../src/kernels/backend'),
      typeof import('../src/model/embeddingLookup'),
      typeof import('../src/kernels/webgpuEmbedding'),
      typeof import('./harness/kernelCheck'),
    ];
    const info = await initBackend('webgpu');
    const programs = recordPrograms();
    const state: PageState = {
      tf,
      lookup: embeddingLookup,
      flag: FUSED_EMBEDDING_FLAG,
      programs,
      run: (fn, on) => withFlag(programs, FUSED_EMBEDDING_FLAG, on, fn),
      relError,
    };
    (window as unknown as { embeddingCheck: PageState }).embeddingCheck = state;
    return info.adapter;
  });
  test.skip(!isSoftwareAdapter(adapter), `backend.ts registers the fused kernel only on software adapters, not on ${adapter}`);
}

/** [name, table rows, width, ids]: odd widths (not multiples of the kernel's 4-column block), heavy repeats, padding. */
type Case = [string, number, number, number[]];

function cases(): Case[] {
  // A deterministic stream, so that failures reproduce.
  let state = 12345;
  const next = (bound: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % bound;
  };
  const zipf = (count: number, rows: number) => Array.from({ length: count }, () => Math.min(rows - 1, Math.floor(rows / (1 + next(rows)))));
  // A padded batch of 4 × 128 over the full vocabulary: [CLS] … [SEP] then padding (id 0) to the end.
  const padded = Array.from({ length: 4 }, (_, b) => Array.from({ length: 128 }, (_, t) => (t === 0 ? 101 : t < 40 + 20 * b ? 1000 + next(29000) : t === 40 + 20 * b ? 102 : 0))).flat();
  return [
    ['vocab 37 × 16, 300 ids with many repeats', 37, 16, zipf(300, 37)],
    ['vocab 37 × 33, every row and its last', 37, 33, [...Array.from({ length: 37 }, (_, i) => 36 - i), 36, 0, 36]],
    ['vocab 120 × 33, one row touched 200 times', 120, 33, Array.from({ length: 200 }, () => 57)],
    ['vocab 120 × 16, one id', 120, 16, [119]],
    ['vocab 120 × 128, padding id 0 and repeats', 120, 128, Array.from({ length: 256 }, (_, n) => (n % 3 === 0 ? 0 : next(120)))],
    ['vocab 30522 × 128, padded batch 4 × 128', 30522, 128, padded],
    ['vocab 30522 × 33, 64 distinct ids', 30522, 33, Array.from({ length: 64 }, (_, n) => 30521 - 477 * n)],
    ['MLM positions: 130 tokens × 36, 20 distinct', 130, 36, Array.from({ length: 20 }, (_, n) => 6 * n + 1)],
  ];
}

test.describe('fused embedding gradient on WebGPU (SwiftShader)', () => {
  test.beforeEach(async ({ page }) => {
    await openHarness(page);
  });

  test('one dispatch backward; value and gradient within 1e-6 of the composed path and float64', async ({ page }) => {
    test.setTimeout(300_000);
    const comparisons = await page.evaluate(async (all) => {
      const { tf, lookup, run, relError } = (window as unknown as { embeddingCheck: PageState }).embeddingCheck;
      const results: Comparison[] = [];
      for (const [i, [name, rows, width, idList]] of all.entries()) {
        const ids = Int32Array.from(idList);
        const table = tf.randomNormal([rows, width], 0, 1, 'float32', 2 * i + 1);
        const dy = tf.randomNormal([ids.length, width], 0, 1, 'float32', 2 * i + 2);
        const forward = () => [lookup(table, ids)];
        const backward = () => tf.grads((t: Tensor) => lookup(t, ids))([table], dy);
        const [fusedForward, fusedBackward, composedForward, composedBackward] = [await run(forward, true), await run(backward, true), await run(forward, false), await run(backward, false)];
        const [fused, composed] = [[fusedForward, fusedBackward], [composedForward, composedBackward]].map(([f, b]) => ({ data: [...f.data, ...b.data], shapes: [...f.shapes, ...b.shapes] }));
        // float64: the value is table[ids]; the gradient's row r sums dy's rows n with ids[n] = r.
        const [tableValues, dyValues] = [Array.from(await table.data()), Array.from(await dy.data())];
        const value = Array.from(ids).flatMap((id) => tableValues.slice(id * width, (id + 1) * width));
        const grad = new Float64Array(rows * width);
        ids.forEach((id, n) => {
          for (let j = 0; j < width; j++) grad[id * width + j] += dyValues[n * width + j];
        });
        const exact = [value, Array.from(grad)];
        results.push({
          name,
          vsComposed: fused.data.map((d, k) => relError(d, composed.data[k])),
          vsExact: fused.data.map((d, k) => relError(d, exact[k])),
          sameShapes: JSON.stringify(fused.shapes) === JSON.stringify(composed.shapes) && JSON.stringify(fused.shapes[1]) === JSON.stringify([rows, width]),
          // tf.grads runs the forward pass again first.
          fusedBackward: fusedBackward.programs.slice(fusedForward.programs.length),
          composedBackward: composedBackward.programs.slice(composedForward.programs.length),
        });
        tf.dispose([table, dy]);
      }
      return results;
    }, cases());
    for (const c of comparisons) {
      const errors = (values: number[]) => values.map((e) => e.toExponential(1)).join(' ');
      console.log(`${c.name}: vs composed [${errors(c.vsComposed)}], vs float64 [${errors(c.vsExact)}]; backward dispatches ${c.fusedBackward.length} (composed ${c.composedBackward.length}: ${c.composedBackward.map((key) => key.split('_')[0]).join(', ')})`);
    }
    expect(comparisons).toHaveLength(cases().length);
    for (const c of comparisons) {
      expect(c.sameShapes, c.name).toBe(true);
      expect(c.vsComposed.every((e) => e <= 1e-6), `${c.name} against the composed path: ${c.vsComposed}`).toBe(true);
      expect(c.vsExact.every((e) => e <= 1e-6), `${c.name} against float64: ${c.vsExact}`).toBe(true);
      expect(c.fusedBackward.map((key) => key.split('_')[0]), c.name).toEqual(['embeddingGrad']);
      expect(c.composedBackward.length, c.name).toBeGreaterThan(1);
    }
  });

  test('no tensor or GPU buffer is left behind over repeated passes', async ({ page }) => {
    const counts = await page.evaluate(async () => {
      const { tf, lookup } = (window as unknown as { embeddingCheck: PageState }).embeddingCheck;
      const table = tf.variable(tf.randomNormal([120, 33], 0, 1, 'float32', 1));
      const ids = Int32Array.from({ length: 64 }, (_, n) => (n * 7) % 30);
      const weights = tf.randomNormal([ids.length, 33], 0, 1, 'float32', 2);
      const loss = () => tf.sum<import('@tensorflow/tfjs').Scalar>(tf.mul(lookup(table, ids), weights));
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const counts: { tensors: number; dataIds: number }[] = [];
      for (let i = 0; i < 4; i++) {
        const { value, grads } = tf.variableGrads(loss);
        await grads[table.name].data();
        tf.dispose([value, ...Object.values(grads)]);
        counts.push({ tensors: tf.memory().numTensors, dataIds: backend.numDataIds() });
      }
      tf.dispose([table, weights]);
      return counts;
    });
    console.log(`after each pass: ${counts.map((c) => `${c.tensors} tensors, ${c.dataIds} buffers`).join('; ')}`);
    expect(counts).toHaveLength(4);
    expect(new Set(counts.map((c) => JSON.stringify(c))).size).toBe(1);
  });

  test('the PyTorch golden fixtures pass with the fused embedding gradient dispatched', async ({ page }) => {
    test.setTimeout(300_000);
    for (const fixture of ['base', 'regression']) {
      const { report, programs } = await page.evaluate(async (fixture) => {
        const { programs } = (window as unknown as { embeddingCheck: PageState }).embeddingCheck;
        programs.length = 0;
        const report = await window.harness.goldenCheck(fixture, 'webgpu');
        return { report, programs: [...new Set(programs.map((key) => key.split('_')[0]))] };
      }, fixture);
      for (const kind of ['forward', 'loss', 'gradient']) {
        const errors = report.results.filter((r) => r.kind === kind).map((r) => r.error);
        console.log(`${fixture}: worst ${kind} error ${Math.max(...errors).toExponential(2)}`);
      }
      expect(programs).toContain('embeddingGrad');
      expect(report.results.length).toBeGreaterThan(0);
      expect(report.results.filter((r) => !r.pass)).toEqual([]);
    }
  });
});
