import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../tools/testing/fixtures';
import { loadFixture } from '../../../tools/reference/goldenCheck';
import { encodeModel } from '../../io/onnx/graph';
import { readSafetensors, writeSafetensors } from '../../io/safetensors';
import type { EncodedExample } from '../../data/encode';
import { validateTrainingArgs } from '../../train/defaults';
import { Trainer } from '../../train/trainer';
import { checkBatch, type BertBatch } from '../bert/batch';
import { bertConfigToJson, maxSequenceLength, type BertConfig } from '../bert/config';
import { paddedPositionIds } from '../bert/embeddings';
import { classificationHead } from '../bert/heads';
import { bertOnnxModel } from '../bert/onnx';
import { bertForward } from '../bert/model';
import { architectureOf, parameterShapes, type BertArchitecture, type BertParams } from '../bert/params';
import { checkpointArchitecture, paramsForTask } from '../bert/tasks';
import { exportBertWeights, loadBertWeights } from '../bert/weights';
import { ConfigError, ModelInputError } from '../errors';
import { FAMILIES, familyOf, sharedTensors } from '../families';
import { disposeParams } from '../params';
import { familyWeights } from '../pretrained';
import { parseRobertaConfig } from './config';
import { bertName, robertaName } from './weights';

const fixture = (name: string, file: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES_DIR, name, file)));
const configJson = (name: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fixture(name, 'config.json')));
const readFile = (name: string) => async (file: string) => fixture(name, file);

const SEQUENCE: BertArchitecture = { pooler: true, mlm: false, classifier: true, qa: false };
const TOKENS: BertArchitecture = { pooler: false, mlm: false, classifier: true, qa: false };
const MASKED_LM: BertArchitecture = { pooler: false, mlm: true, classifier: false, qa: false };

describe('RoBERTa config', () => {
  it('reads the published layout: one token type, positions counted from the padding id, a tanh head that drops <s> out first', () => {
    expect(parseRobertaConfig(configJson('roberta'))).toMatchObject({
      modelType: 'roberta',
      typeVocabSize: 1,
      padTokenId: 1,
      layerNormEps: 1e-5,
      maxPositionEmbeddings: 34,
      positionIdsFromPadding: true,
      poolerAct: 'tanh',
      poolerInputDropout: true,
      mlmAct: 'gelu',
    });
    expect(parseRobertaConfig(configJson('xlm-roberta')).modelType).toBe('xlm-roberta');
    // 514 rows in the published checkpoints serve 512 tokens: rows 0 and 1 sit below the first position.
    expect(maxSequenceLength(parseRobertaConfig({ model_type: 'roberta', max_position_embeddings: 514 }))).toBe(512);
  });

  it("takes HF's defaults where BERT's differ, and refuses a config whose positions cannot be counted", () => {
    expect(parseRobertaConfig({ model_type: 'roberta' })).toMatchObject({ vocabSize: 50265, padTokenId: 1, extras: { bos_token_id: 0, eos_token_id: 2 } });
    expect(parseRobertaConfig({ model_type: 'xlm-roberta' })).toMatchObject({ vocabSize: 30522, padTokenId: 1 });
    expect(() => parseRobertaConfig({ model_type: 'roberta', pad_token_id: null })).toThrow(ConfigError);
    expect(() => parseRobertaConfig({ model_type: 'roberta', pad_token_id: null })).toThrow(/"pad_token_id" is null/);
    expect(() => parseRobertaConfig({ model_type: 'roberta', max_position_embeddings: 2 })).toThrow(/"max_position_embeddings" \(2\) leaves no position/);
    expect(() => parseRobertaConfig({ model_type: 'bert' })).toThrow(/must be "roberta" or "xlm-roberta"/);
  });

  it('writes config.json back as it read it, under its own model_type', () => {
    for (const name of ['roberta', 'xlm-roberta']) expect(bertConfigToJson(parseRobertaConfig(configJson(name)))).toEqual(configJson(name));
  });
});

describe('RoBERTa tensor names', () => {
  it('map every tensor of the checkpoint onto the shared names and shapes, and back', () => {
    const tensors = readSafetensors(fixture('roberta', 'model.safetensors')).tensors;
    const shapes = parameterShapes(parseRobertaConfig(configJson('roberta')), { pooler: true, mlm: true, classifier: true });
    for (const [stored, entry] of tensors) {
      expect(shapes.get(bertName(stored)), stored).toEqual(entry.shape);
      expect(robertaName(bertName(stored), { pooler: true, mlm: true, classifier: true })).toBe(stored);
    }
    expect(tensors.size).toBe(shapes.size);
  });

  it("save the pooler as each class does: the classification head's dense, else RobertaModel's pooler", () => {
    expect(bertName('roberta.pooler.dense.weight')).toBe('bert.pooler.dense.weight');
    expect(robertaName('bert.pooler.dense.weight', SEQUENCE)).toBe('classifier.dense.weight');
    expect(robertaName('classifier.bias', SEQUENCE)).toBe('classifier.out_proj.bias');
    // roberta-base is saved as RobertaForMaskedLM beside RobertaModel's pooler.
    expect(robertaName('bert.pooler.dense.bias', { pooler: true, mlm: true, classifier: false })).toBe('roberta.pooler.dense.bias');
    // RobertaForTokenClassification: a plain classifier, no pooler.
    expect(robertaName('classifier.weight', TOKENS)).toBe('classifier.weight');
    expect(robertaName('bert.embeddings.position_embeddings.weight', MASKED_LM)).toBe('roberta.embeddings.position_embeddings.weight');
  });

  it('take the decoder bias as the tied lm_head.bias, RobertaModel without its prefix, and leave other heads unexpected', () => {
    expect(bertName('lm_head.decoder.bias')).toBe('cls.predictions.bias');
    expect(bertName('lm_head.decoder.weight')).toBe('cls.predictions.decoder.weight');
    expect(bertName('embeddings.word_embeddings.weight')).toBe('bert.embeddings.word_embeddings.weight');
    expect(bertName('pooler.dense.weight')).toBe('bert.pooler.dense.weight');
    expect(bertName('roberta.embeddings.position_ids')).toBe('bert.embeddings.position_ids');
    expect(bertName('qa_outputs.weight')).toBe('qa_outputs.weight');
  });
});

describe('RoBERTa positions and segments', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("count the non-pad tokens of each row from pad_token_id + 1, as HF's create_position_ids_from_input_ids", () => {
    const inputIds = Int32Array.from([0, 7, 8, 2, 1, 1, 0, 1, 9, 2, 1, 1]);
    expect(Array.from(paddedPositionIds({ inputIds, seqLen: 6 }, 1))).toEqual([2, 3, 4, 5, 1, 1, 2, 1, 3, 4, 1, 1]);
  });

  it('refuse a sequence longer than the positions past the offset', () => {
    const config = parseRobertaConfig(configJson('roberta'));
    const batch = (seqLen: number): BertBatch => ({
      inputIds: new Int32Array(seqLen).fill(5),
      tokenTypeIds: new Int32Array(seqLen).fill(1),
      attentionMask: new Int32Array(seqLen).fill(1),
      batchSize: 1,
      seqLen,
    });
    expect(() => checkBatch(batch(32), config)).not.toThrow(); // segment id 1 passes: RoBERTa ignores it
    expect(() => checkBatch(batch(33), config)).toThrow(ModelInputError);
    expect(() => checkBatch(batch(33), config)).toThrow(/33 exceeds max_position_embeddings \(34\) less the 2 rows below the first position/);
  });

  it("match the reference only with RoBERTa's positions, and whatever the segment ids say", async () => {
    const { golden, config, params } = await loadFixture(readFile('roberta'));
    try {
      const ids = golden.get('input_ids')!.data as Int32Array;
      const expected = golden.get('hidden_states.0')!.data;
      const embeddings = (positionIdsFromPadding: boolean, segment: number): Float32Array => {
        const batch = { inputIds: ids, tokenTypeIds: new Int32Array(ids.length).fill(segment), attentionMask: new Int32Array(ids.length).fill(1), batchSize: 3, seqLen: 12 };
        const out = tf.tidy(() => bertForward(params, { ...config, positionIdsFromPadding }, batch, { training: false, outputHiddenStates: true }).hiddenStates![0]);
        const values = out.dataSync() as Float32Array;
        out.dispose();
        return values;
      };
      const maxError = (values: Float32Array): number => Math.max(...values.map((v, i) => Math.abs(v - expected[i])));
      expect(maxError(embeddings(true, 0))).toBeLessThan(1e-4);
      expect(embeddings(true, 1)).toEqual(embeddings(true, 0));
      expect(maxError(embeddings(false, 0))).toBeGreaterThan(0.1);
    } finally {
      disposeParams(params);
    }
  });
});

describe('RoBERTa fine-tuning and export, through ids', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // The tokenizer (byte-level BPE) is not the model's concern: examples are written in the fixture's token ids.
  const vocab = JSON.parse(new TextDecoder().decode(fixture('roberta', 'vocab.json'))) as Record<string, number>;
  const special = { cls: vocab['<s>'], pad: vocab['<pad>'], sep: vocab['</s>'], unk: vocab['<unk>'], mask: vocab['<mask>'] };
  const examples = (count: number): EncodedExample[] =>
    Array.from({ length: count }, (_, index) => {
      const positive = index % 2 === 1;
      const subject = ['Ġmovie', 'Ġfilm', 'Ġbook', 'Ġstory'][index % 4];
      const word = (positive ? ['Ġgood', 'Ġgreat', 'Ġlove'] : ['Ġbad', 'Ġsad'])[(index >> 1) % (positive ? 3 : 2)];
      const tokens = ['<s>', 'the', subject, 'Ġwas', word, '</s>'];
      return {
        inputIds: Int32Array.from(tokens, (token) => vocab[token]),
        tokenTypeIds: new Int32Array(tokens.length),
        wordIds: Int32Array.from(tokens, (_, i) => (i === 0 || i === tokens.length - 1 ? -1 : i - 1)),
        specialMask: Uint8Array.from(tokens, (_, i) => (i === 0 || i === tokens.length - 1 ? 1 : 0)),
        label: positive ? 1 : 0,
        index,
      };
    });

  it('fine-tunes a sequence classifier, exports RobertaForSequenceClassification, and loads it back the same', async () => {
    const base = parseRobertaConfig(configJson('roberta'));
    const checkpoint = sharedTensors(familyOf(configJson('roberta')), readSafetensors(fixture('roberta', 'model.safetensors')).tensors);
    const labels = { kind: 'categorical' as const, id2label: ['negative', 'positive'], label2id: { negative: 0, positive: 1 } };
    const { params, config, report } = paramsForTask(base, checkpoint, 'classify', labels, 7);
    // The checkpoint's classifier is for three labels; its head's dense layer fits any.
    expect(report.initialised).toEqual(['classifier.weight', 'classifier.bias']);
    const before = (await params.get('bert.encoder.layer.0.attention.self.query.weight')!.data()).slice();
    const args = validateTrainingArgs({ batchSize: 8, maxLength: 16, maxSteps: 4, learningRate: 1e-3, earlyStoppingPatience: 0 });
    const trainer = new Trainer({ model: { params, config }, task: 'classify', numLabels: 2, regression: false, tokenizer: { vocabSize: config.vocabSize, special }, args, train: examples(32), validation: examples(8) });
    const result = await trainer.run();
    expect(result.outcome).toBe('done');
    expect(result.history.steps.every((step) => Number.isFinite(step.loss))).toBe(true);
    expect(await params.get('bert.encoder.layer.0.attention.self.query.weight')!.data()).not.toEqual(before);

    // The model's files as export writes them (the tokenizer's are the tokenizer's concern).
    const saved = JSON.parse(JSON.stringify(FAMILIES.roberta.configToJson(config))) as Record<string, unknown>;
    expect(saved).toMatchObject({ model_type: 'roberta', architectures: ['RobertaForSequenceClassification'], type_vocab_size: 1, pad_token_id: 1, id2label: { 0: 'negative', 1: 'positive' } });
    const tensors = readSafetensors(writeSafetensors(familyWeights(config, await exportBertWeights(params)))).tensors;
    const names = [...tensors.keys()];
    expect(names).toEqual(expect.arrayContaining(['classifier.dense.weight', 'classifier.out_proj.weight', 'roberta.embeddings.token_type_embeddings.weight']));
    expect(names.filter((name) => !name.startsWith('roberta.embeddings.') && !name.startsWith('roberta.encoder.') && !name.startsWith('classifier.'))).toEqual([]);

    const family = familyOf(saved);
    const reloaded = sharedTensors(family, tensors);
    const back = loadBertWeights(family.parseConfig(saved), reloaded, checkpointArchitecture(reloaded));
    expect(architectureOf(back.params)).toEqual(SEQUENCE);
    expect(back.report).toMatchObject({ missing: [], unexpected: [], initialised: [] });
    const input: BertBatch = { inputIds: Int32Array.from(examples(2).flatMap((e) => [...e.inputIds])), tokenTypeIds: new Int32Array(12), attentionMask: new Int32Array(12).fill(1), batchSize: 2, seqLen: 6 };
    const logits = (model: { params: BertParams; config: BertConfig }): Float32Array =>
      tf.tidy(() => classificationHead(model.params, model.config, bertForward(model.params, model.config, input, { training: false }).pooledOutput!, { training: false }).dataSync() as Float32Array);
    expect(logits({ params: back.params, config: family.parseConfig(saved) })).toEqual(logits({ params, config }));
    disposeParams(params);
    disposeParams(back.params);
  });

  it('trains the masked-LM head and exports RobertaForMaskedLM: lm_head, no pooler, no tied decoder', async () => {
    const base = parseRobertaConfig(configJson('roberta'));
    const checkpoint = sharedTensors(familyOf(configJson('roberta')), readSafetensors(fixture('roberta', 'model.safetensors')).tensors);
    const { params, config, report } = paramsForTask(base, checkpoint, 'mlm', undefined, 7);
    expect(report.initialised).toEqual([]);
    const args = validateTrainingArgs({ batchSize: 8, maxLength: 16, maxSteps: 3, learningRate: 1e-3, earlyStoppingPatience: 0 });
    const trainer = new Trainer({ model: { params, config }, task: 'mlm', numLabels: 0, regression: false, tokenizer: { vocabSize: config.vocabSize, special }, args, train: examples(32), validation: examples(8) });
    expect((await trainer.run()).outcome).toBe('done');
    expect(config.architectures).toEqual(['RobertaForMaskedLM']);
    const names = [...familyWeights(config, await exportBertWeights(params)).keys()];
    expect(names.filter((name) => name.startsWith('lm_head.')).sort()).toEqual(['lm_head.bias', 'lm_head.dense.bias', 'lm_head.dense.weight', 'lm_head.layer_norm.bias', 'lm_head.layer_norm.weight']);
    expect(names.some((name) => name.includes('pooler') || name.startsWith('classifier.'))).toBe(false);
    disposeParams(params);
  });
});

describe('RoBERTa as ONNX', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("computes the reference's logits in onnxruntime, its position ids counted in the graph, without token_type_ids", async () => {
    const { golden, config, params } = await loadFixture(readFile('roberta'));
    const weights = await exportBertWeights(params);
    disposeParams(params);
    const int64 = (name: string) => new ort.Tensor('int64', BigInt64Array.from(golden.get(name)!.data as Int32Array, BigInt), [3, 12]);
    const feeds = { input_ids: int64('input_ids'), attention_mask: int64('attention_mask') };
    for (const [head, expected] of [['classifier.', 'classification_logits'], ['cls.', 'mlm_logits']] as const) {
      // The classifier wins over the MLM head (architectureName's choice): export each head alone.
      const headWeights = new Map([...weights].filter(([name]) => !name.startsWith(head === 'cls.' ? 'classifier.' : 'cls.')));
      const model = bertOnnxModel(config, headWeights, 'test');
      expect(model.graph!.input!.map((input) => input.name)).toEqual(['input_ids', 'attention_mask']);
      const session = await ort.InferenceSession.create(encodeModel(model));
      const { logits } = await session.run(feeds);
      const reference = golden.get(expected)!.data;
      const error = Math.max(...(logits.data as Float32Array).map((v, i) => Math.abs(v - reference[i])));
      expect(error, expected).toBeLessThan(1e-4);
      await session.release();
    }
  });
});
