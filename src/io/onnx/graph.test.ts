import type { onnx as schema } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, IR_VERSION, onnx, OnnxGraph, OPSET } from './graph';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** y = LayerNorm(x + w) over [batch, 2]: inputs, a weight, attributes of each kind, an output. */
function smallGraph(): OnnxGraph {
  const g = new OnnxGraph();
  const x = g.input('x', 'float', ['batch_size', 2]);
  const sum = g.op('Add', [x, g.weight('w', [2], Float32Array.of(1, 2))]);
  const normed = g.op('LayerNormalization', [sum, g.weight('gamma', [2], Float32Array.of(1, 1)), g.weight('beta', [2], Float32Array.of(0, 0))], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
  const transposed = g.op('Transpose', [normed], { perm: { ints: [1, 0] } });
  g.output('y', g.op('Transpose', [transposed], { perm: { ints: [1, 0] } }), 'float', ['batch_size', 2]);
  g.int64s('shape', [0, -1]);
  g.int64s('index', [3], []);
  g.scalar('half', 0.5);
  return g;
}

describe('OnnxGraph', () => {
  it('encodes a model that decodes to the graph it built, with dynamic axes by name', () => {
    const model = decodeModel(encodeModel(smallGraph().model('small', 'test')));
    expect(Number(model.irVersion)).toBe(IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    expect(model.producerName).toBe('test');
    const graph = model.graph!;
    expect(graph.name).toBe('small');
    const dims = (info: schema.IValueInfoProto) => info.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(graph.input!.map((i) => [i.name, i.type!.tensorType!.elemType, dims(i)])).toEqual([['x', DataType.FLOAT, ['batch_size', 2]]]);
    expect(graph.output!.map((o) => [o.name, dims(o)])).toEqual([['y', ['batch_size', 2]]]);
    expect(graph.node!.map((n) => n.opType)).toEqual(['Add', 'LayerNormalization', 'Transpose', 'Transpose', 'Identity']);
    expect(graph.node!.at(-1)!.output).toEqual(['y']);
    // Every node's outputs are named once.
    const outputs = graph.node!.flatMap((n) => n.output!);
    expect(new Set(outputs).size).toBe(outputs.length);
  });

  it('writes attributes and initializers with their ONNX types, values little-endian', () => {
    const graph = decodeModel(encodeModel(smallGraph().model('small', 'test'))).graph!;
    const layerNorm = graph.node!.find((n) => n.opType === 'LayerNormalization')!;
    expect(layerNorm.attribute!.map((a) => [a.name, a.type])).toEqual([['axis', AttributeType.INT], ['epsilon', AttributeType.FLOAT]]);
    expect(Number(layerNorm.attribute![0].i)).toBe(-1);
    expect(layerNorm.attribute![1].f).toBeCloseTo(1e-5, 10);
    expect(graph.node!.find((n) => n.opType === 'Transpose')!.attribute![0].ints!.map(Number)).toEqual([1, 0]);

    const tensor = (name: string) => graph.initializer!.find((t) => t.name === name)!;
    const bytes = (name: string) => tensor(name).rawData!.slice();
    expect([...new Float32Array(bytes('w').buffer)]).toEqual([1, 2]);
    expect([tensor('shape').dataType, tensor('shape').dims!.map(Number)]).toEqual([DataType.INT64, [2]]);
    expect([...new BigInt64Array(bytes('shape').buffer)]).toEqual([0n, -1n]);
    expect(tensor('index').dims).toEqual([]);
    expect([...new Float32Array(bytes('half').buffer)]).toEqual([0.5]);
  });

  it('refuses a value name given twice, and makes up names that never collide', () => {
    const g = new OnnxGraph();
    g.input('x', 'float', [1]);
    expect(() => g.weight('x', [1], Float32Array.of(0))).toThrow(/the value name x is used twice/);
    expect(g.op('Relu', ['x'])).toBe('Relu');
    expect(g.op('Relu', ['x'])).toBe('Relu_1');
    expect(() => g.op('Relu', ['x'], {}, 'Relu_1')).toThrow(/Relu_1 is used twice/);
  });
});
