import { describe, expect, it } from 'vitest';
import { onnx, OnnxGraph, type TensorProto } from './graph';
import { quantizeColumns, quantizeDynamic } from './quantize';

const { DataType } = onnx.TensorProto;

describe('quantizeColumns', () => {
  it('scales each column by its largest magnitude to ±127, within half a step of every weight', () => {
    // [3, 2]: column 0 spans ±1, column 1 ±0.01, which one shared scale would round to zero.
    const data = Float32Array.of(1, 0.01, -0.5, -0.004, 0.25, 0.0075);
    const { values, scales } = quantizeColumns(data, 3, 2);
    expect([...scales]).toEqual([Math.fround(1 / 127), Math.fround(0.01 / 127)]);
    expect([values[0], values[1]]).toEqual([127, 127]);
    data.forEach((w, i) => expect(Math.abs(values[i] * scales[i % 2] - w)).toBeLessThanOrEqual(scales[i % 2] / 2 + 1e-9));
  });

  it('gives an all-zero column scale 1, so nothing divides by zero', () => {
    const { values, scales } = quantizeColumns(new Float32Array(4), 2, 2);
    expect([...scales]).toEqual([1, 1]);
    expect([...values]).toEqual([0, 0, 0, 0]);
  });
});

describe('quantizeDynamic', () => {
  /** x @ W1 and x @ W2 (one activation, two weights), their product of activations, and W1 also gathered. */
  function model() {
    const g = new OnnxGraph();
    const x = g.input('x', 'float', ['batch_size', 2]);
    const w1 = g.weight('w1', [2, 2], Float32Array.of(1, -2, 3, -4));
    const a = g.op('MatMul', [x, w1], {}, 'a');
    const b = g.op('MatMul', [x, g.weight('w2', [2, 2], Float32Array.of(0.5, 0, 0, 0.5))], {}, 'b');
    const ab = g.op('MatMul', [a, g.op('Transpose', [b])]);
    const rows = g.op('Gather', [w1, g.int64s('row', [0], [])]);
    g.output('y', g.op('Add', [ab, rows]), 'float', ['batch_size', 2]);
    return g.model('m', 'test');
  }

  it('turns each MatMul on a weight into MatMulInteger on int8 weights, quantizing a shared input once', () => {
    const { model: quantized, quantized: names } = quantizeDynamic(model());
    expect(names.sort()).toEqual(['w1', 'w2']);
    const nodes = quantized.graph!.node!;
    expect(nodes.filter((n) => n.opType === 'DynamicQuantizeLinear').map((n) => n.input)).toEqual([['x']]);
    expect(nodes.filter((n) => n.opType === 'MatMulInteger').map((n) => n.input![1])).toEqual(['w1_quantized', 'w2_quantized']);
    // The MatMul of two activations stays float; the rescaled products keep the names the graph reads.
    expect(nodes.filter((n) => n.opType === 'MatMul')).toHaveLength(1);
    expect(nodes.filter((n) => n.opType === 'Mul').map((n) => n.output![0])).toEqual(expect.arrayContaining(['a', 'b']));

    const tensors = new Map(quantized.graph!.initializer!.map((t: TensorProto) => [t.name, t]));
    expect(tensors.get('w1_quantized')).toMatchObject({ dataType: DataType.INT8, dims: [2, 2] });
    expect([...new Int8Array(tensors.get('w1_quantized')!.rawData!.slice().buffer)]).toEqual([42, -64, 127, -127]);
    expect(tensors.get('w1_scale')).toMatchObject({ dataType: DataType.FLOAT, dims: [2] });
    // w1 is still gathered as float; w2 is read by nothing else and is gone.
    expect(tensors.has('w1')).toBe(true);
    expect(tensors.has('w2')).toBe(false);
  });

  it('leaves the model it was given as it was', () => {
    const original = model();
    const nodes = original.graph!.node!.length;
    quantizeDynamic(original);
    expect(original.graph!.node).toHaveLength(nodes);
    expect(original.graph!.node!.some((n) => n.opType === 'MatMulInteger')).toBe(false);
  });
});
