import { describe, expect, it } from 'vitest';
import { collate } from './batching';
import { answerTokens, encodeQa, questionWindows, windowStride } from './encodeQa';
import type { QaItem } from './qa';
import { expectDataError, fakeTokenizer } from './testing';

// fakeTokenizer cuts words into 3-character pieces: "Lovelace" → Lov ##ela ##ce.
const item: QaItem = {
  id: 'q',
  question: 'Who wrote?',
  context: 'Ada Lovelace wrote the first program in 1843 for an engine',
  answers: [{ text: 'Lovelace', start: 4 }],
};

describe('questionWindows', () => {
  it('puts the question first and the whole context second, with the answer at its tokens', () => {
    const tok = fakeTokenizer();
    const [window, ...rest] = questionWindows(tok, item, 0, 64);
    expect(rest).toEqual([]);
    const tokens = [...window.inputIds].map((id) => tok.idToToken(id));
    expect(tokens.slice(0, 6)).toEqual(['[CLS]', 'Who', 'wro', '##te?', '[SEP]', 'Ada']);
    expect([...window.tokenTypeIds.slice(0, 6)]).toEqual([0, 0, 0, 0, 0, 1]);
    const { startPosition, endPosition, offsets } = window.qa!;
    expect(tokens.slice(startPosition, endPosition + 1)).toEqual(['Lov', '##ela', '##ce']);
    expect([...offsets.slice(0, 12)]).toEqual([-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 3]);
  });

  it('cuts a long context into overlapping windows, the answer at [CLS] where a window lacks it', () => {
    const tok = fakeTokenizer();
    const full = questionWindows(tok, item, 0, 64)[0];
    const windows = questionWindows(tok, item, 0, 13, 2);
    // 5 question tokens and a [SEP] leave 7 context tokens per window, consecutive windows sharing 2.
    expect(windows.map((w) => w.inputIds.length)).toEqual([13, 13, 13, 10]);
    const context = (w: typeof full): number[] => [...w.inputIds.slice(5, -1)];
    const all = context(full);
    expect(windows.map(context)).toEqual([all.slice(0, 7), all.slice(5, 12), all.slice(10, 17), all.slice(15)]);
    expect(windows.map((w) => [w.qa!.startPosition, w.qa!.endPosition])).toEqual([[6, 8], [0, 0], [0, 0], [0, 0]]);
    expect(windows.every((w) => w.index === 0 && w.qa!.item === item)).toBe(true);
    // A window's last token is still the [SEP] that ends the context.
    expect(windows.every((w) => w.inputIds[w.inputIds.length - 1] === tok.special.sep)).toBe(true);
  });

  it('marks an unanswerable question at [CLS] in every window', () => {
    const windows = questionWindows(fakeTokenizer(), { ...item, answers: [] }, 0, 13, 2);
    expect(windows.every((w) => w.qa!.startPosition === 0 && w.qa!.endPosition === 0)).toBe(true);
  });

  it('refuses a question that leaves no room for the context, naming its row', () => {
    const error = expectDataError(() => questionWindows(fakeTokenizer(), item, 4, 6, 2, 'validation'), 'bad-option');
    expect(error.message).toMatch(/^The validation data's row 5 has a question of 6 tokens/);
  });

  it('overlaps by docStride, but at most half the context a window holds', () => {
    expect(windowStride(128, 300)).toBe(128);
    expect(windowStride(128, 100)).toBe(50);
    expect(windowStride(2, 1)).toBe(0);
  });
});

describe('answerTokens', () => {
  // Offsets of [CLS] q [SEP] "Ada" "Love" "lace" [SEP]
  const offsets = Int32Array.from([-1, -1, -1, -1, -1, -1, 0, 3, 4, 8, 8, 12, -1, -1]);

  it('finds the first and last token that cover the answer characters', () => {
    expect(answerTokens(offsets, 4, 12)).toEqual([4, 5]);
    expect(answerTokens(offsets, 5, 7)).toEqual([4, 4]);
    expect(answerTokens(offsets, 0, 3)).toEqual([3, 3]);
  });

  it('finds nothing when the answer runs past the window', () => {
    expect(answerTokens(offsets, 10, 14)).toBeNull();
  });
});

describe('encodeQa', () => {
  it('encodes the chosen rows as windows, and batches their positions', () => {
    const row = { id: 'q', question: item.question, context: item.context, answers: JSON.stringify(item.answers) };
    const examples = encodeQa({ rows: [row, row] }, fakeTokenizer(), { maxLength: 13, docStride: 2, rows: [1] });
    expect(examples.map((e) => e.index)).toEqual([1, 1, 1, 1]);
    const batch = collate(examples, { rows: [0, 1], seqLen: 16 }, { batchSize: 3, padId: 0 });
    expect([...batch.startPositions!]).toEqual([6, 0, 0]);
    expect([...batch.endPositions!]).toEqual([8, 0, 0]);
    expect([...batch.weights]).toEqual([1, 1, 0]);
  });
});
