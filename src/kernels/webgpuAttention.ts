/**
 * BERT's attention core on WebGPU in a few dispatches, for software adapters (SwiftShader), where the cost of a
 * training step is mostly the number of dispatches (docs/PERFORMANCE.md).
 *
 * The tf-ops form (src/model/bert/attention.ts) splits Q, K and V into heads with three transposes, then runs
 * matMul, div, add, softmax, dropout's add, floor, div and mul, matMul and a transpose back: 13 dispatches forward
 * and about as many backward per layer. Here two ops, each with its gradient written out, read Q, K and V where the
 * projections leave them ([tokens, hidden], head h in columns h·D … h·D + D − 1) and write the context there:
 *
 * - attentionProbs: P = softmax(Q·Kᵀ / √D + mask) per (batch, head), one dispatch. Backward: dS = P ⊙ (dP − rowsum(dP ⊙ P))
 *   (one dispatch), then dQ = dS·K / √D and dK = dSᵀ·Q / √D (one each).
 * - attentionContext: C = (P ⊙ dropout multiplier)·V, one dispatch. Backward: dP = multiplier ⊙ (dC·Vᵀ) and
 *   dV = (P ⊙ multiplier)ᵀ·dC, one each.
 *
 * Seven dispatches per layer and training step instead of about 27. The probabilities stay an op's output, so the
 * attention explorer (outputAttentions) reads them as before. The two are not fused into one op: a customGrad op has
 * one output, and one that returned only the context would leave no probabilities to show.
 *
 * Dropout: its uniform draws come in as a tensor (`noise`) that the caller draws exactly as tf.dropout draws them
 * (randomUniform on the CPU with the same seed, an upload and no dispatch); the kernels apply tf.dropout's multiplier
 * floor(u + keep) / keep to each probability as they read it. Results then match the tf-ops path's random stream.
 *
 * One invocation per row of a (batch, head): its D values of the row operand stay in registers (vec4s, D a multiple
 * of 4) while it loops over the other rows; no workgroup memory and no barriers, which SwiftShader makes costly.
 * Dot products sum four partial sums, not one: results differ from tfjs's in rounding only.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { isSoftwareAdapter } from './adapter';

/** tfjs flag (on by default; the kernels run only on software adapters): off, attention is composed of tf ops. */
export const FUSED_ATTENTION_FLAG = 'BERT_STUDIO_FUSED_ATTENTION';
tf.env().registerFlag(FUSED_ATTENTION_FLAG, () => true);

const SCORES_KERNEL = 'BertStudioAttentionScores';
const SOFTMAX_GRAD_KERNEL = 'BertStudioAttentionSoftmaxGrad';
const MIX_KERNEL = 'BertStudioAttentionMix';

/** How Q, K, V and the context lie in their [batch · seq, heads · headDim] tensors. */
export interface HeadLayout {
  batch: number;
  seq: number;
  heads: number;
  headDim: number;
}

/** tf.dropout's draws for the probabilities (uniform in [0, 1), [batch, heads, seq, seq]) and its rate. */
export interface AttentionDropout {
  noise: tf.Tensor4D;
  rate: number;
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/** One invocation per row r = (b · heads + h) · seq + i of the [batch, heads, seq, seq] probabilities. */
abstract class RowProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  uniforms = 'seq : i32, heads : i32, rows : i32, divisor : f32, keep : f32';
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor(outputShape: number[], protected readonly layout: HeadLayout) {
    this.outputShape = outputShape;
    const rows = [layout.batch * layout.heads * layout.seq];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(rows);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, rows, this.workgroupSize);
  }

  abstract getUserCode(): string;

  /** The row's batch b, head h and position i, and where row i of head h starts in a token tensor, in vec4s. */
  protected rowStart(): string {
    return `
          let i = row % uniforms.seq;
          let h = (row / uniforms.seq) % uniforms.heads;
          let b = row / (uniforms.seq * uniforms.heads);
          let hidden = uniforms.heads * ${this.layout.headDim};
          let rowBase = ((b * uniforms.seq + i) * hidden + h * ${this.layout.headDim}) / 4;
          // Row j of head h in a token tensor: colBase + j * hidden / 4.
          let colBase = (b * uniforms.seq * hidden + h * ${this.layout.headDim}) / 4;`;
  }

  /** tf.dropout's multiplier for the draw at `index`. */
  protected static multiplier(index: string): string {
    return `(floor(noise[${index}] + uniforms.keep) / uniforms.keep)`;
  }
}

/**
 * Row i of X·Yᵀ for one head (X, Y token tensors): with `softmax`, softmax(·/divisor + mask) (the mask [batch, 1, 1, seq]);
 * otherwise the products times dropout's multiplier where there is noise.
 */
class ScoresProgram extends RowProgram {
  variableNames: string[];
  variableComponents: number[];
  shaderKey: string;

  constructor(layout: HeadLayout, private readonly mode: 'softmax' | 'product' | 'droppedProduct') {
    super([layout.batch, layout.heads, layout.seq, layout.seq], layout);
    this.variableNames = ['rowTokens', 'colTokens', ...(mode === 'softmax' ? ['mask'] : mode === 'droppedProduct' ? ['noise'] : [])];
    this.variableComponents = [4, 4, 1].slice(0, this.variableNames.length);
    this.shaderKey = `attentionScores_${mode}_${layout.headDim}`;
  }

  getUserCode(): string {
    const quads = range(this.layout.headDim / 4);
    const dot = `let partial = ${quads.map((q) => `x${q} * colTokens[colRow + ${q}]`).join(' + ')};
            let dot = partial.x + partial.y + partial.z + partial.w;`;
    const perKey = {
      softmax: `let value = dot / uniforms.divisor + mask[b * uniforms.seq + j];
            result[first + j] = value;
            rowMax = max(rowMax, value);`,
      product: 'result[first + j] = dot;',
      droppedProduct: `result[first + j] = dot * ${RowProgram.multiplier('first + j')};`,
    }[this.mode];
    // The scores are kept in the output as they are computed and read back for the softmax's two passes.
    const softmax = this.mode !== 'softmax' ? '' : `
          var rowSum = 0.0;
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            rowSum = rowSum + exp(result[first + j] - rowMax);
          }
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            result[first + j] = exp(result[first + j] - rowMax) / rowSum;
          }`;
    return `
      fn main(row : i32) {
        if (row < uniforms.rows) {
          ${this.rowStart()}
          ${quads.map((q) => `let x${q} = rowTokens[rowBase + ${q}];`).join('\n          ')}
          let first = row * uniforms.seq;
          ${this.mode === 'softmax' ? 'var rowMax = -uniforms.INFINITY;' : ''}
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            let colRow = colBase + j * hidden / 4;
            ${dot}
            ${perKey}
          }
          ${softmax}
        }
      }`;
  }
}

/** dS = P ⊙ (dP − rowsum(dP ⊙ P)), written as tfjs's softmax gradient writes it: dP ⊙ P − rowsum(dP ⊙ P) ⊙ P. */
class SoftmaxGradProgram extends RowProgram {
  variableNames = ['probs', 'dProbs'];
  shaderKey = 'attentionSoftmaxGrad';

  constructor(layout: HeadLayout) {
    super([layout.batch, layout.heads, layout.seq, layout.seq], layout);
  }

  getUserCode(): string {
    return `
      fn main(row : i32) {
        if (row < uniforms.rows) {
          let first = row * uniforms.seq;
          var total = 0.0;
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            total = total + dProbs[first + j] * probs[first + j];
          }
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            let p = probs[first + j];
            result[first + j] = dProbs[first + j] * p - total * p;
          }
        }
      }`;
  }
}

/**
 * Row i of op(W)·T / divisor for one head, written into a token tensor: W a [batch, heads, seq, seq] matrix (op(W) = W
 * or its transpose, times dropout's multiplier where there is noise), T a token tensor.
 */
class MixProgram extends RowProgram {
  variableNames: string[];
  variableComponents: number[];
  outputComponent = 4;
  shaderKey: string;

  constructor(layout: HeadLayout, private readonly transposed: boolean, private readonly dropped: boolean) {
    super([layout.batch * layout.seq, layout.heads * layout.headDim], layout);
    this.variableNames = ['weights', 'tokens', ...(dropped ? ['noise'] : [])];
    this.variableComponents = [1, 4, 1].slice(0, this.variableNames.length);
    this.shaderKey = `attentionMix_${transposed}_${dropped}_${layout.headDim}`;
  }

  getUserCode(): string {
    const quads = range(this.layout.headDim / 4);
    // Lanes are neighbouring rows i: transposed, they read neighbouring weights.
    const at = this.transposed ? 'matrixBase + j * uniforms.seq + i' : 'matrixBase + i * uniforms.seq + j';
    const weight = this.dropped ? `weights[at] * ${RowProgram.multiplier('at')}` : 'weights[at]';
    return `
      fn main(row : i32) {
        if (row < uniforms.rows) {
          ${this.rowStart()}
          let matrixBase = (row - i) * uniforms.seq;
          ${quads.map((q) => `var acc${q} = vec4<f32>(0.0);`).join('\n          ')}
          for (var j = 0; j < uniforms.seq; j = j + 1) {
            let at = ${at};
            let w = ${weight};
            let colRow = colBase + j * hidden / 4;
            ${quads.map((q) => `acc${q} = acc${q} + w * tokens[colRow + ${q}];`).join('\n            ')}
          }
          ${quads.map((q) => `setOutputAtIndex(rowBase + ${q}, acc${q} / uniforms.divisor);`).join('\n          ')}
        }
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Attributes every kernel here takes. */
interface AttentionAttrs {
  layout: HeadLayout;
  divisor: number;
  /** 1 − dropout's rate (1 without noise). */
  keep: number;
}

function run(program: RowProgram, { inputs, backend, attrs }: KernelArgs, names: string[]): tf.TensorInfo {
  const { layout, divisor, keep } = attrs as unknown as AttentionAttrs;
  const rows = layout.batch * layout.heads * layout.seq;
  const uniforms = [
    { type: 'int32', data: [layout.seq] },
    { type: 'int32', data: [layout.heads] },
    { type: 'int32', data: [rows] },
    { type: 'float32', data: [divisor] },
    { type: 'float32', data: [keep] },
  ];
  const programInputs = names.map((name) => inputs[name] as tf.TensorInfo);
  return (backend as WebGPUBackend).runWebGPUProgram(program, programInputs, 'float32', uniforms);
}

tf.registerKernel({
  kernelName: SCORES_KERNEL,
  backendName: 'webgpu',
  kernelFunc: (args) => {
    const { mode, layout } = (args as KernelArgs).attrs as unknown as { mode: ScoresProgram['mode'] } & AttentionAttrs;
    const third = mode === 'softmax' ? ['mask'] : mode === 'droppedProduct' ? ['noise'] : [];
    return run(new ScoresProgram(layout, mode), args as KernelArgs, ['rowTokens', 'colTokens', ...third]);
  },
});

tf.registerKernel({
  kernelName: SOFTMAX_GRAD_KERNEL,
  backendName: 'webgpu',
  kernelFunc: (args) => {
    const { layout } = (args as KernelArgs).attrs as unknown as AttentionAttrs;
    return run(new SoftmaxGradProgram(layout), args as KernelArgs, ['probs', 'dProbs']);
  },
});

tf.registerKernel({
  kernelName: MIX_KERNEL,
  backendName: 'webgpu',
  kernelFunc: (args) => {
    const { layout, transposed } = (args as KernelArgs).attrs as unknown as { transposed: boolean } & AttentionAttrs;
    const dropped = 'noise' in (args as KernelArgs).inputs;
    return run(new MixProgram(layout, transposed, dropped), args as KernelArgs, ['weights', 'tokens', ...(dropped ? ['noise'] : [])]);
  },
});

/**
 * Whether the fused attention runs for heads of `headDim` values: the flag is on, the backend is WebGPU on a software
 * adapter (where the kernels were measured; on a GPU tfjs's tiled matMuls are the fast ones) and the head splits into vec4s.
 */
export function fusedAttentionAvailable(headDim: number): boolean {
  if (!tf.env().getBool(FUSED_ATTENTION_FLAG) || tf.getBackend() !== 'webgpu' || headDim % 4 !== 0) return false;
  return isSoftwareAdapter((tf.backend() as WebGPUBackend).device.adapterInfo);
}

const attrsOf = (layout: HeadLayout, extra: Record<string, unknown> = {}, keep = 1) =>
  ({ layout, divisor: Math.sqrt(layout.headDim), keep, ...extra }) as unknown as tf.NamedAttrMap;

function checkTokens(name: string, x: tf.Tensor, layout: HeadLayout): void {
  const expected = [layout.batch * layout.seq, layout.heads * layout.headDim];
  if (!tf.util.arraysEqual(x.shape, expected) || x.dtype !== 'float32') {
    throw new Error(`fused attention: ${name} is ${x.dtype} [${x.shape}], expected float32 [${expected}]`);
  }
}

/**
 * softmax(Q·Kᵀ / √D + mask) per (batch, head): [batch, heads, seq, seq]. Q and K are [tokens, hidden]; the mask is
 * [batch, 1, 1, seq], added to every row (0 to attend, a large negative number for padding); it gets no gradient.
 */
export function attentionProbs(query: tf.Tensor2D, key: tf.Tensor2D, mask: tf.Tensor4D, layout: HeadLayout): tf.Tensor4D {
  checkTokens('query', query, layout);
  checkTokens('key', key, layout);
  if (!tf.util.arraysEqual(mask.shape, [layout.batch, 1, 1, layout.seq])) {
    throw new Error(`fused attention: mask is [${mask.shape}], expected [${[layout.batch, 1, 1, layout.seq]}]`);
  }
  const scores = (rowTokens: tf.Tensor, colTokens: tf.Tensor, mode: ScoresProgram['mode'], extra: tf.NamedTensorMap = {}) =>
    tf.engine().runKernel(SCORES_KERNEL, { rowTokens, colTokens, ...extra }, attrsOf(layout, { mode })) as tf.Tensor4D;
  const mix = (weights: tf.Tensor, tokens: tf.Tensor, transposed: boolean) =>
    tf.engine().runKernel(MIX_KERNEL, { weights, tokens }, attrsOf(layout, { transposed })) as tf.Tensor2D;
  const op = tf.customGrad((q, k, save) => {
    const probs = scores(q as tf.Tensor, k as tf.Tensor, 'softmax', { mask });
    (save as tf.GradSaveFunc)([q as tf.Tensor, k as tf.Tensor, probs]);
    return {
      value: probs,
      gradFunc: (dProbs: tf.Tensor, [savedQ, savedK, savedProbs]: tf.Tensor[]) => tf.tidy(() => {
        const attrs = attrsOf(layout);
        const dScores = tf.engine().runKernel(SOFTMAX_GRAD_KERNEL, { probs: savedProbs, dProbs }, attrs) as tf.Tensor4D;
        return [mix(dScores, savedK, false), mix(dScores, savedQ, true)];
      }),
    };
  });
  return op(query, key) as tf.Tensor4D;
}

/**
 * (P ⊙ dropout)·V per (batch, head), as [tokens, hidden] with head h in columns h·D … h·D + D − 1. P is
 * attentionProbs's output, V a [tokens, hidden] tensor; dropout, where given, is applied as tf.dropout applies it.
 */
export function attentionContext(probs: tf.Tensor4D, value: tf.Tensor2D, layout: HeadLayout, dropout?: AttentionDropout): tf.Tensor2D {
  checkTokens('value', value, layout);
  const square = [layout.batch, layout.heads, layout.seq, layout.seq];
  for (const [name, t] of Object.entries({ probs, noise: dropout?.noise })) {
    if (t && !tf.util.arraysEqual(t.shape, square)) throw new Error(`fused attention: ${name} is [${t.shape}], expected [${square}]`);
  }
  // tf.dropout computes 1 − rate in float64 and rounds it to float32 where it meets the draws; so does the uniform.
  const keep = dropout ? 1 - dropout.rate : 1;
  const noiseInput: tf.NamedTensorMap = dropout ? { noise: dropout.noise } : {};
  const attrs = (extra: Record<string, unknown>) => ({ ...attrsOf(layout, extra, keep), divisor: 1 }) as unknown as tf.NamedAttrMap;
  const op = tf.customGrad((p, v, save) => {
    const context = tf.engine().runKernel(MIX_KERNEL, { weights: p as tf.Tensor, tokens: v as tf.Tensor, ...noiseInput }, attrs({ transposed: false }));
    (save as tf.GradSaveFunc)([p as tf.Tensor, v as tf.Tensor, ...(dropout ? [dropout.noise] : [])]);
    return {
      value: context as tf.Tensor2D,
      gradFunc: (dContext: tf.Tensor, [savedProbs, savedValue, savedNoise]: tf.Tensor[]) => {
        const noise: tf.NamedTensorMap = savedNoise ? { noise: savedNoise } : {};
        const dProbs = tf.engine().runKernel(SCORES_KERNEL, { rowTokens: dContext, colTokens: savedValue, ...noise }, attrs({ mode: savedNoise ? 'droppedProduct' : 'product' }));
        const dValue = tf.engine().runKernel(MIX_KERNEL, { weights: savedProbs, tokens: dContext, ...noise }, attrs({ transposed: true }));
        return [dProbs as tf.Tensor, dValue as tf.Tensor];
      },
    };
  });
  return op(probs, value) as tf.Tensor2D;
}
