import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePrepared, prepareData, rowText } from '../data/prepare';
import { disposeParams } from '../model/params';
import { fixtureModel, toyMlmCorpus, toySentimentCsv, toySquadJson } from '../../tools/testing/fixtures';
import { sourceFor } from '../io/modelSpec';
import { loadPretrained, type Pretrained } from '../model/pretrained';
import { paramsForTask } from '../model/bert/tasks';
import { validateTrainingArgs } from './defaults';
import { getEntities } from './entities';
import { evaluateModel, EvaluationCancelled, MAX_MISCLASSIFIED } from './evaluate';
import { evalOptions } from './trainer';

let pretrained: Pretrained;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  pretrained = await loadPretrained(sourceFor(fixtureModel('base'), ''));
});

afterAll(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const FILE_NAMES = { classify: 'toy.csv', mlm: 'corpus.txt', ner: 'toy.conll' } as const;

function setup(task: 'classify' | 'mlm' | 'ner', text: string, seed: number) {
  const prepared = prepareData({ train: { fileName: FILE_NAMES[task], text } }, { task, seed: 1, valSplit: 0.5 });
  const args = validateTrainingArgs({ batchSize: 8, maxLength: 16 });
  const data = encodePrepared(prepared, pretrained.tokenizer, { maxLength: args.maxLength });
  const { params, config } = paramsForTask(pretrained.config, pretrained.tensors, task, prepared.labels, seed);
  cleanups.push(() => disposeParams(params));
  const init = { task, regression: false, numLabels: config.numLabels, tokenizer: pretrained.tokenizer, args };
  return { prepared, data, model: { params, config }, init };
}

describe('evaluateModel misclassified examples', () => {
  it('lists the untrained head\'s mistakes with their row text, label names and confidence, most confident first', async () => {
    const { prepared, data, model, init } = setup('classify', toySentimentCsv(40), 3);
    const textOf = rowText(prepared);
    const metrics = await evaluateModel(model, data.validation, evalOptions({ ...init, textOf }));
    const report = metrics.classification!;
    const wrong = report.confusion.reduce((n, row, label) => n + row.reduce((m, count, p) => m + (p === label ? 0 : count), 0), 0);
    const listed = metrics.misclassified!;
    expect(wrong).toBeGreaterThan(0);
    expect(listed).toHaveLength(Math.min(wrong, MAX_MISCLASSIFIED));
    for (const example of listed) {
      expect(example.text).toBe(prepared.train.rows[example.row].text);
      expect(['negative', 'positive']).toContain(example.label);
      expect(example.predicted).not.toBe(example.label);
      expect(example.confidence).toBeGreaterThanOrEqual(0.5);
      expect(example.confidence).toBeLessThanOrEqual(1);
      expect(prepared.split.validation).toContain(example.row);
    }
    const confidences = listed.map((e) => e.confidence!);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('caps the list at MAX_MISCLASSIFIED', async () => {
    const { prepared, data, model, init } = setup('classify', toySentimentCsv(240), 3);
    const metrics = await evaluateModel(model, data.validation, evalOptions({ ...init, textOf: rowText(prepared) }));
    const wrong = metrics.classification!.confusion.flatMap((row, l) => row.filter((_, p) => p !== l)).reduce((a, b) => a + b, 0);
    expect(wrong).toBeGreaterThan(MAX_MISCLASSIFIED);
    expect(metrics.misclassified).toHaveLength(MAX_MISCLASSIFIED);
  });

  it('lists nothing without textOf, and nothing for MLM', async () => {
    const classify = setup('classify', toySentimentCsv(20), 3);
    expect((await evaluateModel(classify.model, classify.data.validation, evalOptions(classify.init))).misclassified).toBeUndefined();
    const mlm = setup('mlm', toyMlmCorpus(16), 3);
    const metrics = await evaluateModel(mlm.model, mlm.data.validation, evalOptions({ ...mlm.init, textOf: rowText(mlm.prepared) }));
    expect(metrics.maskedAccuracy).toBeDefined();
    expect(metrics.misclassified).toBeUndefined();
  });
});

describe('evaluateModel progress and cancellation', () => {
  it('reports the examples scored after each batch, ending at the total', async () => {
    const { data, model, init } = setup('classify', toySentimentCsv(60), 3);
    const seen: number[] = [];
    await evaluateModel(model, data.validation, { ...evalOptions(init), onProgress: (p) => (expect(p.stage).toBe('evaluate'), seen.push(p.loaded)) });
    expect(data.validation.length).toBe(30);
    expect(seen).toEqual([8, 16, 24, 30]);
  });

  it('ends with EvaluationCancelled, between two batches, once cancelled says so', async () => {
    const { data, model, init } = setup('classify', toySentimentCsv(60), 3);
    let batches = 0;
    const tensors = tf.memory().numTensors;
    const run = evaluateModel(model, data.validation, { ...evalOptions(init), onProgress: () => batches++, cancelled: () => batches === 2 });
    await expect(run).rejects.toBeInstanceOf(EvaluationCancelled);
    expect(batches).toBe(2);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('evaluateModel for token classification', () => {
  // Sentences of 2 to 7 words, so batches hold different word counts.
  const conll = Array.from({ length: 24 }, (_, i) => ['the O', 'good O', 'doctor O', 'met O', 'Ada B-PER', 'Lovelace I-PER', 'in O', 'Paris B-LOC'].slice(i % 6).join('\n')).join('\n\n');

  it('scores the words\' first tokens with entity-level metrics, the loss a mean over words whatever the batch size', async () => {
    const { data, model, init } = setup('ner', conll, 3);
    const metrics = await evaluateModel(model, data.validation, evalOptions(init));
    const entities = metrics.entities!;
    expect(Object.keys(entities.perType).every((type) => ['PER', 'LOC'].includes(type))).toBe(true);
    const support = entities.micro.support;
    // The true entities of the scored words (a sentence starting at "Lovelace" opens PER with an I-, non-strict).
    const tags = (ex: (typeof data.validation)[number]) => [...ex.tokenLabels!].filter((t) => t >= 0).map((t) => model.config.id2label[t]);
    expect(support).toBe(data.validation.reduce((n, ex) => n + getEntities(tags(ex)).length, 0));
    expect(support).toBeGreaterThan(data.validation.length);
    const byTwo = await evaluateModel(model, data.validation, { ...evalOptions(init), batchSize: 2 });
    expect(byTwo.loss).toBeCloseTo(metrics.loss, 5);
    expect(byTwo.entities).toEqual(entities);
  });
});

describe('evaluateModel for question answering', () => {
  it("scores each question's best span over its windows by SQuAD's EM and F1, the null answer allowed for SQuAD v2", async () => {
    // Every fourth question unanswerable: v2 data, so an empty prediction can be right.
    const squad = JSON.parse(toySquadJson(8)) as { data: { paragraphs: { qas: { answers: unknown[]; is_impossible?: boolean }[] }[] }[] };
    squad.data.forEach((article, i) => {
      if (i % 2 === 0) article.paragraphs[0].qas[1] = { ...article.paragraphs[0].qas[1], answers: [], is_impossible: true };
    });
    const prepared = prepareData({ train: { fileName: 'toy.json', text: JSON.stringify(squad) } }, { task: 'qa', seed: 1, valSplit: 0.5 });
    const args = validateTrainingArgs({ batchSize: 4, maxLength: 16 });
    const data = encodePrepared(prepared, pretrained.tokenizer, { maxLength: args.maxLength });
    expect(data.validation.length).toBeGreaterThan(prepared.split.validation.length);
    const model = paramsForTask(pretrained.config, pretrained.tensors, 'qa', undefined, 3);
    cleanups.push(() => disposeParams(model.params));
    const init = { task: 'qa' as const, regression: false, numLabels: 2, tokenizer: pretrained.tokenizer, args };
    const metrics = await evaluateModel(model, data.validation, evalOptions(init));
    const answers = metrics.answers!;
    expect(answers.questions).toBe(prepared.split.validation.length);
    expect(answers.unanswerable).toBe(prepared.split.validation.filter((row) => prepared.train.rows[row].answers === '[]').length);
    expect(answers.unanswerable).toBeGreaterThan(0);
    expect(answers.f1).toBeGreaterThanOrEqual(answers.exactMatch);
    // Windows in batches of one or four: the same answers, and the loss a mean over windows either way.
    const byOne = await evaluateModel(model, data.validation, { ...evalOptions(init), batchSize: 1 });
    expect(byOne.answers).toEqual(answers);
    expect(byOne.loss).toBeCloseTo(metrics.loss, 5);
  });
});
