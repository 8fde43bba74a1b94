/**
 * Rows of a table by id, with an exact, backend-independent gradient. Used for the word embeddings and for
 * picking the MLM positions out of the sequence output.
 *
 * tfjs's own gradient of `gather` is `unsortedSegmentSum`: wrong on WebGPU (tfjs issue #8174) and about a
 * minute on the CPU backend for an 8k vocabulary. Here the ids are known in JS, so the backward pass sums the
 * incoming rows per distinct id with one matMul against a one-hot segment matrix built in JS, then writes
 * those sums into the dense [rows, width] gradient with `scatterND` at the distinct ids (each written once).
 * (A `gather` of every table row from the sums, as before, took 40 ms of a 190 ms wasm step of the bundled
 * model: tfjs-wasm gathers element by element.) On WebGPU software adapters the same sums come from one dispatch
 * instead of three (src/kernels/webgpuEmbedding.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { embeddingGrad, fusedEmbeddingGradAvailable } from '../kernels/webgpuEmbedding';

/** The distinct ids and, for the backward pass, where each lands. */
interface Segments {
  /** [distinct, ids.length] row-major: 1 where ids[n] is the k-th distinct id. */
  segmentMatrix: Float32Array;
  /** The distinct ids, in the order of their first position. */
  distinctIds: Int32Array;
}

function segmentsOf(ids: Int32Array, tableRows: number): Segments {
  // Per table row: 1 + k when the row is the k-th distinct id, 0 when the batch does not touch it.
  const rowOfTableRow = new Int32Array(tableRows);
  const distinctIds: number[] = [];
  const segmentOfPosition = new Int32Array(ids.length);
  ids.forEach((id, n) => {
    if (rowOfTableRow[id] === 0) rowOfTableRow[id] = distinctIds.push(id);
    segmentOfPosition[n] = rowOfTableRow[id] - 1;
  });
  const segmentMatrix = new Float32Array(distinctIds.length * ids.length);
  segmentOfPosition.forEach((k, n) => {
    segmentMatrix[k * ids.length + n] = 1;
  });
  return { segmentMatrix, distinctIds: Int32Array.from(distinctIds) };
}

/**
 * table[ids]: [ids.length, width]. Ids must already be checked to lie in [0, table rows): on WebGPU an
 * out-of-range gather silently yields zeros.
 */
export function embeddingLookup(table: tf.Tensor, ids: Int32Array): tf.Tensor2D {
  if (table.rank !== 2) throw new Error(`embeddingLookup needs a 2-D table, got shape [${table.shape.join(', ')}]`);
  const [rows, width] = table.shape;
  const lookup = tf.customGrad((...inputs) => {
    const value = tf.gather(inputs[0] as tf.Tensor, tf.tensor1d(ids, 'int32')); // [n, width]
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      if (fusedEmbeddingGradAvailable()) return embeddingGrad(dy as tf.Tensor2D, ids, rows);
      const { segmentMatrix, distinctIds } = segmentsOf(ids, rows);
      const distinct = distinctIds.length;
      const perId = tf.matMul(tf.tensor2d(segmentMatrix, [distinct, ids.length]), dy as tf.Tensor2D); // [distinct, width]
      return tf.scatterND(tf.tensor2d(distinctIds, [distinct, 1], 'int32'), perId, [rows, width]); // [rows, width]
    };
    return { value, gradFunc };
  });
  return lookup(table) as tf.Tensor2D;
}
