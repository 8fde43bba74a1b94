/**
 * Rows of a table by id, with an exact, backend-independent gradient. Used for the word embeddings and for
 * picking the MLM positions out of the sequence output.
 *
 * tfjs's own gradient of `gather` is `unsortedSegmentSum`: wrong on WebGPU (tfjs issue #8174) and about a
 * minute on the CPU backend for an 8k vocabulary. Here the ids are known in JS, so the backward pass sums the
 * incoming rows per distinct id with one matMul against a one-hot segment matrix built in JS, then spreads
 * those sums into the dense [rows, width] gradient with a forward-only `gather`.
 */
import * as tf from '@tensorflow/tfjs';

/** The distinct ids and, for the backward pass, where each lands. */
interface Segments {
  /** [distinct, ids.length] row-major: 1 where ids[n] is the k-th distinct id. */
  segmentMatrix: Float32Array;
  distinct: number;
  /** Per table row: 1 + k when the row is the k-th distinct id, 0 (a zero row) when untouched. */
  rowOfTableRow: Int32Array;
}

function segmentsOf(ids: Int32Array, tableRows: number): Segments {
  const rowOfTableRow = new Int32Array(tableRows);
  let distinct = 0;
  const segmentOfPosition = new Int32Array(ids.length);
  ids.forEach((id, n) => {
    if (rowOfTableRow[id] === 0) rowOfTableRow[id] = ++distinct;
    segmentOfPosition[n] = rowOfTableRow[id] - 1;
  });
  const segmentMatrix = new Float32Array(distinct * ids.length);
  segmentOfPosition.forEach((k, n) => {
    segmentMatrix[k * ids.length + n] = 1;
  });
  return { segmentMatrix, distinct, rowOfTableRow };
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
      const { segmentMatrix, distinct, rowOfTableRow } = segmentsOf(ids, rows);
      const perId = tf.matMul(tf.tensor2d(segmentMatrix, [distinct, ids.length]), dy as tf.Tensor2D); // [distinct, width]
      const withZeroRow = tf.concat([tf.zeros([1, width]), perId]); // [1 + distinct, width]
      return tf.gather(withZeroRow, tf.tensor1d(rowOfTableRow, 'int32')); // [rows, width]
    };
    return { value, gradFunc };
  });
  return lookup(table) as tf.Tensor2D;
}
