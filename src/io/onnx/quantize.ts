/**
 * Dynamic int8 quantization of an ONNX model's MatMul weights, the form onnxruntime's `quantize_dynamic` writes
 * and transformers.js loads as `dtype: 'q8'` (onnx/model_quantized.onnx): each MatMul whose second input is a
 * float [K, N] initializer becomes
 *
 *   x ─ DynamicQuantizeLinear ─ (x_q uint8, x_scale, x_zero) ─ MatMulInteger(x_q, W_q int8, x_zero) ─ Cast ─ × (x_scale · w_scale) ─ y
 *
 * The weights are quantized symmetrically per output column (zero point 0, scale max|W[:, n]| / 127), which keeps
 * a column of small weights from sharing one scale with the largest column; the activations are quantized
 * per tensor at run time by DynamicQuantizeLinear (asymmetric uint8). Both ops run in onnxruntime-web's wasm and
 * onnxruntime-node's CPU provider, which fuse them into one DynamicQuantizeMatMul kernel. Everything else (biases,
 * LayerNorm, embeddings, attention's activation-by-activation MatMuls) stays float.
 */
import { onnx, type ModelProto, type NodeProto, type TensorProto } from './graph';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** int8's symmetric range: -128 is left out so that a weight and its negation quantize alike. */
const INT8_MAX = 127;

export interface QuantizedModel {
  model: ModelProto;
  /** The MatMul weights quantized. */
  quantized: string[];
}

/** A float [K, N] initializer's values as int8, and each column's scale. */
export function quantizeColumns(data: Float32Array, rows: number, columns: number): { values: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(columns);
  for (let k = 0; k < rows; k++) {
    for (let n = 0; n < columns; n++) scales[n] = Math.max(scales[n], Math.abs(data[k * columns + n]));
  }
  for (let n = 0; n < columns; n++) scales[n] = scales[n] === 0 ? 1 : scales[n] / INT8_MAX;
  const values = new Int8Array(data.length);
  for (let k = 0; k < rows; k++) {
    for (let n = 0; n < columns; n++) values[k * columns + n] = Math.round(data[k * columns + n] / scales[n]);
  }
  return { values, scales };
}

function floatData(tensor: TensorProto): Float32Array {
  const raw = tensor.rawData!;
  // raw_data need not be 4-byte aligned within the decoded buffer: copy it out.
  return new Float32Array(raw.slice().buffer);
}

/**
 * The model with every MatMul on a 2-D float weight initializer quantized as above. Initializers it does not
 * touch are shared with `model`, not copied.
 */
export function quantizeDynamic(model: ModelProto): QuantizedModel {
  const graph = model.graph!;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name!, tensor]));
  const quantizable = (node: NodeProto): TensorProto | undefined => {
    const weight = node.opType === 'MatMul' ? initializers.get(node.input![1]) : undefined;
    return weight?.dataType === DataType.FLOAT && weight.dims?.length === 2 && weight.rawData ? weight : undefined;
  };

  const nodes: NodeProto[] = [];
  const added: TensorProto[] = [];
  const replaced = new Set<string>();
  /** One DynamicQuantizeLinear per activation, shared by the MatMuls that read it (query, key and value). */
  const quantizedInputs = new Map<string, [string, string, string]>();
  for (const node of graph.node ?? []) {
    const weight = quantizable(node);
    if (!weight) {
      nodes.push(node);
      continue;
    }
    const [input, name] = [node.input![0], weight.name!];
    let activation = quantizedInputs.get(input);
    if (!activation) {
      activation = [`${input}_quantized`, `${input}_scale`, `${input}_zero_point`];
      nodes.push({ opType: 'DynamicQuantizeLinear', name: `${input}_QuantizeLinear`, input: [input], output: activation });
      quantizedInputs.set(input, activation);
    }
    const [rows, columns] = weight.dims!.map(Number);
    const { values, scales } = quantizeColumns(floatData(weight), rows, columns);
    added.push(
      { name: `${name}_quantized`, dims: [rows, columns], dataType: DataType.INT8, rawData: new Uint8Array(values.buffer) },
      { name: `${name}_scale`, dims: [columns], dataType: DataType.FLOAT, rawData: new Uint8Array(scales.buffer) },
    );
    replaced.add(name);
    const [xq, xScale, xZero] = activation;
    const output = node.output![0];
    nodes.push(
      { opType: 'MatMulInteger', name: `${output}_MatMulInteger`, input: [xq, `${name}_quantized`, xZero], output: [`${output}_int32`] },
      { opType: 'Cast', name: `${output}_Cast`, input: [`${output}_int32`], output: [`${output}_unscaled`], attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }] },
      { opType: 'Mul', name: `${output}_ScaleProduct`, input: [xScale, `${name}_scale`], output: [`${output}_scale`] },
      { opType: 'Mul', name: `${output}_Rescale`, input: [`${output}_unscaled`, `${output}_scale`], output: [output] },
    );
  }
  // A weight some other node still reads as float stays as well.
  const stillRead = new Set(nodes.flatMap((node) => node.input ?? []));
  const kept = (graph.initializer ?? []).filter((tensor) => !replaced.has(tensor.name!) || stillRead.has(tensor.name!));
  return {
    model: { ...model, graph: { ...graph, node: nodes, initializer: [...kept, ...added] } },
    quantized: [...replaced],
  };
}
