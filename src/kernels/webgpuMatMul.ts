/**
 * BatchMatMul and _FusedMatMul on WebGPU for software adapters (SwiftShader), in place of tfjs's tiled kernels.
 *
 * tfjs's matMul stages 32×32 tiles of both operands in workgroup memory between `workgroupBarrier()`s. That is how
 * a GPU wants it; on SwiftShader (WebGPU on the CPU) barriers are costly and workgroup memory is ordinary memory, so
 * staging only adds copies. Here each invocation computes a block of BLOCK_ROWS × BLOCK_COLS outputs straight from
 * the storage buffers, with no workgroup memory and no barriers. Per four steps along K it loads a BLOCK_ROWS×4 tile
 * of A and a 4×BLOCK_COLS tile of B (as vec4s where a row of the stored operand is a whole number of vec4s) and does
 * BLOCK_ROWS·BLOCK_COLS·4 multiply-adds on them. SwiftShader keeps each component of a vec4 in its own SIMD register
 * (its lanes are invocations), so rearranging a loaded tile into the order the products want costs nothing, and the
 * four transpose combinations share one inner loop.
 *
 * Where the device has subgroups of four lanes (SwiftShader's; webgpuSubgroups.ts gives tfjs's backend such a
 * device), the four lanes of a subgroup sit side by side along N on the same rows of A: each loads a quarter of the
 * block's A tile and `subgroupBroadcast` hands it to the others, instead of every lane loading all of it.
 *
 * Measured in headless Chromium 156 on two shared cores (2026-12-03, one page, each variant best of 3, interleaved):
 * at 512³ blocks of 8×4 outputs ran at 3.6 GFLOP/s, 8×8 at 5.6, and 8×8 with A's rows shared at 7.4, against
 * tfjs's 0.81 (9.1×); the same order held with A or B transposed and at 1024×256·256×1024. Blocks of 8×16 and
 * 16×8 were slower (4.2-4.6 GFLOP/s shared). Results are bit-identical with and without sharing.
 *
 * Handled: float32 tensors of any shape (edges are clamped on load and masked on store), batches equal on both sides
 * or 1 on one side; _FusedMatMul with no bias or a per-column bias ([..., N]) and activation linear, relu or gelu.
 * Everything else (int32 tensors, batches broadcast axis by axis, prelu weights, other activations, other bias
 * shapes) goes to tfjs's kernel. 'gelu' is not a tfjs activation: it is for callers that run _FusedMatMul with it
 * themselves (the exact x·Φ(x), with erf as tfjs's WebGPU Erf computes it); tfjs's kernel throws on it.
 *
 * Sums run along K in order, as tfjs's kernels sum: results differ from theirs in rounding only.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { SUBGROUP_MARKER, SUBGROUP_SIZE, subgroupsEnabled } from './webgpuSubgroups';

/** tfjs flag (on by default; the kernels are registered only on software adapters): off, tfjs's kernels run. */
export const BLOCKED_MATMUL_FLAG = 'BERT_STUDIO_BLOCKED_MATMUL';
tf.env().registerFlag(BLOCKED_MATMUL_FLAG, () => true);
/** tfjs flag: off, the blocked kernel loads A's rows in every lane even where the device has subgroups. */
export const SUBGROUP_MATMUL_FLAG = 'BERT_STUDIO_SUBGROUP_MATMUL';
tf.env().registerFlag(SUBGROUP_MATMUL_FLAG, () => true);

/** Outputs one invocation computes: rows of C (a multiple of 4 for vec4 loads of A's transposed rows, and of the subgroup size). */
export const BLOCK_ROWS = 8;
/** Columns of C one invocation computes (a multiple of 4: one vec4 accumulator per 4 columns and row). */
export const BLOCK_COLS = 8;
/** Invocations side by side along N share A's rows, which keeps SwiftShader's four lanes on the same A addresses. */
export const WORKGROUP: [number, number, number] = [16, 4, 1];

/** WebGPU's guaranteed maxComputeWorkgroupsPerDimension; a larger grid goes to tfjs's kernel. */
const MAX_WORKGROUPS = 65535;

/** Activations computed here (tfjs's names, plus 'gelu'). */
type BlockedActivation = 'linear' | 'relu' | 'gelu';
const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'gelu'] satisfies BlockedActivation[];

/** How one product runs: C[batch, m, n] = Σ_k A[batch, m, k] · B[batch, k, n], each operand as tfjs stores it. */
export interface MatMulPlan {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** The operands viewed as rank 3: [batches, rows, cols] of the stored (possibly transposed) matrix. */
  aShape: [number, number, number];
  bShape: [number, number, number];
  /** The op's output shape: the broadcast batch dimensions, then [m, n]. */
  outShape: number[];
  /** Whether each stored operand's rows are whole vec4s (its contiguous dimension is a multiple of 4). */
  vec4A: boolean;
  vec4B: boolean;
  /** Whether rows of C are whole vec4s (n a multiple of 4). */
  vec4Out: boolean;
  dispatch: [number, number, number];
}

const product = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);

/**
 * The plan for A·B with tfjs's transpose flags, or null for what this kernel leaves to tfjs: empty products, and
 * batch dimensions that broadcast other than as a whole (e.g. [2, 1] against [1, 3]). Throws, as tfjs does, on
 * inner dimensions that differ or batch dimensions that do not broadcast.
 */
export function planMatMul(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): MatMulPlan | null {
  const [aRows, aCols] = aShape.slice(-2);
  const [bRows, bCols] = bShape.slice(-2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== kB) throw new Error(`matMul: inner dimensions ${k} and ${kB} of [${aShape}] and [${bShape}] differ (transposeA=${transposeA}, transposeB=${transposeB})`);
  const outBatchDims = tf.backend_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  const [batchA, batchB, batch] = [product(aShape.slice(0, -2)), product(bShape.slice(0, -2)), product(outBatchDims)];
  // One side's batch is the output's and the other's is the same or 1: each operand is then found at batch index
  // min(batch, its batches − 1).
  const wholeBroadcast = batch === Math.max(batchA, batchB) && (batchA === batchB || batchA === 1 || batchB === 1);
  if (!wholeBroadcast || batch * m * n * k === 0) return null;
  const dispatch: [number, number, number] = [
    Math.ceil(n / BLOCK_COLS / WORKGROUP[0]),
    Math.ceil(m / BLOCK_ROWS / WORKGROUP[1]),
    batch,
  ];
  if (dispatch.some((d) => d > MAX_WORKGROUPS)) return null;
  return {
    batch,
    m,
    n,
    k,
    aShape: [batchA, aRows, aCols],
    bShape: [batchB, bRows, bCols],
    outShape: [...outBatchDims, m, n],
    vec4A: aCols % 4 === 0,
    vec4B: bCols % 4 === 0,
    vec4Out: n % 4 === 0,
    dispatch,
  };
}

/** Whether _FusedMatMul's extras are computed here: no prelu weights, a per-column bias or none, an activation above. */
export function fusedHandled(n: number, activation: string | null | undefined, biasShape: readonly number[] | undefined, hasPreluWeights: boolean): boolean {
  const biasHandled = !biasShape || (biasShape.at(-1) === n && product(biasShape) === n);
  return !hasPreluWeights && biasHandled && ACTIVATIONS.includes(activation ?? 'linear');
}

/** x·Φ(x) = x/2 · (1 + erf(x/√2)), erf by Abramowitz and Stegun 7.1.26 as tfjs's WebGPU Erf computes it. */
const GELU = `
  fn gelu(x : vec4<f32>) -> vec4<f32> {
    let z = x * ${Math.SQRT1_2};
    let t = 1.0 / (1.0 + ${tf.backend_util.ERF_P} * abs(z));
    let poly = ((((${tf.backend_util.ERF_A5} * t + ${tf.backend_util.ERF_A4}) * t + ${tf.backend_util.ERF_A3}) * t +
      ${tf.backend_util.ERF_A2}) * t + ${tf.backend_util.ERF_A1}) * t;
    let erf = sign(z) * (1.0 - poly * exp(-z * z));
    return x * 0.5 * (1.0 + erf);
  }`;

const range = (count: number) => Array.from({ length: count }, (_, i) => i);
const vec4Of = (parts: string[]) => `vec4<f32>(${parts.join(', ')})`;

class BlockedMatMulProgram implements WebGPUProgram {
  variableNames: string[];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  shaderKey: string;
  // Not flat, so tfjs calls main() without a flat index; invocations find their block from globalId themselves.
  dispatchLayout = { x: [2], y: [1], z: [0] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor(
    private readonly plan: MatMulPlan,
    private readonly transposeA: boolean,
    private readonly transposeB: boolean,
    private readonly hasBias: boolean,
    private readonly activation: BlockedActivation,
    /** A's rows loaded once per subgroup and broadcast (A not transposed, whole-vec4 rows), not once per lane. */
    private readonly shareRows: boolean,
  ) {
    this.variableNames = hasBias ? ['A', 'B', 'bias'] : ['A', 'B'];
    this.variableComponents = [plan.vec4A ? 4 : 1, plan.vec4B ? 4 : 1, plan.vec4Out ? 4 : 1].slice(0, this.variableNames.length);
    this.outputComponent = plan.vec4Out ? 4 : 1;
    this.outputShape = [plan.batch, plan.m, plan.n];
    this.dispatch = plan.dispatch;
    this.shaderKey = `blockedMatMul_${transposeA}_${transposeB}_${plan.vec4A}_${plan.vec4B}_${plan.vec4Out}_${hasBias}_${activation}_${shareRows}`;
  }

  getUserCode(): string {
    const rows = range(BLOCK_ROWS);
    const quads = range(BLOCK_ROWS / 4);
    const cols = range(BLOCK_COLS);
    const vecs = range(BLOCK_COLS / 4);
    const { vec4A, vec4B, vec4Out } = this.plan;
    const [tA, tB] = [this.transposeA, this.transposeB];
    // Flat element indices of A(row, k) and B(k, col) in the stored layouts, and element reads at them.
    const aIndex = (row: string, k: string) => (tA ? `aOffset + (${k}) * M + ${row}` : `aOffset + ${row} * K + ${k}`);
    const bIndex = (k: string, col: string) => (tB ? `bOffset + ${col} * K + ${k}` : `bOffset + (${k}) * N + ${col}`);
    // Every read converts to f32: tfjs keeps a float32 cast of int32 or bool data in the original i32 buffer (its
    // Cast shares the buffer where no precision is lost), and binds the buffer with its own type.
    const vec = (name: string, vec4Index: string) => `vec4<f32>(${name}[${vec4Index}])`;
    const element = (name: string, vec4: boolean, index: string) => (vec4 ? `f32(${name}[(${index}) / 4][(${index}) % 4])` : `f32(${name}[${index}])`);
    const aAt = (row: string, k: string) => element('A', vec4A, aIndex(row, k));
    const bAt = (k: string, col: string) => element('B', vec4B, bIndex(k, col));

    // a<r>: A(row r of the block, k..k+3) as a vec4 over k. A transposed with whole-vec4 rows is read along M, four
    // rows of the block per vec4, and rearranged (free on SwiftShader, which keeps each component in a register).
    // Lanes of a subgroup sit side by side along N (WORKGROUP's x), on the same rows: each loads its share of them.
    const perLane = BLOCK_ROWS / SUBGROUP_SIZE;
    // A transposed is read along M, four k-rows of quads: lane j loads row k + j's quads.
    const loadA = this.shareRows && tA
      ? [
        ...quads.map((q) => `let own${q} = ${vec('A', `(aOffset + (k + i32(subgroupLane)) * M) / 4 + rowQuad${q}`)};`),
        ...range(4).flatMap((j) => quads.map((q) => `let at${j}_${q} = subgroupBroadcast(own${q}, ${j}u);`)),
        ...rows.map((r) => `let a${r} = ${vec4Of(range(4).map((j) => `at${j}_${Math.floor(r / 4)}[${r % 4}]`))};`),
      ]
      : this.shareRows
      ? [
        ...range(perLane).map((j) => `let own${j} = ${vec('A', `(aOffset + laneRow${j} * K + k) / 4`)};`),
        ...rows.map((r) => `let a${r} = subgroupBroadcast(own${r % perLane}, ${Math.floor(r / perLane)}u);`),
      ]
      : !tA && vec4A
      ? rows.map((r) => `let a${r} = ${vec('A', `(${aIndex(`rowAt${r}`, 'k')}) / 4`)};`)
      : tA && vec4A
        ? [
          ...range(4).flatMap((j) => quads.map((q) => `let at${j}_${q} = ${vec('A', `(aOffset + (k + ${j}) * M) / 4 + rowQuad${q}`)};`)),
          ...rows.map((r) => `let a${r} = ${vec4Of(range(4).map((j) => `at${j}_${Math.floor(r / 4)}[${r % 4}]`))};`),
        ]
        : rows.map((r) => `let a${r} = ${vec4Of(range(4).map((j) => aAt(`rowAt${r}`, `k + ${j}`)))};`);
    // b<j>_<v>: B(k+j, columns 4v..4v+3 of the block) as a vec4 over columns. B transposed with whole-vec4 rows is read
    // along K, one column of the block per vec4, and rearranged likewise.
    const loadB = !tB && vec4B
      ? range(4).flatMap((j) => vecs.map((v) => `let b${j}_${v} = ${vec('B', `(bOffset + (k + ${j}) * N) / 4 + colQuad${v}`)};`))
      : tB && vec4B
        ? [
          ...cols.map((c) => `let bt${c} = ${vec('B', `(${bIndex('k', `colAt${c}`)}) / 4`)};`),
          ...range(4).flatMap((j) => vecs.map((v) => `let b${j}_${v} = ${vec4Of(range(4).map((i) => `bt${4 * v + i}[${j}]`))};`)),
        ]
        : range(4).flatMap((j) => vecs.map((v) => `let b${j}_${v} = ${vec4Of(range(4).map((i) => bAt(`k + ${j}`, `colAt${4 * v + i}`)))};`));
    const accumulate = rows.flatMap((r) => vecs.map((v) =>
      `acc${r}_${v} = acc${r}_${v} + a${r}.x * b0_${v} + a${r}.y * b1_${v} + a${r}.z * b2_${v} + a${r}.w * b3_${v};`));
    // The last K % 4 steps, one at a time with element reads.
    const tail = [
      ...rows.map((r) => `let a${r} = ${aAt(`rowAt${r}`, 'k')};`),
      ...vecs.map((v) => `let b${v} = ${vec4Of(range(4).map((i) => bAt('k', `colAt${4 * v + i}`)))};`),
      ...rows.flatMap((r) => vecs.map((v) => `acc${r}_${v} = acc${r}_${v} + a${r} * b${v};`)),
    ];

    const bias = (v: number) => (vec4Out ? vec('bias', `colQuad${v}`) : vec4Of(range(4).map((i) => element('bias', false, `colAt${4 * v + i}`))));
    const activate = {
      linear: '',
      relu: 'value = select(value, vec4<f32>(0.0), value < vec4<f32>(0.0));', // as tfjs's relu: NaN stays NaN
      gelu: 'value = gelu(value);',
    }[this.activation];
    const write = (v: number) => (vec4Out
      ? [`if (col0 + ${4 * v} < N) { setOutputAtIndex(rowStart / 4 + ${v}, value); }`]
      : range(4).map((i) => `if (col0 + ${4 * v + i} < N) { setOutputAtIndex(rowStart + ${4 * v + i}, value[${i}]); }`));
    const store = rows.flatMap((r) => [
      `if (row0 + ${r} < M) {`,
      `  let rowStart = outOffset + (row0 + ${r}) * N + col0;`,
      ...vecs.flatMap((v) => [
        `  {`,
        `    var value = acc${r}_${v};`,
        ...(this.hasBias ? [`    value = value + ${bias(v)};`] : []),
        ...(activate ? [`    ${activate}`] : []),
        ...write(v).map((line) => `    ${line}`),
        `  }`,
      ]),
      `}`,
    ]);

    const lines = (code: string[], indent: string) => code.join(`\n${indent}`);
    return `
      ${this.shareRows ? SUBGROUP_MARKER : ''}
      ${this.activation === 'gelu' ? GELU : ''}
      fn main() {
        let M = uniforms.outShape.y;
        let N = uniforms.outShape.z;
        let K = ${tA ? 'uniforms.aShape.y' : 'uniforms.aShape.z'};
        let col0 = i32(globalId.x) * ${BLOCK_COLS};
        let row0 = i32(globalId.y) * ${BLOCK_ROWS};
        let batch = i32(globalId.z);
        ${this.shareRows ? '// No early return: subgroupBroadcast needs every lane (stores are masked).' : 'if (col0 >= N || row0 >= M) { return; }'}
        // An operand with a batch of 1 serves every batch of the other.
        let aOffset = min(batch, uniforms.aShape.x - 1) * M * K;
        let bOffset = min(batch, uniforms.bShape.x - 1) * K * N;
        let outOffset = batch * M * N;
        // Rows and columns past the edge read the last one's values, and are not stored.
        ${lines(rows.map((r) => `let rowAt${r} = min(row0 + ${r}, M - 1);`), '        ')}
        ${this.shareRows && !tA ? lines(range(perLane).map((j) => `let laneRow${j} = min(row0 + i32(subgroupLane) * ${perLane} + ${j}, M - 1);`), '        ') : ''}
        ${lines(cols.map((c) => `let colAt${c} = min(col0 + ${c}, N - 1);`), '        ')}
        ${lines(quads.map((q) => `let rowQuad${q} = min(row0 / 4 + ${q}, (M - 1) / 4);`), '        ')}
        ${lines(vecs.map((v) => `let colQuad${v} = min(col0 / 4 + ${v}, (N - 1) / 4);`), '        ')}
        ${lines(rows.flatMap((r) => vecs.map((v) => `var acc${r}_${v} = vec4<f32>(0.0);`)), '        ')}
        let kMain = K - K % 4;
        for (var k = 0; k < kMain; k = k + 4) {
          ${lines([...loadA, ...loadB, ...accumulate], '          ')}
        }
        for (var k = kMain; k < K; k = k + 1) {
          ${lines(tail, '          ')}
        }
        ${lines(store, '        ')}
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** BatchMatMul's inputs and attributes, and _FusedMatMul's (which adds the optional ones). */
interface MatMulInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  bias?: tf.TensorInfo | null;
  preluActivationWeights?: tf.TensorInfo | null;
}
interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string | null;
}

/** Marks our kernels in tfjs's registry, which outlives this module if it is evaluated again (HMR). */
const REPLACED = Symbol.for('bert-studio.blocked-matmul');

function blockedKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const { a, b, bias, preluActivationWeights } = inputs as unknown as MatMulInputs;
    const { transposeA, transposeB, activation } = attrs as unknown as MatMulAttrs;
    const float32 = [a, b, bias].every((t) => !t || t.dtype === 'float32');
    if (!tf.env().getBool(BLOCKED_MATMUL_FLAG) || !float32) return stock(args);
    const plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    if (plan === null || !fusedHandled(plan.n, activation, bias?.shape, !!preluActivationWeights)) return stock(args);
    const shareRows = subgroupsEnabled() && tf.env().getBool(SUBGROUP_MATMUL_FLAG) && plan.vec4A;
    const program = new BlockedMatMulProgram(plan, transposeA, transposeB, !!bias, (activation ?? 'linear') as BlockedActivation, shareRows);
    // A reshape in tfjs's WebGPU backend is the same buffer under another shape.
    const programInputs = [{ ...a, shape: plan.aShape }, { ...b, shape: plan.bShape }, ...(bias ? [bias] : [])];
    const out = (backend as WebGPUBackend).runWebGPUProgram(program, programInputs, 'float32'); // [batch, m, n]
    return { ...out, shape: plan.outShape };
  };
}

/**
 * Puts the blocked kernels in place of tfjs-backend-webgpu's BatchMatMul and _FusedMatMul. Call only where the
 * adapter is a software one: on a GPU tfjs's tiled kernels are the fast ones. Idempotent.
 */
export function registerBlockedMatMul(): void {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const stock = tf.getKernel(kernelName, 'webgpu');
    if (!stock) throw new Error(`tfjs-backend-webgpu has no ${kernelName} kernel to wrap`);
    if (REPLACED in stock.kernelFunc) continue; // wrapping our own kernel would delegate to itself
    // Unregistering first replaces the kernel without tfjs's "already registered" warning.
    tf.unregisterKernel(kernelName, 'webgpu');
    tf.registerKernel({ ...stock, kernelFunc: Object.assign(blockedKernel(stock.kernelFunc), { [REPLACED]: true }) });
  }
}
