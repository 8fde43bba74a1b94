import { describe, expect, it } from 'vitest';
import { parseQa, qaItem, QA_COLUMNS } from './qa';
import { expectDataError } from './testing';

const context = 'Ada Lovelace wrote the first program in 1843.';
const squad = (qas: unknown[]): string => JSON.stringify({ version: 'v2.0', data: [{ title: 'Ada', paragraphs: [{ context, qas }] }] });

function rows(text: string, fileName = 'train.json') {
  const { columns, cells } = parseQa(text, fileName, 1000);
  return cells.map((row) => qaItem(Object.fromEntries(columns.map((c, i) => [c, row[i]])), 0));
}

describe('parseQa', () => {
  it('reads SQuAD v1 and v2 JSON: every question with its context and answers, none when impossible', () => {
    const items = rows(squad([
      { id: 'q1', question: 'Who wrote it?', answers: [{ text: 'Ada Lovelace', answer_start: 0 }, { text: 'Lovelace', answer_start: 4 }] },
      { id: 'q2', question: 'Who read it?', answers: [], plausible_answers: [{ text: 'Ada', answer_start: 0 }], is_impossible: true },
    ]));
    expect(items).toEqual([
      { id: 'q1', question: 'Who wrote it?', context, answers: [{ text: 'Ada Lovelace', start: 0 }, { text: 'Lovelace', start: 4 }] },
      { id: 'q2', question: 'Who read it?', context, answers: [] },
    ]);
    expect(parseQa(squad([]), 'x.json', 10).columns).toEqual([...QA_COLUMNS]);
  });

  it("reads JSONL and JSON lists in HF datasets' squad layout", () => {
    const row = { id: 'a', question: 'When?', context, answers: { text: ['1843'], answer_start: [40] } };
    const jsonl = [row, { ...row, id: undefined }].map((r) => JSON.stringify(r)).join('\n');
    expect(rows(jsonl, 'train.jsonl').map((item) => [item.id, item.answers])).toEqual([['a', [{ text: '1843', start: 40 }]], ['1', [{ text: '1843', start: 40 }]]]);
    expect(rows(JSON.stringify([row])).map((item) => item.answers[0].start)).toEqual([40]);
  });

  it('names the file and the question where an answer_start does not point at its text', () => {
    const error = expectDataError(() => rows(squad([{ id: 'q', question: '?', answers: [{ text: 'Lovelace', answer_start: 3 }] }])), 'malformed');
    expect(error.message).toBe('"train.json" data[0].paragraphs[0].qas[0].answers[0]: answer_start 3 points at " Lovelac" in the context, not at the answer "Lovelace".');
  });

  it('names the line, the row and the field of malformed rows', () => {
    const good = JSON.stringify({ question: 'q', context, answers: { text: ['Ada'], answer_start: [0] } });
    expect(expectDataError(() => rows(`${good}\n{"question": "q", "answers": {"text": [], "answer_start": []}}`, 'a.jsonl'), 'malformed').message).toBe(
      '"a.jsonl" line 2: "context" is missing.',
    );
    expect(expectDataError(() => rows(`${good}\n{oops`, 'a.jsonl'), 'malformed').message).toMatch(/^"a\.jsonl" line 2: invalid JSON/);
    expect(expectDataError(() => rows(JSON.stringify([{ question: 'q', context, answers: { text: ['Ada'], answer_start: ['0'] } }])), 'malformed').message).toBe(
      '"train.json" row 1 answers[0]: "answer_start" is "0", not a character position.',
    );
    expect(expectDataError(() => rows(squad([{ question: 'q', answers: [] }])), 'malformed').message).toBe(
      '"train.json" data[0].paragraphs[0].qas[0]: has no answers and is not marked "is_impossible" (SQuAD v2).',
    );
    expect(expectDataError(() => rows('{"data": [{"paragraphs": {}}]}'), 'malformed').message).toBe('"train.json" data[0]: "paragraphs" is not a list.');
  });
});
