/**
 * An ONNX graph built node by node and encoded with `onnx-proto` (the ONNX schema compiled for protobufjs), so
 * every byte of the file comes from the schema rather than from hand-written field numbers. Values are named
 * as they are made; the model code reads like the forward pass it mirrors (src/model/bert/onnx.ts).
 */
import onnxProto, { type onnx as schema } from 'onnx-proto';

// The package is CommonJS: its namespace comes as the default export under Node and bundlers alike.
export const { onnx } = onnxProto;
export type ModelProto = schema.IModelProto;
export type NodeProto = schema.INodeProto;
export type TensorProto = schema.ITensorProto;

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** ONNX IR version 8 reads opset 17 (LayerNormalization), which onnxruntime 1.14 and later run. */
export const IR_VERSION = 8;
export const OPSET = 17;

/** A dimension: a fixed size, or the name of a dynamic axis ("batch_size", "sequence_length"). */
export type Dim = number | string;

export type ElementType = 'float' | 'int64';

/** A node attribute: float, int or ints (the only kinds an encoder needs). */
export type Attribute = { f: number } | { i: number } | { ints: number[] };

/** Protobuf's own limit on one message: a model past it needs ONNX's external data files. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

const ELEMENT_TYPES: Record<ElementType, number> = { float: DataType.FLOAT, int64: DataType.INT64 };

function bytesOf(data: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little-endian, as typed arrays are on every platform a browser runs on.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function attribute(name: string, value: Attribute): schema.IAttributeProto {
  if ('f' in value) return { name, type: AttributeType.FLOAT, f: value.f };
  if ('i' in value) return { name, type: AttributeType.INT, i: value.i };
  return { name, type: AttributeType.INTS, ints: value.ints };
}

export class OnnxGraph {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: schema.IValueInfoProto[] = [];
  private readonly outputs: schema.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private initializerBytes = 0;

  /** A graph input; returns its name, which later nodes take. */
  input(name: string, type: ElementType, dims: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /** Makes `value` a graph output named `name` (an Identity, which onnxruntime removes when it loads the model). */
  output(name: string, value: string, type: ElementType, dims: Dim[]): void {
    this.op('Identity', [value], {}, name);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A float weight, stored as given (row-major `dims`). */
  weight(name: string, dims: number[], data: Float32Array): string {
    return this.tensor({ name, dims, dataType: DataType.FLOAT, rawData: bytesOf(data) });
  }

  /** A 1-D int64 constant (shapes, axes, indices); `dims` [] makes a scalar of one value. */
  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    return this.tensor({ name, dims, dataType: DataType.INT64, rawData: bytesOf(BigInt64Array.from(values, BigInt)) });
  }

  /** A float scalar constant. */
  scalar(name: string, value: number): string {
    return this.tensor({ name, dims: [], dataType: DataType.FLOAT, rawData: bytesOf(Float32Array.of(value)) });
  }

  /** Adds a node with one output, named `output` or after the op; returns the output's name. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, output?: string): string {
    return this.opMulti(opType, inputs, 1, attributes, output === undefined ? undefined : [output])[0];
  }

  /** Adds a node with `count` outputs; returns their names. */
  opMulti(opType: string, inputs: string[], count: number, attributes: Record<string, Attribute> = {}, outputs?: string[]): string[] {
    const names = outputs ?? Array.from({ length: count }, (_, k) => this.fresh(`${opType}${count > 1 ? `_out${k}` : ''}`));
    if (outputs) outputs.forEach((name) => this.claim(name));
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: inputs,
      output: names,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return names;
  }

  /** The model, ready for `encodeModel`. */
  model(name: string, producer: string): ModelProto {
    return {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: producer,
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
  }

  private tensor(proto: TensorProto): string {
    this.initializerBytes += proto.rawData!.length;
    if (this.initializerBytes > MAX_MODEL_BYTES) {
      throw new Error(`The ONNX model's weights pass ${MAX_MODEL_BYTES} bytes, protobuf's limit for one file; a model this large needs ONNX external data, which the studio does not write.`);
    }
    this.initializers.push({ ...proto, name: this.claim(proto.name!) });
    return proto.name!;
  }

  /** Registers a name given by the caller; the same name twice is a bug in the graph code. */
  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph: the value name ${name} is used twice`);
    this.names.add(name);
    return name;
  }

  /** A name not used yet, from `base`. */
  private fresh(base: string): string {
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }
}

function valueInfo(name: string, type: ElementType, dims: Dim[]): schema.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEMENT_TYPES[type], shape: { dim } } } };
}

export function encodeModel(model: ModelProto): Uint8Array {
  const bytes = onnx.ModelProto.encode(model).finish();
  // A plain Uint8Array everywhere (under Node protobufjs hands back a Buffer, a view of the same bytes).
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeModel(bytes: Uint8Array): schema.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
