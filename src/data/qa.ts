/**
 * Extractive question answering data: SQuAD v1/v2 JSON (`data[].paragraphs[].qas[]`) and JSONL rows in Hugging Face
 * datasets' squad layout (`{question, context, answers: {text: [], answer_start: []}}`), both read as rows of `id`,
 * `question`, `context` and `answers` (JSON text of `[{text, start}]`, empty for a v2 unanswerable question), so
 * previews, splits and saved runs treat them as any other rows. Every answer is checked to stand at its
 * answer_start in its context.
 */
import { DataError, rowLabel } from './errors';
import type { CellValue, Row } from './parse';

export const QA_COLUMNS = ['id', 'question', 'context', 'answers'] as const;

export interface QaAnswer {
  text: string;
  /** Where the answer starts in the context, in UTF-16 code units. */
  start: number;
}

/** One question over its context, with its gold answers (none: unanswerable, as SQuAD v2's is_impossible). */
export interface QaItem {
  id: string;
  question: string;
  context: string;
  answers: QaAnswer[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a field that must be a string, or says where it is missing. */
function text(value: Json, field: string, where: string): string {
  const got = value[field];
  if (typeof got !== 'string') {
    const found = got === undefined ? 'is missing' : `is ${JSON.stringify(got).slice(0, 40)}, not text`;
    throw new DataError('malformed', `${where}: "${field}" ${found}.`);
  }
  return got;
}

/** An answer checked against its context: answer_start must point at its text. */
function answerAt(context: string, answer: string, start: unknown, where: string): QaAnswer {
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) {
    throw new DataError('malformed', `${where}: "answer_start" is ${JSON.stringify(start)}, not a character position.`);
  }
  if (answer === '') throw new DataError('malformed', `${where}: the answer text is empty.`);
  const found = context.slice(start, start + answer.length);
  if (found !== answer) {
    throw new DataError('malformed', `${where}: answer_start ${start} points at "${found}" in the context, not at the answer "${answer}".`);
  }
  return { text: answer, start };
}

function cells(item: QaItem): CellValue[] {
  return [item.id, item.question, item.context, JSON.stringify(item.answers)];
}

/** SQuAD's nested JSON: every question of every paragraph, in file order. */
function squadItems(root: Json, fileName: string): QaItem[] {
  const data = root.data;
  if (!Array.isArray(data)) throw new DataError('malformed', `"${fileName}": SQuAD JSON needs a "data" list of articles.`);
  const items: QaItem[] = [];
  data.forEach((article: unknown, a) => {
    const paragraphs = isObject(article) ? article.paragraphs : undefined;
    if (!Array.isArray(paragraphs)) throw new DataError('malformed', `"${fileName}" data[${a}]: "paragraphs" is not a list.`);
    paragraphs.forEach((paragraph: unknown, p) => {
      const at = `"${fileName}" data[${a}].paragraphs[${p}]`;
      if (!isObject(paragraph) || !Array.isArray(paragraph.qas)) throw new DataError('malformed', `${at}: needs "context" and a "qas" list.`);
      const context = text(paragraph, 'context', at);
      paragraph.qas.forEach((qa: unknown, q) => {
        const where = `${at}.qas[${q}]`;
        if (!isObject(qa)) throw new DataError('malformed', `${where}: is not an object.`);
        const answers = qa.is_impossible === true ? [] : qa.answers;
        if (!Array.isArray(answers)) throw new DataError('malformed', `${where}: "answers" is not a list.`);
        if (answers.length === 0 && qa.is_impossible !== true) {
          throw new DataError('malformed', `${where}: has no answers and is not marked "is_impossible" (SQuAD v2).`);
        }
        items.push({
          id: typeof qa.id === 'string' || typeof qa.id === 'number' ? String(qa.id) : `${a}.${p}.${q}`,
          question: text(qa, 'question', where),
          context,
          answers: answers.map((answer: unknown, k) => {
            const place = `${where}.answers[${k}]`;
            if (!isObject(answer)) throw new DataError('malformed', `${place}: is not an object.`);
            return answerAt(context, text(answer, 'text', place), answer.answer_start, place);
          }),
        });
      });
    });
  });
  return items;
}

/** A row in HF datasets' squad layout; `where` names its line or row. */
function rowItem(value: unknown, where: string, fallbackId: string): QaItem {
  if (!isObject(value)) throw new DataError('malformed', `${where}: is not an object.`);
  const context = text(value, 'context', where);
  const answers = value.answers;
  if (!isObject(answers) || !Array.isArray(answers.text) || !Array.isArray(answers.answer_start) || answers.text.length !== answers.answer_start.length) {
    throw new DataError('malformed', `${where}: "answers" must be {"text": [...], "answer_start": [...]} of equal lengths.`);
  }
  const starts = answers.answer_start as unknown[];
  return {
    id: typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : fallbackId,
    question: text(value, 'question', where),
    context,
    answers: (answers.text as unknown[]).map((answer, k) => {
      const place = `${where} answers[${k}]`;
      if (typeof answer !== 'string') throw new DataError('malformed', `${place}: the answer text is ${JSON.stringify(answer)}, not text.`);
      return answerAt(context, answer, starts[k], place);
    }),
  };
}

/** The file as one JSON value (SQuAD's object, or a list of rows), or undefined when it is not one (JSONL). */
function wholeJson(source: string, fileName: string): QaItem[] | undefined {
  let root: unknown;
  try {
    root = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (Array.isArray(root)) return root.map((row, i) => rowItem(row, `"${fileName}" ${rowLabel(i)}`, String(i)));
  return isObject(root) && 'data' in root ? squadItems(root, fileName) : [rowItem(root, `"${fileName}" line 1`, '0')];
}

function jsonLines(source: string, fileName: string): QaItem[] {
  const items: QaItem[] = [];
  source.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new DataError('malformed', `"${fileName}" line ${i + 1}: invalid JSON (${(e as Error).message}).`, { line: i + 1 });
    }
    items.push(rowItem(value, `"${fileName}" line ${i + 1}`, String(items.length)));
  });
  return items;
}

/**
 * A QA file as rows: SQuAD JSON (an object with `data`), a JSON list of squad-layout rows, or JSONL of them.
 * Errors name the file and the article/paragraph/question, line or row.
 */
export function parseQa(source: string, fileName: string, maxRows: number): { columns: string[]; cells: CellValue[][] } {
  const items = wholeJson(source, fileName) ?? jsonLines(source, fileName);
  if (items.length > maxRows) {
    throw new DataError('too-many-rows', `"${fileName}" has more than ${maxRows.toLocaleString('en')} questions; split it first.`);
  }
  return { columns: [...QA_COLUMNS], cells: items.map(cells) };
}

/** A parsed row back as its question, context and answers. */
export function qaItem(row: Row | undefined, index: number): QaItem {
  if (row === undefined) throw new DataError('bad-option', `There is no ${rowLabel(index)}.`, { row: index });
  const answers = JSON.parse(String(row.answers ?? '[]')) as QaAnswer[];
  return { id: String(row.id ?? index), question: String(row.question ?? ''), context: String(row.context ?? ''), answers };
}

/** A window's answer targets and what post-processing needs to map its logits back to the context. */
export interface QaWindow {
  /** Token positions of the first answer's first and last token; the [CLS] position when the window lacks it. */
  startPosition: number;
  endPosition: number;
  /** [tokens * 2]: each context token's [start, end) in the context; -1, -1 on the question and the specials. */
  offsets: Int32Array;
  /** The question the window belongs to (shared by its windows). */
  item: QaItem;
}
