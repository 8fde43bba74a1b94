import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../worker/protocol';
import {
  answerSegments,
  countMasks,
  currentHead,
  exampleContext,
  fillMasks,
  highlightSegments,
  insertMask,
  labelsInOrder,
  rankedProbabilities,
  regressionValue,
  type HeadContext,
} from './playground';

const mlmModel = { architectures: ['BertForMaskedLM'], id2label: { '0': 'LABEL_0', '1': 'LABEL_1' }, vocabSize: 8000 };
const idle: Omit<HeadContext, 'model'> = { task: 'classify', data: null, runState: 'idle', steps: 0 };

function prediction(fields: Partial<Prediction>): Prediction {
  return { text: 'x', inputIds: [], tokenTypeIds: [], logits: [], ...fields };
}

describe('currentHead', () => {
  it('says there is nothing before a model is loaded', () => {
    expect(currentHead({ ...idle, model: null }).kind).toBe('none');
  });

  it("reads the loaded checkpoint's architectures before a run", () => {
    const mlm = currentHead({ ...idle, model: mlmModel });
    expect(mlm).toMatchObject({ kind: 'mlm', name: 'BertForMaskedLM' });
    expect(mlm.description).toContain('8,000');

    const classifier = currentHead({
      ...idle,
      model: { architectures: ['BertForSequenceClassification'], id2label: { '1': 'pos', '0': 'neg' }, vocabSize: 10 },
    });
    expect(classifier).toMatchObject({ kind: 'classifier', labels: ['neg', 'pos'] });
    expect(classifier.description).toContain('2 classes: neg, pos');

    const pretraining = currentHead({ ...idle, model: { ...mlmModel, architectures: ['BertForPreTraining'] } });
    expect(pretraining.kind).toBe('mlm');
  });

  it('reads a token-classification head, with its tags, from the checkpoint and from an NER run', () => {
    const model = { architectures: ['ElectraForTokenClassification'], id2label: { '1': 'B-PER', '0': 'O' }, vocabSize: 10 };
    expect(currentHead({ ...idle, model })).toMatchObject({ kind: 'tokens', labels: ['O', 'B-PER'] });
    const run = currentHead({ model: mlmModel, task: 'ner', data: { labels: ['O', 'B-LOC'], regression: false }, runState: 'training', steps: 3 });
    expect(run).toMatchObject({ kind: 'tokens', name: 'BertForTokenClassification', labels: ['O', 'B-LOC'] });
  });

  it('reads a question-answering head from the checkpoint and from a QA run', () => {
    const model = { architectures: ['DistilBertForQuestionAnswering'], id2label: { '0': 'LABEL_0', '1': 'LABEL_1' }, vocabSize: 10 };
    expect(currentHead({ ...idle, model })).toMatchObject({ kind: 'qa', labels: [] });
    expect(currentHead({ model: mlmModel, task: 'qa', data: null, runState: 'training', steps: 3 })).toMatchObject({ kind: 'qa', name: 'BertForQuestionAnswering' });
  });

  it('reads a one-output classification head as regression, as Hugging Face does', () => {
    const model = { architectures: ['BertForSequenceClassification'], id2label: { '0': 'LABEL_0' }, vocabSize: 10 };
    expect(currentHead({ ...idle, model }).kind).toBe('regression');
  });

  it('calls an encoder without a head what it is', () => {
    const head = currentHead({ ...idle, model: { ...mlmModel, architectures: ['BertModel'] } });
    expect(head).toMatchObject({ kind: 'none', name: 'BertModel' });
    expect(currentHead({ ...idle, model: { ...mlmModel, architectures: [] } }).name).toBe('BertModel');
  });

  it("follows the task once a run has begun, with the data's labels", () => {
    const data = { labels: ['negative', 'positive'], regression: false };
    const running = currentHead({ model: mlmModel, task: 'classify', data, runState: 'training', steps: 0 });
    expect(running).toMatchObject({ kind: 'classifier', labels: ['negative', 'positive'] });
    expect(currentHead({ model: mlmModel, task: 'classify', data: { regression: true }, runState: 'done', steps: 9 }).kind).toBe('regression');
    expect(currentHead({ model: mlmModel, task: 'mlm', data: null, runState: 'paused', steps: 3 }).kind).toBe('mlm');
  });

  it('keeps the checkpoint head when a run failed before its first step, but not after', () => {
    const data = { labels: ['a', 'b'], regression: false };
    expect(currentHead({ model: mlmModel, task: 'classify', data, runState: 'failed', steps: 0 }).kind).toBe('mlm');
    expect(currentHead({ model: mlmModel, task: 'classify', data, runState: 'failed', steps: 2 }).kind).toBe('classifier');
  });
});

describe('labelsInOrder', () => {
  it('orders by numeric id', () => {
    expect(labelsInOrder({ '10': 'k', '2': 'c', '0': 'a' })).toEqual(['a', 'c', 'k']);
    expect(labelsInOrder(undefined)).toEqual([]);
  });
});

describe('rankedProbabilities', () => {
  const p = prediction({ probabilities: [0.2, 0.7, 0.1], label: 'pos', logits: [0, 1, -1] });

  it('sorts the classes by probability and marks the top one', () => {
    expect(rankedProbabilities(p, ['neg', 'pos', 'neutral'])).toEqual([
      { label: 'pos', probability: 0.7, top: true },
      { label: 'neg', probability: 0.2, top: false },
      { label: 'neutral', probability: 0.1, top: false },
    ]);
  });

  it('falls back to LABEL_i when the names do not fit, keeping the top name the engine sent', () => {
    expect(rankedProbabilities(p, ['a', 'b']).map((c) => c.label)).toEqual(['pos', 'LABEL_0', 'LABEL_2']);
    expect(rankedProbabilities(p, ['neg', 'other', 'x']).map((c) => c.label)).toEqual(['pos', 'LABEL_0', 'LABEL_2']);
  });

  it('gives nothing for a prediction without probabilities', () => {
    expect(rankedProbabilities(prediction({ logits: [1.5] }), [])).toEqual([]);
  });
});

describe('regressionValue', () => {
  it('is the single logit of a head without probabilities', () => {
    expect(regressionValue(prediction({ logits: [3.25] }))).toBe(3.25);
    expect(regressionValue(prediction({ logits: [0.1, 0.9], probabilities: [0.3, 0.7] }))).toBeUndefined();
    expect(regressionValue(prediction({ logits: [] }))).toBeUndefined();
  });
});

describe('masks', () => {
  const candidates = (...tokens: string[]) => tokens.map((token, position) => ({
    position,
    candidates: [{ token, id: position, score: 0.5 }],
  }));

  it('counts [MASK] in the text', () => {
    expect(countMasks('a [MASK] b [MASK].')).toBe(2);
    expect(countMasks('no masks, [mask] is not one')).toBe(0);
  });

  it('fills each mask with its top candidate, joining word pieces to the word before', () => {
    expect(fillMasks('the [MASK] sat on the [MASK].', candidates('cat', 'mat'))).toBe('the cat sat on the mat.');
    expect(fillMasks('play [MASK] now', candidates('##ing'))).toBe('playing now');
    expect(fillMasks('the [MASK] sat', candidates(' cat'))).toBe('the cat sat');
  });

  it('leaves masks without candidates and texts without masks alone', () => {
    expect(fillMasks('[MASK] and [MASK]', candidates('this'))).toBe('this and [MASK]');
    expect(fillMasks('plain text', undefined)).toBe('plain text');
    expect(fillMasks('[MASK]', undefined)).toBe('[MASK]');
  });

  it('puts a mask in place of the selection, spaced from the words around it', () => {
    expect(insertMask('the cat sat', 4, 7)).toEqual({ text: 'the [MASK] sat', caret: 10 });
    expect(insertMask('the cat', 7, 7)).toEqual({ text: 'the cat [MASK]', caret: 14 });
    expect(insertMask('cat.', 0, 3)).toEqual({ text: '[MASK].', caret: 6 });
    expect(insertMask('', 0, 0)).toEqual({ text: '[MASK]', caret: 6 });
    expect(insertMask('ab', 1, 1)).toEqual({ text: 'a [MASK] b', caret: 9 });
  });

  it('copes with a selection given backwards or past the end', () => {
    expect(insertMask('the cat sat', 7, 4).text).toBe('the [MASK] sat');
    expect(insertMask('hi', 5, 9)).toEqual({ text: 'hi [MASK]', caret: 9 });
  });
});

describe('answerSegments', () => {
  it('marks the answer span in the context, or nothing when there is no answer', () => {
    const context = 'Built in 1871 by Ada.';
    expect(answerSegments(context, { text: '1871', start: 9, end: 13, score: 0.9 })).toEqual([
      { text: 'Built in ' },
      { text: '1871', label: 'answer' },
      { text: ' by Ada.' },
    ]);
    expect(answerSegments(context, null)).toEqual([{ text: context }]);
  });
});

describe('exampleContext', () => {
  it("finds the context of a preview row's question, and nothing for other data", () => {
    const data = { columns: { text: 'question', textPair: 'context' }, preview: [{ question: ' Who? ', context: 'Ada did.' }, { question: 'When?', context: 'In 1871.' }] };
    expect(exampleContext(data, 'Who?')).toBe('Ada did.');
    expect(exampleContext(data, 'Where?')).toBeUndefined();
    expect(exampleContext({ ...data, columns: { text: 'question' } }, 'Who?')).toBeUndefined();
    expect(exampleContext(null, 'Who?')).toBeUndefined();
  });
});

describe('highlightSegments', () => {
  it('cuts the text at the entities, keeping the text between them', () => {
    expect(highlightSegments('Ada met Bo in Rome.', [{ label: 'PER', start: 0, end: 3 }, { label: 'PER', start: 8, end: 10 }, { label: 'LOC', start: 14, end: 18 }])).toEqual([
      { text: 'Ada', label: 'PER' },
      { text: ' met ' },
      { text: 'Bo', label: 'PER' },
      { text: ' in ' },
      { text: 'Rome', label: 'LOC' },
      { text: '.' },
    ]);
    expect(highlightSegments('nothing here', [])).toEqual([{ text: 'nothing here' }]);
  });
});
