import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeParams } from '../params';
import { architectureOf } from './params';
import { architectureName, checkpointArchitecture, takeMissingHeads, taskHead, withTaskHead } from './tasks';
import { FULL, randomCheckpoint, tinyConfig } from './testing';
import { loadBertWeights } from './weights';

const labels = { kind: 'categorical' as const, id2label: ['neg', 'pos'], label2id: { neg: 0, pos: 1 } };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the heads each task puts on BERT', () => {
  it('names the class a set of heads is saved as, the same for a task head and an export', () => {
    expect(architectureName({ pooler: true, mlm: false, classifier: true })).toBe('BertForSequenceClassification');
    expect(architectureName({ pooler: false, mlm: true, classifier: false })).toBe('BertForMaskedLM');
    expect(architectureName({ pooler: true, mlm: false, classifier: false })).toBe('BertModel');
    const mlm = taskHead(tinyConfig(), 'mlm', undefined);
    expect(mlm.config.architectures).toEqual([architectureName(mlm.architecture)]);
    const classify = taskHead(tinyConfig(), 'classify', labels);
    expect(classify.config).toMatchObject({ id2label: ['neg', 'pos'], numLabels: 2, problemType: 'single_label_classification' });
    expect(classify.config.architectures).toEqual([architectureName(classify.architecture)]);
    expect(taskHead(tinyConfig(), 'classify', { kind: 'numeric' }).config).toMatchObject({ numLabels: 1, problemType: 'regression' });
  });

  it('puts a classifier without a pooler on every token for NER, as *ForTokenClassification, in each family', () => {
    const tags = { kind: 'categorical' as const, id2label: ['O', 'B-PER', 'I-PER'], label2id: { O: 0, 'B-PER': 1, 'I-PER': 2 } };
    const ner = taskHead(tinyConfig(), 'ner', tags);
    expect(ner.architecture).toEqual({ pooler: false, mlm: false, classifier: true, qa: false });
    expect(ner.config).toMatchObject({ id2label: ['O', 'B-PER', 'I-PER'], label2id: { O: 0, 'B-PER': 1, 'I-PER': 2 }, numLabels: 3, problemType: null });
    expect(ner.config.architectures).toEqual(['BertForTokenClassification']);
    expect(taskHead({ ...tinyConfig(), modelType: 'distilbert' }, 'ner', tags).config.architectures).toEqual(['DistilBertForTokenClassification']);
    expect(taskHead({ ...tinyConfig(), modelType: 'electra' }, 'ner', tags).config.architectures).toEqual(['ElectraForTokenClassification']);
    const { params } = loadBertWeights(ner.config, randomCheckpoint(tinyConfig(), FULL), ner.architecture);
    expect(checkpointArchitecture(new Map([...params].map(([name, v]) => [name, { dtype: 'F32' as const, shape: v.shape, data: new Float32Array(v.size) }])))).toEqual(ner.architecture);
    disposeParams(params);
  });

  it('puts qa_outputs without a pooler on every token for QA, as *ForQuestionAnswering, in each family', async () => {
    const qa = taskHead(tinyConfig(), 'qa', undefined);
    expect(qa.architecture).toEqual({ pooler: false, mlm: false, classifier: false, qa: true });
    expect(qa.config).toMatchObject({ numLabels: 2, problemType: null, architectures: ['BertForQuestionAnswering'] });
    expect(taskHead({ ...tinyConfig(), modelType: 'distilbert' }, 'qa', undefined).config.architectures).toEqual(['DistilBertForQuestionAnswering']);
    expect(taskHead({ ...tinyConfig(), modelType: 'electra' }, 'qa', undefined).config.architectures).toEqual(['ElectraForQuestionAnswering']);
    const config = tinyConfig({ id2label: { 0: 'neg', 1: 'pos' } });
    const { params } = loadBertWeights(config, randomCheckpoint(config, FULL), { pooler: true, mlm: false, classifier: true });
    const built = await withTaskHead({ params, config }, randomCheckpoint(config, FULL), 'qa', undefined, 1);
    expect(architectureOf(built.params)).toEqual(qa.architecture);
    expect(built.initialised).toEqual(['qa_outputs.weight', 'qa_outputs.bias']);
    expect(built.params.get('qa_outputs.weight')!.shape).toEqual([2, config.hiddenSize]);
    // A QA checkpoint's qa_outputs are kept: they do not depend on any labels.
    const tensors = new Map([...built.params].map(([name, v]) => [name, { dtype: 'F32' as const, shape: v.shape, data: v.dataSync() as Float32Array }]));
    expect(checkpointArchitecture(tensors)).toEqual(qa.architecture);
    const again = await withTaskHead({ params, config }, tensors, 'qa', undefined, 2);
    expect(again.taken).toEqual(['qa_outputs.weight', 'qa_outputs.bias']);
    [params, built.params, again.params].forEach(disposeParams);
  });

  it('reads the heads a checkpoint carries from its tensor names', () => {
    const config = tinyConfig();
    expect(checkpointArchitecture(randomCheckpoint(config, FULL))).toEqual({ ...FULL, qa: false });
    expect(checkpointArchitecture(randomCheckpoint(config, { pooler: false, mlm: true, classifier: false }))).toEqual({ pooler: false, mlm: true, classifier: false, qa: false });
  });

  it('takes from the checkpoint only the label-free heads the weights lack', () => {
    const config = tinyConfig();
    const encoder = randomCheckpoint(config, { pooler: false, mlm: false, classifier: false });
    const taken = takeMissingHeads(encoder, randomCheckpoint(config, FULL, 2), { pooler: true, mlm: true, classifier: true });
    expect(taken.every((name) => name.startsWith('bert.pooler.') || name.startsWith('cls.predictions.'))).toBe(true);
    expect(taken).toContain('bert.pooler.dense.weight');
    expect(encoder.has('classifier.weight')).toBe(false);
  });

  it('keeps parameters whose heads fit the task, and builds new ones with the checkpoint heads when they do not', async () => {
    const config = tinyConfig({ id2label: { 0: 'neg', 1: 'pos' } });
    const checkpoint = randomCheckpoint(config, FULL);
    const { params } = loadBertWeights(config, checkpoint, { pooler: true, mlm: false, classifier: true });
    const same = await withTaskHead({ params, config }, checkpoint, 'classify', labels, 1);
    expect(same.params).toBe(params);
    const mlm = await withTaskHead({ params, config }, checkpoint, 'mlm', undefined, 1);
    expect(mlm.params).not.toBe(params);
    expect(architectureOf(mlm.params)).toEqual({ pooler: false, mlm: true, classifier: false, qa: false });
    expect(mlm.taken).toContain('cls.predictions.bias');
    expect(mlm.initialised).toEqual([]);
    disposeParams(params);
    disposeParams(mlm.params);
  });
});
