import { expect, test, type Page } from '@playwright/test';
import { isSoftwareAdapter } from '../src/kernels/adapter';

// The blocked matMul (src/kernels/webgpuMatMul.ts) against tfjs's own WebGPU kernel and against element-wise tf ops,
// in headless Chromium on SwiftShader, where backend.ts registers it (a hardware adapter skips these).

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;

/** What the checks keep on the harness page between evaluations. */
interface PageState {
  tf: Tf;
  /** `fn`'s outputs with the blocked kernel on or off, and whether one of its programs ran. */
  compute(fn: () => Tensor | Tensor[], blocked: boolean): Promise<Outputs>;
  /** A·B from broadcast multiply and Sum alone: no matMul kernel runs. */
  opsMatMul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor;
  /** Largest difference over the largest magnitude of the expected values. */
  relError(actual: Outputs, expected: Outputs): number;
  /** `product` with the blocked kernel against tfjs's kernel and against `ops` (the same product from tf ops). */
  compare(name: string, product: () => Tensor, ops: () => Tensor): Promise<Comparison>;
}

interface Outputs {
  shapes: number[][];
  data: number[][];
  ranBlocked: boolean;
  /** A blocked program that shares A's rows across a subgroup ran. */
  ranShared: boolean;
}

/** One comparison: the blocked kernel's result against tfjs's kernel (when it has one) and against tf ops. */
interface Comparison {
  name: string;
  ranBlocked: boolean;
  ranShared: boolean;
  stockRanBlocked: boolean;
  sameShapes: boolean;
  vsStock: number | null;
  vsOps: number;
}

/** `subgroups`: whether the blocked kernel shares A's rows across a subgroup, where the device has subgroups. */
async function openHarness(page: Page, subgroups: boolean): Promise<boolean> {
  await page.goto('/e2e/harness/index.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const adapter = await page.evaluate(async (subgroups) => {
    const { tf } = window.harness;
    const [backendUrl, kernelUrl] = ['/src/kernels/backend.ts', '/src/kernels/webgpuMatMul.ts'];
    const { initBackend }: typeof import('../src/kernels/backend') = await import(/* @vite-ignore */ backendUrl);
    const { BLOCKED_MATMUL_FLAG, SUBGROUP_MATMUL_FLAG }: typeof import('../src/kernels/webgpuMatMul') = await import(/* @vite-ignore */ kernelUrl);
    const subgroupsUrl = '/src/kernels/webgpuSubgroups.ts';
    const { subgroupsEnabled }: typeof import('../src/kernels/webgpuSubgroups') = await import(/* @vite-ignore */ subgroupsUrl);
    const info = await initBackend('webgpu');
    tf.env().set(SUBGROUP_MATMUL_FLAG, subgroups);

    const programs: string[] = [];
    const gpu = tf.backend() as unknown as { runWebGPUProgram(program: { shaderKey: string }, ...rest: unknown[]): unknown };
    const runProgram = gpu.runWebGPUProgram;
    gpu.runWebGPUProgram = function (this: unknown, program, ...rest) {
      programs.push(program.shaderKey);
      return runProgram.call(this, program, ...rest);
    };
    const swapLastTwo = (x: Tensor) => {
      const perm = x.shape.map((_, i) => i);
      [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
      return tf.transpose(x, perm);
    };
    const state: PageState = {
      tf,
      async compute(fn, blocked) {
        tf.env().set(BLOCKED_MATMUL_FLAG, blocked);
        programs.length = 0;
        try {
          const out = tf.tidy(fn);
          const tensors = Array.isArray(out) ? out : [out];
          const data = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
          tf.dispose(tensors);
          const ranBlocked = programs.some((key) => key.startsWith('blockedMatMul'));
          return { shapes: tensors.map((t) => t.shape), data, ranBlocked, ranShared: programs.some((key) => key.startsWith('blockedMatMul') && key.endsWith('_true')) };
        } finally {
          tf.env().set(BLOCKED_MATMUL_FLAG, true);
        }
      },
      opsMatMul(a, b, transposeA, transposeB) {
        const [a2, b2] = [transposeA ? swapLastTwo(a) : a, transposeB ? swapLastTwo(b) : b];
        return tf.sum(tf.mul(tf.expandDims(a2, -1), tf.expandDims(b2, -3)), -2); // [..., m, k, 1] · [..., 1, k, n] summed over k
      },
      relError(actual, expected) {
        let [worst, scale] = [0, 0];
        expected.data.forEach((values, i) => values.forEach((value, j) => {
          worst = Math.max(worst, Math.abs(actual.data[i][j] - value));
          scale = Math.max(scale, Math.abs(value));
        }));
        return scale === 0 ? worst : worst / scale;
      },
      async compare(name, product, ops) {
        const ours = await state.compute(product, true);
        const stock = await state.compute(product, false);
        const reference = await state.compute(ops, true);
        return {
          name,
          ranBlocked: ours.ranBlocked,
          ranShared: ours.ranShared,
          stockRanBlocked: stock.ranBlocked,
          sameShapes: JSON.stringify([ours.shapes, stock.shapes]) === JSON.stringify([reference.shapes, reference.shapes]),
          vsStock: state.relError(ours, stock),
          vsOps: state.relError(ours, reference),
        };
      },
    };
    (window as unknown as { blockedMatMulCheck: PageState }).blockedMatMulCheck = state;
    return { adapter: info.adapter, sharing: subgroups && subgroupsEnabled() };
  }, subgroups);
  test.skip(!isSoftwareAdapter(adapter.adapter), `backend.ts registers the blocked matMul only on software adapters, not on ${adapter.adapter}`);
  return adapter.sharing;
}

function report(comparisons: Comparison[]): void {
  for (const c of comparisons) {
    console.log(`${c.name}: vs tfjs ${c.vsStock?.toExponential(2) ?? '(none)'}, vs tf ops ${c.vsOps.toExponential(2)}${c.ranBlocked ? '' : ' (tfjs kernel)'}`);
  }
}

/** [m, k, n]: odd sizes (edges in every direction, scalar loads) and multiples of 4 (vec4 loads and stores). */
const SIZES = [[7, 13, 5], [1, 1, 1], [33, 65, 17], [64, 128, 96], [36, 20, 8]];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;
/** Stored shape of an operand: [..., rows, cols], or [..., cols, rows] when transposed. */
const stored = (batch: number[], rows: number, cols: number, transposed: boolean) => [...batch, ...(transposed ? [cols, rows] : [rows, cols])];

// With subgroups (SwiftShader has them, 4 lanes), lanes share A's rows; without, every lane loads them.
for (const subgroups of [true, false]) test.describe(`blocked matMul on WebGPU (SwiftShader)${subgroups ? ', A\'s rows shared across a subgroup' : ', no subgroups'}`, () => {
  let sharing = false;
  test.beforeEach(async ({ page }) => {
    sharing = await openHarness(page, subgroups);
  });

  test('BatchMatMul equals tfjs\'s kernel and tf ops within 1e-5 for every transpose, odd shapes and batches', async ({ page }) => {
    const cases: [string, number[], number[], boolean, boolean, boolean][] = [];
    for (const [m, k, n] of SIZES) {
      for (const [tA, tB] of TRANSPOSES) cases.push([`${m}×${k}×${n} tA=${tA} tB=${tB}`, stored([], m, k, tA), stored([], k, n, tB), tA, tB, true]);
    }
    cases.push(
      ['batched [3]: 7×13×5', stored([3], 7, 13, false), stored([3], 13, 5, false), false, false, true],
      ['batched [2, 3], tA: 33×16×20', stored([2, 3], 33, 16, true), stored([2, 3], 16, 20, false), true, false, true],
      ['A broadcast [1] against [4], tB: 7×13×5', stored([1], 7, 13, false), stored([4], 13, 5, true), false, true, true],
      ['B rank 2 against A [2, 3], tA tB: 9×8×12', stored([2, 3], 9, 8, true), stored([], 8, 12, true), true, true, true],
    );
    const comparisons = await page.evaluate(async (cases) => {
      const { tf, opsMatMul, compare } = (window as unknown as { blockedMatMulCheck: PageState }).blockedMatMulCheck;
      const results: Comparison[] = [];
      for (const [i, [name, aShape, bShape, tA, tB]] of cases.entries()) {
        const a = tf.randomNormal(aShape, 0, 1, 'float32', 2 * i + 1);
        const b = tf.randomNormal(bShape, 0, 1, 'float32', 2 * i + 2);
        results.push(await compare(name, () => tf.matMul(a, b, tA, tB), () => opsMatMul(a, b, tA, tB)));
        tf.dispose([a, b]);
      }
      return results;
    }, cases);
    report(comparisons);
    expect(comparisons.map((c) => [c.name, c.ranBlocked])).toEqual(cases.map(([name, , , , , blocked]) => [name, blocked]));
    expect(comparisons.some((c) => c.ranShared)).toBe(sharing);
    if (subgroups) expect(sharing, 'SwiftShader offers subgroups of 4 lanes').toBe(true);
    expect(comparisons.filter((c) => c.stockRanBlocked)).toEqual([]);
    expect(comparisons.filter((c) => !c.sameShapes || !(c.vsStock! <= 1e-5) || !(c.vsOps <= 1e-5))).toEqual([]);
  });

  test('operands that tfjs keeps in int32 buffers (float32 casts of oneHot) multiply as their float values', async ({ page }) => {
    const comparisons = await page.evaluate(async () => {
      const { tf, opsMatMul, compare } = (window as unknown as { blockedMatMulCheck: PageState }).blockedMatMulCheck;
      // As src/model/nn.ts builds them: tfjs's Cast from int32 to float32 keeps the int32 buffer.
      const oneHot = (ids: number[], depth: number) => tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), depth), 'float32');
      const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
      const cases: [string, () => [Tensor, Tensor], boolean, boolean][] = [
        ['token types: oneHot [9, 2] · table [2, 12]', () => [oneHot([0, 1, 1, 0, 0, 1, 0, 1, 1], 2), normal([2, 12], 1)], false, false],
        ['their gradient: oneHot [9, 2]ᵀ · dy [9, 12]', () => [oneHot([0, 1, 1, 0, 0, 1, 0, 1, 1], 2), normal([9, 12], 2)], true, false],
        ['x [5, 16] · oneHot [6, 16]ᵀ', () => [normal([5, 16], 3), oneHot([3, 15, 0, 7, 7, 12], 16)], false, true],
        ['oneHot [8, 8] · oneHot [8, 8]', () => [oneHot([1, 2, 3, 4, 5, 6, 7, 0], 8), oneHot([7, 6, 5, 4, 3, 2, 1, 0], 8)], false, false],
      ];
      const results: Comparison[] = [];
      for (const [name, operands, tA, tB] of cases) {
        results.push(await compare(name, () => tf.matMul(...operands(), tA, tB), () => opsMatMul(...operands(), tA, tB)));
      }
      return results;
    });
    report(comparisons);
    expect(comparisons.filter((c) => !c.ranBlocked || c.stockRanBlocked)).toEqual([]);
    expect(comparisons.filter((c) => !c.sameShapes || !(c.vsStock! <= 1e-5) || !(c.vsOps <= 1e-5))).toEqual([]);
  });

  test('_FusedMatMul with a bias and linear, relu or gelu equals tfjs\'s kernel and tf ops within 1e-5', async ({ page }) => {
    const cases: [string, number[], number[], number[], boolean, boolean, string, boolean][] = [];
    for (const [m, k, n] of [[33, 65, 17], [64, 128, 96]]) {
      for (const [tA, tB] of TRANSPOSES) {
        for (const activation of ['linear', 'relu', 'gelu']) {
          cases.push([`${m}×${k}×${n} tA=${tA} tB=${tB} + bias, ${activation}`, stored([], m, k, tA), stored([], k, n, tB), [n], tA, tB, activation, true]);
        }
      }
    }
    cases.push(
      ['batched [2]: 7×13×5 + bias [1, 5], relu', stored([2], 7, 13, false), stored([2], 13, 5, false), [1, 5], false, false, 'relu', true],
      // tfjs's kernel keeps what this one leaves: other activations and biases that vary along rows.
      ['33×65×17 + bias, leakyrelu (tfjs kernel)', stored([], 33, 65, false), stored([], 65, 17, false), [17], false, false, 'leakyrelu', false],
      ['33×65×17 + bias [33, 17] (tfjs kernel)', stored([], 33, 65, false), stored([], 65, 17, true), [33, 17], false, true, 'linear', false],
    );
    const comparisons = await page.evaluate(async (cases) => {
      const { tf, compute, opsMatMul, relError } = (window as unknown as { blockedMatMulCheck: PageState }).blockedMatMulCheck;
      type Activation = Parameters<typeof tf.fused.matMul>[0]['activation'];
      const activate = (x: Tensor, activation: string) => {
        switch (activation) {
          case 'relu':
            return tf.relu(x);
          case 'leakyrelu':
            return tf.leakyRelu(x, 0.2);
          case 'gelu': // exact: x · Φ(x), as src/model/nn.ts writes it
            return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
          default:
            return x;
        }
      };
      const results: Comparison[] = [];
      for (const [i, [name, aShape, bShape, biasShape, tA, tB, activation]] of cases.entries()) {
        const a = tf.randomNormal(aShape, 0, 1, 'float32', 3 * i + 1);
        const b = tf.randomNormal(bShape, 0, 1, 'float32', 3 * i + 2);
        const bias = tf.randomNormal(biasShape, 0, 1, 'float32', 3 * i + 3);
        // 'gelu' is no tfjs activation: the kernel is run directly, as a caller that fuses it would.
        const fused = () => activation === 'gelu'
          ? tf.engine().runKernel('_FusedMatMul', { a, b, bias }, { transposeA: tA, transposeB: tB, activation, leakyreluAlpha: 0 }) as Tensor
          : tf.fused.matMul({ a, b, bias, transposeA: tA, transposeB: tB, activation: activation as Activation, leakyreluAlpha: 0.2 });
        const ours = await compute(fused, true);
        const stock = activation === 'gelu' ? null : await compute(fused, false);
        const ops = await compute(() => activate(tf.add(opsMatMul(a, b, tA, tB), bias), activation), true);
        tf.dispose([a, b, bias]);
        results.push({
          name,
          ranBlocked: ours.ranBlocked,
          ranShared: ours.ranShared,
          stockRanBlocked: stock?.ranBlocked ?? false,
          sameShapes: JSON.stringify(ours.shapes) === JSON.stringify(ops.shapes) && (!stock || JSON.stringify(stock.shapes) === JSON.stringify(ops.shapes)),
          vsStock: stock && relError(ours, stock),
          vsOps: relError(ours, ops),
        });
      }
      return results;
    }, cases);
    report(comparisons);
    expect(comparisons.map((c) => [c.name, c.ranBlocked])).toEqual(cases.map(([name, , , , , , , blocked]) => [name, blocked]));
    expect(comparisons.filter((c) => c.stockRanBlocked)).toEqual([]);
    expect(comparisons.filter((c) => !c.sameShapes || !((c.vsStock ?? 0) <= 1e-5) || !(c.vsOps <= 1e-5))).toEqual([]);
  });

  test('gradients of a chain of matMuls equal those with tfjs\'s kernel within 1e-4', async ({ page }) => {
    const result = await page.evaluate(async () => {
      const { tf, compute, relError } = (window as unknown as { blockedMatMulCheck: PageState }).blockedMatMulCheck;
      const x = tf.randomNormal([18, 12], 0, 1, 'float32', 1);
      const w1 = tf.randomNormal([16, 12], 0, 0.3, 'float32', 2);
      const b1 = tf.randomNormal([16], 0, 0.3, 'float32', 3);
      const w2 = tf.randomNormal([16, 7], 0, 0.3, 'float32', 4);
      // A dense layer x·W1ᵀ + b (fused, linear: the form tfjs fuses under a gradient), attention-like scores h·hᵀ
      // per sequence, their product with h·W2, and a squared sum. (tfjs's BatchMatMul gradient does not reduce
      // broadcast batches, so every batched product here has equal batches, as in BERT.)
      const loss = (x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor) => {
        const h = tf.fused.matMul({ a: x, b: w1, bias: b1, transposeB: true }); // [tokens, 16]
        const perSequence = tf.reshape(h, [2, 9, 16]); // [sequences, seq, 16]
        const scores = tf.matMul(perSequence, perSequence, false, true); // [sequences, seq, seq]
        const values = tf.reshape(tf.matMul(h, w2), [2, 9, 7]); // [sequences, seq, 7]
        return tf.sum(tf.square(tf.matMul(scores, values))); // of [sequences, seq, 7]
      };
      const grads = () => tf.grads((x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor) => loss(x, w1, b1, w2))([x, w1, b1, w2]);
      const ours = await compute(grads, true);
      const stock = await compute(grads, false);
      tf.dispose([x, w1, b1, w2]);
      return {
        ranBlocked: ours.ranBlocked,
        stockRanBlocked: stock.ranBlocked,
        sameShapes: JSON.stringify(ours.shapes) === JSON.stringify(stock.shapes),
        relErrors: ours.data.map((_, i) => relError({ ...ours, data: [ours.data[i]] }, { ...stock, data: [stock.data[i]] })),
      };
    });
    console.log(`gradients (x, W1, b1, W2) vs tfjs kernel: ${result.relErrors.map((e) => e.toExponential(2)).join(', ')}`);
    expect(result).toMatchObject({ ranBlocked: true, stockRanBlocked: false, sameShapes: true });
    expect(result.relErrors).toHaveLength(4);
    expect(result.relErrors.filter((e) => !(e <= 1e-4))).toEqual([]);
  });
});
