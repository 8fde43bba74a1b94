import { describe, expect, it } from 'vitest';
import { answerReport, bestAnswer, exactMatch, f1Score, normalizeAnswer } from './answers';

describe('SQuAD metrics', () => {
  it("normalises as SQuAD's evaluate script: lower case, no punctuation, articles or extra spaces", () => {
    expect(normalizeAnswer('The  Denver Broncos!')).toBe('denver broncos');
    expect(normalizeAnswer('an apple, a pear')).toBe('apple pear');
    expect(normalizeAnswer('Theatre')).toBe('theatre');
  });

  it('scores exact match and token F1 as the SQuAD v1.1 and v2.0 scripts do', () => {
    expect(exactMatch('Denver Broncos', 'the Denver Broncos.')).toBe(1);
    expect(exactMatch('Broncos', 'Denver Broncos')).toBe(0);
    // 2 shared tokens: precision 2/3, recall 1.
    expect(f1Score('the Broncos of Denver', 'Denver Broncos')).toBeCloseTo(0.8, 12);
    expect(f1Score('Carolina Panthers', 'Denver Broncos')).toBe(0);
    // v2: an empty answer is right only against an empty gold answer.
    expect(f1Score('', '')).toBe(1);
    expect(f1Score('', 'Broncos')).toBe(0);
  });

  it('takes the best score over the gold answers and averages over questions', () => {
    // The squad metric's own example: {"prediction_text": "1976"} against {"text": ["1976"]} → 100, 100.
    expect(answerReport([{ predicted: '1976', answers: ['1976'] }])).toEqual({ exactMatch: 1, f1: 1, questions: 1, unanswerable: 0 });
    const report = answerReport([
      { predicted: 'Denver', answers: ['Denver Broncos', 'Broncos', 'Denver'] },
      { predicted: 'Santa Clara, California', answers: ["Levi's Stadium", "Levi's Stadium in the San Francisco Bay Area at Santa Clara, California"] },
      { predicted: '', answers: [] },
    ]);
    // "santa clara california" against the 11 normalised tokens of the long answer: precision 1, recall 3/11.
    const f1 = (2 * (3 / 11)) / (1 + 3 / 11);
    expect(report.exactMatch).toBeCloseTo(2 / 3, 12);
    expect(report.f1).toBeCloseTo((1 + f1 + 1) / 3, 12);
    expect(report.unanswerable).toBe(1);
  });
});

describe('bestAnswer', () => {
  const context = 'Ada wrote code in 1843';
  // [CLS] q [SEP] Ada wrote code in 1843 [SEP]
  const offsets = Int32Array.from([-1, -1, -1, -1, -1, -1, 0, 3, 4, 9, 10, 14, 15, 17, 18, 22, -1, -1]);

  it('picks the highest start + end over spans in the context, start before end', () => {
    const start = [0, 9, 9, 5, 0, 0, 0, 1, 9];
    const end = [0, 9, 9, 0, 0, 4, 0, 6, 9];
    const { answer, candidates } = bestAnswer([{ start, end, offsets }], context);
    // Positions 1, 2 and 8 are the question and [SEP]: never an answer. Start 3 ("Ada") + end 7 ("1843") is best.
    expect(answer).toMatchObject({ text: 'Ada wrote code in 1843', start: 0, end: 22, logit: 11 });
    expect(candidates.map((c) => c.text).slice(0, 2)).toEqual(['Ada wrote code in 1843', 'Ada wrote code']);
    expect(candidates.reduce((sum, c) => sum + c.probability, 0)).toBeCloseTo(1, 6);
  });

  it('keeps answers within maxAnswerLength tokens', () => {
    const start = [0, 0, 0, 5, 0, 0, 0, 1, 0];
    const end = [0, 0, 0, 0, 0, 4, 0, 6, 0];
    expect(bestAnswer([{ start, end, offsets }], context, { maxAnswerLength: 3 }).answer?.text).toBe('Ada wrote code');
  });

  it('takes the best span over all windows, offsets mapping each back to the context', () => {
    const a = { start: [0, 0, 0, 2, 0, 0, 0, 0, 0], end: [0, 0, 0, 2, 0, 0, 0, 0, 0], offsets };
    const b = { start: [0, 0, 0, 0, 0, 0, 3, 0, 0], end: [0, 0, 0, 0, 0, 0, 0, 3, 0], offsets };
    expect(bestAnswer([a, b], context).answer?.text).toBe('in 1843');
  });

  it('answers nothing (SQuAD v2) when the lowest [CLS] score beats the best span by more than the threshold', () => {
    const start = [5, 0, 0, 2, 0, 0, 0, 0, 0];
    const end = [5, 0, 0, 2, 0, 0, 0, 0, 0];
    const windows = [{ start, end, offsets }];
    expect(bestAnswer(windows, context, { allowNull: true }).answer).toBeNull();
    expect(bestAnswer(windows, context, { allowNull: true, nullThreshold: 7 }).answer?.text).toBe('Ada');
    expect(bestAnswer(windows, context).answer?.text).toBe('Ada');
    // The null score is the lowest over the windows: one window without the answer at [CLS] does not silence it.
    const other = { start: [-5, 0, 0, 0, 0, 0, 0, 0, 0], end: [-5, 0, 0, 0, 0, 0, 0, 0, 0], offsets };
    expect(bestAnswer([...windows, other], context, { allowNull: true }).answer?.text).toBe('Ada');
  });
});
