/**
 * Entity-level precision, recall and F1 for token classification, by seqeval's default rules (conlleval's, not
 * its strict mode): chunks are read from the tags as seqeval's get_entities reads them, so an I- without a B-
 * starts an entity and a change of type inside a chunk ends it; a predicted entity counts only when its type,
 * start and end all match a true one. Per type and micro-averaged, with 0 where a division would be by zero
 * (seqeval's zero_division default, less its warning).
 */

/** [type, first word, last word] of one chunk, words numbered within the sentence. */
export type Entity = readonly [type: string, start: number, end: number];

export interface EntityScores {
  precision: number;
  recall: number;
  f1: number;
  /** True entities of this type. */
  support: number;
}

export interface EntityReport {
  /** By entity type, in code-unit order of the type names. */
  perType: Record<string, EntityScores>;
  micro: EntityScores;
  /** Words whose predicted tag equals the true one (seqeval's accuracy_score). */
  accuracy: number;
}

function split(tag: string): { prefix: string; type: string } {
  // seqeval: the first character is the tag; the type is the rest after its first '-' ('_' when empty).
  const rest = tag.slice(1);
  const dash = rest.indexOf('-');
  return { prefix: tag[0] ?? 'O', type: (dash < 0 ? rest : rest.slice(dash + 1)) || '_' };
}

function endOfChunk(prev: string, tag: string, prevType: string, type: string): boolean {
  if (prev === 'E' || prev === 'S') return true;
  if ((prev === 'B' || prev === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prev !== 'O' && prev !== '.' && prevType !== type;
}

function startOfChunk(prev: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prev === 'E' || prev === 'S' || prev === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/** The chunks of one sentence's tags (seqeval's get_entities without `suffix`). */
export function getEntities(tags: readonly string[]): Entity[] {
  const entities: Entity[] = [];
  let prev = 'O';
  let prevType = '';
  let begin = 0;
  [...tags, 'O'].forEach((tag, i) => {
    const { prefix, type } = split(tag);
    if (endOfChunk(prev, prefix, prevType, type)) entities.push([prevType, begin, i - 1]);
    if (startOfChunk(prev, prefix, prevType, type)) begin = i;
    prev = prefix;
    prevType = type;
  });
  return entities;
}

/** A predicted entity as characters of the text: [start, end) in UTF-16 code units. */
export interface EntitySpan {
  label: string;
  start: number;
  end: number;
}

/** The chunks of one text's word tags as character spans, given each word's [start, end) in the text. */
export function entitySpans(tags: readonly string[], words: readonly (readonly [number, number])[]): EntitySpan[] {
  return getEntities(tags).map(([label, first, last]) => ({ label, start: words[first][0], end: words[last][1] }));
}

function scores(correct: number, predicted: number, support: number): EntityScores {
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}

/** seqeval's classification_report (default mode) over sentences of true and predicted tags, aligned word by word. */
export function entityReport(truth: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): EntityReport {
  if (truth.length !== predicted.length) throw new Error(`${predicted.length} predicted sentences for ${truth.length} true ones`);
  const counts = new Map<string, { correct: number; predicted: number; support: number }>();
  const count = (type: string) => counts.get(type) ?? counts.set(type, { correct: 0, predicted: 0, support: 0 }).get(type)!;
  let words = 0;
  let right = 0;
  truth.forEach((tags, s) => {
    const guess = predicted[s];
    if (guess.length !== tags.length) throw new Error(`sentence ${s + 1} has ${tags.length} true tags and ${guess.length} predicted`);
    tags.forEach((tag, i) => (right += tag === guess[i] ? 1 : 0));
    words += tags.length;
    const key = ([type, start, end]: Entity): string => `${type}\u0000${start}\u0000${end}`;
    const expected = new Set(getEntities(tags).map(key));
    for (const [type] of getEntities(tags)) count(type).support++;
    for (const entity of getEntities(guess)) {
      const c = count(entity[0]);
      c.predicted++;
      if (expected.has(key(entity))) c.correct++;
    }
  });
  const types = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const perType = Object.fromEntries(types.map((type) => {
    const c = counts.get(type)!;
    return [type, scores(c.correct, c.predicted, c.support)];
  }));
  const total = [...counts.values()].reduce((a, c) => ({ correct: a.correct + c.correct, predicted: a.predicted + c.predicted, support: a.support + c.support }), { correct: 0, predicted: 0, support: 0 });
  return { perType, micro: scores(total.correct, total.predicted, total.support), accuracy: words === 0 ? 0 : right / words };
}
