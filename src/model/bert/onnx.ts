/**
 * The encoder and its heads as an ONNX graph, box by box as embeddings.ts, attention.ts, layer.ts, model.ts and
 * heads.ts compute them in tfjs, for transformers.js and onnxruntime. DistilBERT, ELECTRA, RoBERTa and ALBERT are
 * BERT's boxes under other names (their config fields say what differs: no token types, the embeddings'
 * projection, the pooler's and MLM transform's activations, positions counted from the padding id, a set of layer
 * weights shared by several layers), so one graph serves every family.
 *
 * Inputs as Hugging Face's ONNX exports name them: `input_ids`, `attention_mask` and, where the family has token
 * types to choose from (not DistilBERT, nor RoBERTa's single one), `token_type_ids`, int64 [batch_size,
 * sequence_length], both axes dynamic. Output `logits` of the head the weights carry ([batch_size, num_labels] for
 * sequence classification, [batch_size, sequence_length, vocab_size] for masked LM), or `last_hidden_state` for a
 * bare encoder. Inference only: dropout is the identity.
 */
import { onnx, OnnxGraph, type ModelProto } from '../../io/onnx/graph';
import type { TensorToWrite } from '../../io/safetensors';
import { FLOAT32_MIN } from './batch';
import { layerWeightsOf, type BertConfig, type HiddenAct } from './config';
import { architectureOf, EMBEDDINGS_PROJECT, POOLER_WEIGHT, WORD_EMBEDDINGS } from './params';

const BATCH = 'batch_size';
const SEQ = 'sequence_length';

/** The weights under the shared (BERT canonical) names, in HF's [out, in] layout, e.g. from exportBertWeights. */
export type Weights = ReadonlyMap<string, TensorToWrite>;

/** A graph with the model's weights and config at hand, and the constants its boxes share. */
class Builder {
  readonly g = new OnnxGraph();
  private readonly constants = new Map<string, string>();

  constructor(
    readonly config: BertConfig,
    private readonly weights: Weights,
  ) {}

  /** A weight as stored, e.g. an embedding table or a LayerNorm's scale; one initializer however often it is read. */
  weight(name: string): string {
    return this.constant(`weight_${name}`, () => {
      const { shape, data } = this.tensor(name);
      return this.g.weight(name, shape, data);
    });
  }

  /**
   * nn.Linear: x @ W^T + b. W is stored transposed ([in, out]), as torch exports it, so that MatMul reads it
   * directly; one initializer however often it is applied (ALBERT's shared layers).
   */
  linear(prefix: string, x: string): string {
    const weight = this.constant(`linear_${prefix}`, () => {
      const { shape: [out, inp], data } = this.tensor(`${prefix}.weight`);
      const transposed = new Float32Array(data.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) transposed[i * out + o] = data[o * inp + i];
      return this.g.weight(`${prefix}.weight`, [inp, out], transposed);
    });
    return this.g.op('Add', [this.g.op('MatMul', [x, weight]), this.weight(`${prefix}.bias`)]);
  }

  layerNorm(prefix: string, x: string): string {
    const attributes = { axis: { i: -1 }, epsilon: { f: this.config.layerNormEps } };
    return this.g.op('LayerNormalization', [x, this.weight(`${prefix}.weight`), this.weight(`${prefix}.bias`)], attributes);
  }

  /** nn.ts's activation, op for op (ORT fuses the erf form into its Gelu kernel). */
  activation(name: HiddenAct | 'tanh', x: string): string {
    const { g } = this;
    switch (name) {
      case 'gelu': // x · ½(1 + erf(x / √2))
        return g.op('Mul', [x, g.op('Mul', [g.op('Add', [g.op('Erf', [g.op('Mul', [x, this.scalar(Math.SQRT1_2)])]), this.scalar(1)]), this.scalar(0.5)])]);
      case 'gelu_new': { // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
        const cubic = g.op('Mul', [g.op('Pow', [x, this.scalar(3)]), this.scalar(0.044715)]);
        const inner = g.op('Mul', [g.op('Add', [x, cubic]), this.scalar(Math.sqrt(2 / Math.PI))]);
        return g.op('Mul', [g.op('Mul', [x, this.scalar(0.5)]), g.op('Add', [g.op('Tanh', [inner]), this.scalar(1)])]);
      }
      case 'relu':
        return g.op('Relu', [x]);
      case 'tanh':
        return g.op('Tanh', [x]);
    }
  }

  /** A float scalar, one initializer per value. */
  scalar(value: number): string {
    return this.constant(`float_${value}`, () => this.g.scalar(`const_float_${this.constants.size}`, value));
  }

  /** An int64 vector (a shape, axes), one initializer per value. */
  int64s(values: number[], dims?: number[]): string {
    const shape = dims ?? [values.length];
    return this.constant(`int64_[${values}]_[${shape}]`, () => this.g.int64s(`const_int64_${this.constants.size}`, values, shape));
  }

  private constant(key: string, make: () => string): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      name = make();
      this.constants.set(key, name);
    }
    return name;
  }

  private tensor(name: string): TensorToWrite {
    const tensor = this.weights.get(name);
    if (!tensor) throw new Error(`ONNX export: the weights have no ${name}`);
    return tensor;
  }
}

/** BertEmbeddings: word + token type + position embeddings, LayerNorm, then ELECTRA's projection. [batch, seq, hidden] */
function embeddings(b: Builder, inputIds: string, tokenTypeIds: string | undefined): string {
  const { g, config } = b;
  const words = g.op('Gather', [b.weight(WORD_EMBEDDINGS), inputIds]); // [batch, seq, width]
  const typeTable = config.typeVocabSize > 0 ? b.weight('bert.embeddings.token_type_embeddings.weight') : undefined; // [types, width]
  // RoBERTa's one type row is added to every token; BERT's are chosen by token_type_ids.
  const types = typeTable && (tokenTypeIds === undefined ? typeTable : g.op('Gather', [typeTable, tokenTypeIds])); // [batch, seq, width] or [1, width]
  const tokens = types === undefined ? words : g.op('Add', [words, types]);
  const normed = b.layerNorm('bert.embeddings.LayerNorm', g.op('Add', [tokens, positionEmbeddings(b, inputIds)])); // [batch, seq, width]
  return b.config.embeddingsProjected ? b.linear(EMBEDDINGS_PROJECT, normed) : normed; // [batch, seq, hidden]
}

/** The position embedding of every token: [seq, width] for BERT's 0..seq-1, [batch, seq, width] for RoBERTa's. */
function positionEmbeddings(b: Builder, inputIds: string): string {
  const { g, config } = b;
  const table = b.weight('bert.embeddings.position_embeddings.weight'); // [maxPositions, width]
  if (config.positionIdsFromPadding) {
    // HF's create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad.
    const pad = b.int64s([config.padTokenId ?? 0], []);
    const notPad = g.op('Cast', [g.op('Not', [g.op('Equal', [inputIds, pad])])], { to: { i: onnx.TensorProto.DataType.INT64 } }); // [batch, seq]
    const positions = g.op('Add', [g.op('Mul', [g.op('CumSum', [notPad, b.int64s([1], [])]), notPad]), pad]); // [batch, seq]
    return g.op('Gather', [table, positions]);
  }
  // Positions 0..seq-1: the table's first seq rows, seq read from the input's shape.
  const seqLen = g.op('Slice', [g.op('Shape', [inputIds]), b.int64s([1]), b.int64s([2])]); // [1]
  return g.op('Slice', [table, b.int64s([0]), seqLen, b.int64s([0])]); // [seq, width]
}

/** HF's get_extended_attention_mask: 0 where attended, float32 min where masked. [batch, 1, 1, seq] */
function extendedAttentionMask(b: Builder, attentionMask: string): string {
  const { g } = b;
  const mask = g.op('Cast', [attentionMask], { to: { i: onnx.TensorProto.DataType.FLOAT } });
  const masked = g.op('Mul', [g.op('Sub', [b.scalar(1), mask]), b.scalar(FLOAT32_MIN)]); // [batch, seq]
  return g.op('Unsqueeze', [masked, b.int64s([1, 2])]);
}

/** BertSelfAttention: scaled dot-product attention over all heads. [batch, seq, hidden] */
function selfAttention(b: Builder, prefix: string, hidden: string, mask: string): string {
  const { g, config } = b;
  const heads = config.numAttentionHeads;
  const headDim = config.hiddenSize / heads;
  const split = (name: string, perm: number[]) =>
    g.op('Transpose', [g.op('Reshape', [b.linear(`${prefix}.${name}`, hidden), b.int64s([0, 0, heads, headDim])])], { perm: { ints: perm } });
  const query = split('query', [0, 2, 1, 3]); // [batch, heads, seq, headDim]
  const keyT = split('key', [0, 2, 3, 1]); // [batch, heads, headDim, seq]
  const value = split('value', [0, 2, 1, 3]); // [batch, heads, seq, headDim]
  const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [query, keyT]), b.scalar(Math.sqrt(headDim))]), mask]); // [batch, heads, seq, seq]
  const probs = g.op('Softmax', [scores], { axis: { i: -1 } });
  const context = g.op('Transpose', [g.op('MatMul', [probs, value])], { perm: { ints: [0, 2, 1, 3] } }); // [batch, seq, heads, headDim]
  return g.op('Reshape', [context, b.int64s([0, 0, config.hiddenSize])]); // [batch, seq, hidden]
}

/** BertLayer: attention + BertSelfOutput, then BertIntermediate + BertOutput, each with its residual LayerNorm. */
function layer(b: Builder, index: number, hidden: string, mask: string): string {
  const { g, config } = b;
  const prefix = `bert.encoder.layer.${layerWeightsOf(config, index)}`;
  const context = selfAttention(b, `${prefix}.attention.self`, hidden, mask);
  const attended = b.layerNorm(`${prefix}.attention.output.LayerNorm`, g.op('Add', [b.linear(`${prefix}.attention.output.dense`, context), hidden]));
  const inner = b.activation(config.hiddenAct, b.linear(`${prefix}.intermediate.dense`, attended)); // [batch, seq, intermediate]
  return b.layerNorm(`${prefix}.output.LayerNorm`, g.op('Add', [b.linear(`${prefix}.output.dense`, inner), attended]));
}

/** BertPooler (DistilBERT's pre_classifier, ELECTRA's classification dense): act(dense(h[CLS])). [batch, hidden] */
function pooler(b: Builder, sequence: string): string {
  const first = b.g.op('Gather', [sequence, b.int64s([0], [])], { axis: { i: 1 } }); // [batch, hidden]
  return b.activation(b.config.poolerAct, b.linear('bert.pooler.dense', first));
}

/** BertOnlyMLMHead at every position: transform, then the decoder tied to the word embeddings. [batch, seq, vocab] */
function mlmHead(b: Builder, sequence: string, inputIds: string): string {
  const { g, config } = b;
  const transformed = b.activation(config.mlmAct, b.linear('cls.predictions.transform.dense', sequence));
  const normed = b.layerNorm('cls.predictions.transform.LayerNorm', transformed); // [batch, seq, embedding]
  // Gemm reads the word-embedding table [vocab, embedding] transposed in place: one copy of the table serves the
  // lookup and the decoder, as the tie does in the model.
  const flat = g.op('Flatten', [normed], { axis: { i: 2 } }); // [batch * seq, embedding]
  const logits = g.op('Gemm', [flat, b.weight(WORD_EMBEDDINGS), b.weight('cls.predictions.bias')], { transB: { i: 1 } }); // [batch * seq, vocab]
  const shape = g.op('Concat', [g.op('Shape', [inputIds]), b.int64s([config.vocabSize])], { axis: { i: 0 } });
  return g.op('Reshape', [logits, shape]); // [batch, seq, vocab]
}

/**
 * The model as an ONNX graph, with the head the weights carry as architectureName picks it (the classifier over
 * the MLM head, or qa_outputs), named as HF's ONNX exports are.
 */
export function bertOnnxModel(config: BertConfig, weights: Weights, producer: string): ModelProto {
  const b = new Builder(config, weights);
  const { g } = b;
  const inputIds = g.input('input_ids', 'int64', [BATCH, SEQ]);
  const attentionMask = g.input('attention_mask', 'int64', [BATCH, SEQ]);
  const tokenTypeIds = config.typeVocabSize > 1 ? g.input('token_type_ids', 'int64', [BATCH, SEQ]) : undefined;

  const mask = extendedAttentionMask(b, attentionMask);
  let hidden = embeddings(b, inputIds, tokenTypeIds);
  for (let i = 0; i < config.numHiddenLayers; i++) hidden = layer(b, i, hidden, mask);

  const heads = architectureOf(weights);
  if (heads.classifier) {
    if (!weights.has(POOLER_WEIGHT)) throw new Error('ONNX export: a classifier needs the pooler, which the weights lack');
    g.output('logits', b.linear('classifier', pooler(b, hidden)), 'float', [BATCH, config.numLabels]);
  } else if (heads.mlm) {
    g.output('logits', mlmHead(b, hidden, inputIds), 'float', [BATCH, SEQ, config.vocabSize]);
  } else if (heads.qa) {
    // *ForQuestionAnswering's two outputs, as HF's ONNX exports name them (transformers.js's QA pipeline reads them).
    const logits = b.linear('qa_outputs', hidden); // [batch, seq, 2]
    g.output('start_logits', g.op('Gather', [logits, b.int64s([0], [])], { axis: { i: 2 } }), 'float', [BATCH, SEQ]);
    g.output('end_logits', g.op('Gather', [logits, b.int64s([1], [])], { axis: { i: 2 } }), 'float', [BATCH, SEQ]);
  } else {
    g.output('last_hidden_state', hidden, 'float', [BATCH, SEQ, config.hiddenSize]);
  }
  return g.model(`${config.modelType}_encoder`, producer);
}
