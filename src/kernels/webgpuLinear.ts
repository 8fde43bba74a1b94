/**
 * nn.Linear's bias folded into its matMul on WebGPU: tf.fused.matMul with a bias runs one _FusedMatMul, which adds
 * the bias as it stores each output (on software adapters the blocked kernel's epilogue, webgpuMatMul.ts; tfjs's
 * own kernel elsewhere), in place of a matMul and an Add: one dispatch fewer per Linear forward. tfjs's gradient of
 * it sums dy over the tokens for the bias, one Sum (a column sum, reductions.ts), as the Add's gradient did.
 * Not on wasm: tfjs-backend-wasm 4.22 adds the bias wrongly when transposeB is set.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs flag (on by default; WebGPU only): off, the bias is a separate Add. */
export const FUSED_BIAS_FLAG = 'BERT_STUDIO_FUSED_BIAS';
tf.env().registerFlag(FUSED_BIAS_FLAG, () => true);

/** Whether `linear` (src/model/nn.ts) adds its bias inside the matMul on the active backend. */
export function fusedBiasAvailable(): boolean {
  return tf.env().getBool(FUSED_BIAS_FLAG) && tf.getBackend() === 'webgpu';
}
