/**
 * The gradient of a row lookup (src/model/embeddingLookup.ts) as one WebGPU dispatch, for software adapters
 * (SwiftShader), where the cost of a training step is mostly the number of dispatches (docs/PERFORMANCE.md).
 *
 * The composed form sums dy's rows per distinct id with a matMul against a one-hot matrix, then writes the sums
 * into a zeroed [rows, width] gradient with scatterND (a fill and a scatter): three dispatches. Here the ids, known
 * in JS, are sorted by table row on the CPU into a CSR index: for every table row r, positions[start[r] ..
 * start[r + 1]) are the places n where ids[n] = r, ascending. One invocation per (table row, block of 4 columns)
 * sums those dy rows in that order and writes the block, zeros for the rows the batch does not touch. Each output
 * element has exactly one writer, so there are no atomics and the sum order is fixed: results are deterministic
 * and differ from the composed form's in rounding only.
 *
 * The loop has no barriers and no workgroup memory, which SwiftShader makes costly (see reductions.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export const EMBEDDING_GRAD_KERNEL = 'BertStudioEmbeddingGrad';

/** tfjs flag (on by default; the kernel is registered only on software adapters): off, the composed form runs. */
export const FUSED_EMBEDDING_FLAG = 'BERT_STUDIO_FUSED_EMBEDDING';
tf.env().registerFlag(FUSED_EMBEDDING_FLAG, () => true);

const WORKGROUP: [number, number, number] = [64, 1, 1];
/** Columns per invocation: neighbouring lanes take neighbouring blocks of a row, so their dy reads are contiguous. */
const BLOCK = 4;

class EmbeddingGradProgram implements WebGPUProgram {
  variableNames = ['dy', 'csr'];
  uniforms = 'rows : i32, width : i32, blocks : i32';
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize = WORKGROUP;

  constructor(rows: number, private readonly width: number) {
    this.outputShape = [rows, width];
    this.shaderKey = `embeddingGrad_${width % BLOCK === 0}`;
    const invocations = [rows * Math.ceil(width / BLOCK)];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(invocations);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, invocations, WORKGROUP);
  }

  getUserCode(): string {
    const columns = Array.from({ length: BLOCK }, (_, c) => c);
    // A width that is not a multiple of the block leaves the last block of each row partly outside it.
    const guarded = (c: number, statement: string) => (this.width % BLOCK === 0 ? statement : `if (col + ${c} < width) { ${statement} }`);
    return `
      fn main(index : i32) {
        if (index < uniforms.rows * uniforms.blocks) {
          let width = uniforms.width;
          let row = index / uniforms.blocks;
          let col = (index % uniforms.blocks) * ${BLOCK};
          // csr: start[0 .. rows], then the positions.
          let positions = uniforms.rows + 1;
          ${columns.map((c) => `var sum${c} = 0.0;`).join('\n          ')}
          for (var k = csr[row]; k < csr[row + 1]; k = k + 1) {
            let first = csr[positions + k] * width + col;
            ${columns.map((c) => guarded(c, `sum${c} = sum${c} + dy[first + ${c}];`)).join('\n            ')}
          }
          let outStart = row * width + col;
          ${columns.map((c) => guarded(c, `setOutputAtIndex(outStart + ${c}, sum${c});`)).join('\n          ')}
        }
      }`;
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** [rows, width]: dy [ids, width] summed into the rows its CSR index names. */
function embeddingGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, csr } = inputs as Record<'dy' | 'csr', tf.TensorInfo>;
  const { rows } = attrs as unknown as { rows: number };
  const width = dy.shape[1];
  const uniforms = [{ type: 'int32', data: [rows] }, { type: 'int32', data: [width] }, { type: 'int32', data: [Math.ceil(width / BLOCK)] }];
  return (backend as WebGPUBackend).runWebGPUProgram(new EmbeddingGradProgram(rows, width), [dy, csr], 'float32', uniforms);
}

/** Puts the kernel in tfjs's registry for WebGPU. Call where the adapter is a software one. Idempotent. */
export function registerFusedEmbeddingGrad(): void {
  if (tf.getKernel(EMBEDDING_GRAD_KERNEL, 'webgpu')) return;
  tf.registerKernel({ kernelName: EMBEDDING_GRAD_KERNEL, backendName: 'webgpu', kernelFunc: embeddingGradKernel as tf.KernelFunc });
}

/** Whether `embeddingGrad` runs on the active backend (its kernel is registered there and the flag is on). */
export function fusedEmbeddingGradAvailable(): boolean {
  return tf.env().getBool(FUSED_EMBEDDING_FLAG) && tf.getKernel(EMBEDDING_GRAD_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * The CSR index of `ids` over `rows` table rows: start[0 .. rows] (rows + 1 offsets), then for each row the
 * positions n with ids[n] equal to it, ascending (a counting sort, stable). Ids must lie in [0, rows).
 */
export function csrIndex(ids: Int32Array, rows: number): Int32Array {
  const csr = new Int32Array(rows + 1 + ids.length);
  for (const id of ids) csr[id + 1]++;
  for (let r = 0; r < rows; r++) csr[r + 1] += csr[r];
  const next = csr.slice(0, rows);
  ids.forEach((id, n) => {
    csr[rows + 1 + next[id]++] = n;
  });
  return csr;
}

/**
 * d(table[ids])/d(table) applied to dy ([ids.length, width] float32): [rows, width], row r the sum of dy's rows at
 * the positions where ids holds r, zero where it holds none. Check `fusedEmbeddingGradAvailable()` first.
 */
export function embeddingGrad(dy: tf.Tensor2D, ids: Int32Array, rows: number): tf.Tensor2D {
  if (dy.rank !== 2 || dy.shape[0] !== ids.length || dy.dtype !== 'float32') {
    throw new Error(`embeddingGrad: dy is ${dy.dtype} [${dy.shape}], expected float32 [${ids.length}, width]`);
  }
  return tf.tidy(() => {
    const csr = tf.tensor1d(csrIndex(ids, rows), 'int32');
    return tf.engine().runKernel(EMBEDDING_GRAD_KERNEL, { dy, csr }, { rows } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  });
}
