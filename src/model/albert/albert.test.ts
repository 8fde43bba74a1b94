import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../tools/testing/fixtures';
import { goldenBatch, loadFixture, type GoldenSpec } from '../../../tools/reference/goldenCheck';
import type { EncodedExample } from '../../data/encode';
import { encodeModel } from '../../io/onnx/graph';
import { readSafetensors } from '../../io/safetensors';
import { validateTrainingArgs } from '../../train/defaults';
import { buildParamGroups } from '../../train/groups';
import { Trainer } from '../../train/trainer';
import { classificationHead } from '../bert/heads';
import { bertForward } from '../bert/model';
import { bertOnnxModel } from '../bert/onnx';
import { parameterShapes } from '../bert/params';
import { paramsForTask } from '../bert/tasks';
import { exportBertWeights } from '../bert/weights';
import { ConfigError } from '../errors';
import { classificationLoss } from '../losses';
import { familyOf, sharedTensors } from '../families';
import { disposeParams } from '../params';
import { familyWeights } from '../pretrained';
import { albertConfigToJson, parseAlbertConfig } from './config';
import { albertName, bertName } from './weights';

const fixture = (file: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'albert', file)));
const configJson = (): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fixture('config.json')));
const spec = (): GoldenSpec => JSON.parse(new TextDecoder().decode(fixture('golden.json')));

describe('ALBERT config', () => {
  it('reads factorised embeddings and one set of layer weights for all layers, with no dropout after the feed-forward block', () => {
    expect(parseAlbertConfig(configJson())).toMatchObject({
      modelType: 'albert',
      embeddingSize: 24,
      hiddenSize: 32,
      numHiddenLayers: 3,
      numHiddenGroups: 1,
      embeddingsProjected: true,
      feedForwardDropout: false,
      hiddenAct: 'gelu_new',
      mlmAct: 'gelu_new',
      classifierDropout: 0.1,
    });
  });

  it("takes HF AlbertConfig's defaults, and refuses what is not implemented", () => {
    expect(parseAlbertConfig({ model_type: 'albert' })).toMatchObject({ vocabSize: 30000, embeddingSize: 128, hiddenSize: 4096, numHiddenGroups: 1, hiddenAct: 'gelu_new', hiddenDropoutProb: 0 });
    expect(() => parseAlbertConfig({ model_type: 'albert', inner_group_num: 2 })).toThrow(ConfigError);
    expect(() => parseAlbertConfig({ model_type: 'albert', inner_group_num: 2 })).toThrow(/"inner_group_num" is 2: only one layer per group/);
    expect(() => parseAlbertConfig({ model_type: 'albert', num_hidden_groups: 13 })).toThrow(/"num_hidden_groups" must be a positive integer up to num_hidden_layers \(12\)/);
  });

  it('writes config.json back as it read it', () => {
    expect(albertConfigToJson(parseAlbertConfig(configJson()))).toEqual(configJson());
  });
});

describe('ALBERT tensor names', () => {
  it('map every tensor of the checkpoint onto the shared names and shapes, one set of layer weights, and back', () => {
    const tensors = readSafetensors(fixture('model.safetensors')).tensors;
    const shapes = parameterShapes(parseAlbertConfig(configJson()), { pooler: true, mlm: true, classifier: true });
    for (const [stored, entry] of tensors) {
      expect(shapes.get(bertName(stored)), stored).toEqual(entry.shape);
      expect(albertName(bertName(stored))).toBe(stored);
    }
    expect(tensors.size).toBe(shapes.size);
    expect([...shapes.keys()].filter((name) => name.startsWith('bert.encoder.layer.1.'))).toEqual([]);
  });

  it('take AlbertModel without the prefix and the decoder bias as predictions.bias, and leave the SOP head unexpected', () => {
    expect(bertName('encoder.embedding_hidden_mapping_in.weight')).toBe('bert.embeddings.project.weight');
    expect(bertName('pooler.bias')).toBe('bert.pooler.dense.bias');
    expect(bertName('embeddings.word_embeddings.weight')).toBe('bert.embeddings.word_embeddings.weight');
    expect(bertName('predictions.decoder.bias')).toBe('cls.predictions.bias');
    expect(bertName('sop_classifier.classifier.weight')).toBe('sop_classifier.classifier.weight');
  });
});

describe('ALBERT training', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const ids = new Map((JSON.parse(new TextDecoder().decode(fixture('tokenizer.json'))).model.vocab as [string, number][]).map(([piece], id) => [piece, id]));
  const special = { pad: ids.get('<pad>')!, unk: ids.get('<unk>')!, cls: ids.get('[CLS]')!, sep: ids.get('[SEP]')!, mask: ids.get('[MASK]')! };
  const examples = (count: number): EncodedExample[] =>
    Array.from({ length: count }, (_, index) => {
      const positive = index % 2 === 1;
      const tokens = ['[CLS]', '▁the', ['▁movie', '▁film', '▁book'][index % 3], '▁was', positive ? '▁good' : '▁bad', '[SEP]'];
      const edge = (i: number) => i === 0 || i === tokens.length - 1;
      return {
        inputIds: Int32Array.from(tokens, (token) => ids.get(token)!),
        tokenTypeIds: new Int32Array(tokens.length),
        wordIds: Int32Array.from(tokens, (_, i) => (edge(i) ? -1 : i - 1)),
        specialMask: Uint8Array.from(tokens, (_, i) => (edge(i) ? 1 : 0)),
        label: positive ? 1 : 0,
        index,
      };
    });

  it('groups the shared layer once in the freeze map and the layer-wise rates, trains it, and exports AlbertForSequenceClassification', async () => {
    const base = parseAlbertConfig(configJson());
    const checkpoint = sharedTensors(familyOf(configJson()), readSafetensors(fixture('model.safetensors')).tensors);
    const labels = { kind: 'categorical' as const, id2label: ['negative', 'positive'], label2id: { negative: 0, positive: 1 } };
    const { params, config } = paramsForTask(base, checkpoint, 'classify', labels, 7);
    expect(buildParamGroups(params, config.numHiddenGroups).groups.map((group) => group.id)).toEqual(['embeddings', 'layer.0', 'pooler', 'head']);
    const query = 'bert.encoder.layer.0.attention.self.query.weight';
    const before = (await params.get(query)!.data()).slice();
    const args = validateTrainingArgs({ batchSize: 8, maxLength: 16, maxSteps: 3, learningRate: 1e-3, llrd: 0.5, freeze: 'top:1', earlyStoppingPatience: 0 });
    const trainer = new Trainer({ model: { params, config }, task: 'classify', numLabels: 2, regression: false, tokenizer: { vocabSize: config.vocabSize, special }, args, train: examples(24), validation: examples(6) });
    expect(trainer.groups.groups.map((group) => group.id)).toEqual(['embeddings', 'layer.0', 'pooler', 'head']);
    const result = await trainer.run();
    expect(result.outcome).toBe('done');
    expect(await params.get(query)!.data()).not.toEqual(before); // top:1 trains the one shared layer

    const names = [...familyWeights(config, await exportBertWeights(params)).keys()];
    expect(config.architectures).toEqual(['AlbertForSequenceClassification']);
    expect(names).toEqual(expect.arrayContaining(['albert.pooler.weight', 'classifier.weight', 'albert.encoder.embedding_hidden_mapping_in.weight', 'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight']));
    expect(names.filter((name) => !name.startsWith('albert.') && !name.startsWith('classifier.'))).toEqual([]);
    disposeParams(params);
  });

  it('gives the shared layer the same gradients when each of its runs is recomputed in the backward pass', async () => {
    const { golden, config, params } = await loadFixture(async (file: string) => fixture(file));
    const batch = goldenBatch(spec(), golden);
    const labels = golden.get('classification_labels')!.data;
    const gradients = (gradientCheckpointing: boolean): Float32Array =>
      tf.tidy(() => {
        const shared = [params.get('bert.encoder.layer.0.attention.self.query.weight')!, params.get('bert.encoder.layer.0.output.dense.weight')!];
        const { grads } = tf.variableGrads(() => {
          const out = bertForward(params, config, batch, { training: true, seed: 3, gradientCheckpointing });
          return classificationLoss(config, classificationHead(params, config, out.pooledOutput!, { training: false }), labels);
        }, shared);
        return tf.concat(shared.map((variable) => tf.reshape(grads[variable.name], [-1]))).dataSync() as Float32Array;
      });
    const stored = gradients(false);
    const recomputed = gradients(true);
    expect(Math.max(...recomputed.map((g, i) => Math.abs(g - stored[i])))).toBeLessThan(1e-6);
    disposeParams(params);
  });

  it("runs as ONNX in onnxruntime with the reference's logits, the shared layer's weights stored once", async () => {
    const readFile = async (file: string) => fixture(file);
    const { golden, config, params } = await loadFixture(readFile);
    const weights = await exportBertWeights(params);
    disposeParams(params);
    const model = bertOnnxModel(config, new Map([...weights].filter(([name]) => !name.startsWith('cls.'))), 'test');
    const initializers = model.graph!.initializer!.map((tensor) => tensor.name);
    expect(initializers.filter((name) => name === 'bert.encoder.layer.0.intermediate.dense.weight')).toHaveLength(1);
    const int64 = (name: string) => new ort.Tensor('int64', BigInt64Array.from(golden.get(name)!.data as Int32Array, BigInt), [3, 12]);
    const session = await ort.InferenceSession.create(encodeModel(model));
    const { logits } = await session.run({ input_ids: int64('input_ids'), attention_mask: int64('attention_mask'), token_type_ids: int64('token_type_ids') });
    const reference = golden.get('classification_logits')!.data;
    expect(Math.max(...(logits.data as Float32Array).map((v, i) => Math.abs(v - reference[i])))).toBeLessThan(1e-4);
    await session.release();
  });
});
