// Test helpers: the golden fixture checkpoints as model sources, and small synthetic datasets over their vocab.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelSpec } from '../../src/worker/protocol';

export const FIXTURES_DIR = resolve(import.meta.dirname, '../reference/fixtures');

/** A fixture checkpoint folder (e.g. "base") as a dropped local folder. */
export function fixtureModel(name: string): ModelSpec & { kind: 'local' } {
  const dir = join(FIXTURES_DIR, name);
  const files = Object.fromEntries(
    readdirSync(dir).map((file) => {
      return [file, new Blob([readFileSync(join(dir, file))])];
    }),
  );
  return { kind: 'local', files };
}

const POSITIVE = ['good', 'great', 'happy', 'love', 'like'];
const NEGATIVE = ['bad', 'sad', 'hate', 'old', 'small'];
const SUBJECTS = ['the movie', 'the film', 'the book', 'the story', 'this dog', 'the house', 'the cat'];
const TEMPLATES = ['{s} was {w}', '{s} is very {w}', 'i think {s} is {w}', '{w} {s}', 'we {w} {s}'];

/**
 * A separable sentiment set in the fixture vocabulary: the label is decided by one sentiment word. Rows
 * alternate labels; choices cycle deterministically so the set is the same everywhere.
 */
export function toySentimentCsv(rows: number): string {
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const positive = i % 2 === 1;
    const words = positive ? POSITIVE : NEGATIVE;
    const text = TEMPLATES[(i >> 1) % TEMPLATES.length]
      .replace('{s}', SUBJECTS[(i * 3) % SUBJECTS.length])
      .replace('{w}', words[(i * 7 + (i >> 3)) % words.length]);
    lines.push(`${text},${positive ? 'positive' : 'negative'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A repetitive corpus for MLM: a few sentences over and over, which a model can memorise. */
export function toyMlmCorpus(lines: number): string {
  const sentences = ['the cat sat on the mat .', 'the dog ran in the house .', 'i love this good book .', 'we read the story at night .'];
  return `${Array.from({ length: lines }, (_, i) => sentences[i % sentences.length]).join('\n')}\n`;
}

const ANIMALS = ['cat', 'dog', 'big dog', 'old cat'];
const PLACES = ['house', 'tree', 'water', 'big house'];
const WORKS = ['movie', 'film', 'book', 'story', 'good book'];
const NER_TEMPLATES = ['the {A} sat on the {P} .', 'i read the {W} at night .', 'the {A} ran to the {P} .', 'we love this {W} .', 'the {A} and the {A} play in the {P} .', 'what is in the {P} ?'];

/**
 * A token-classification set in the fixture vocabulary, as CoNLL: animals (ANIMAL), places (PLACE) and works
 * (WORK), tagged BIO, some of two words ("big dog"). The tag is decided by the word, so a model learns it quickly.
 */
export function toyNerConll(sentences: number): string {
  const pick = { A: ANIMALS, P: PLACES, W: WORKS };
  const types = { A: 'ANIMAL', P: 'PLACE', W: 'WORK' };
  let n = 0;
  return `${Array.from({ length: sentences }, (_, i) =>
    NER_TEMPLATES[i % NER_TEMPLATES.length]
      .split(' ')
      .flatMap((word) => {
        const slot = /^\{([APW])\}$/.exec(word)?.[1] as keyof typeof pick | undefined;
        if (!slot) return [`${word} O`];
        const names = pick[slot];
        return names[(n++ * 7 + i) % names.length].split(' ').map((w, k) => `${w} ${k === 0 ? 'B' : 'I'}-${types[slot]}`);
      })
      .join('\n'),
  ).join('\n\n')}\n`;
}

const QA_ANIMALS = ['cat', 'dog', 'big dog', 'small cat', 'old dog'];
const QA_PLACES = ['house', 'tree', 'water', 'mat', 'big house', 'fire'];

/**
 * A SQuAD v1 set in the fixture vocabulary: paragraphs of two sentences, each an animal at a place ("the cat sat on
 * the mat . the dog ran in the water ."), asked who is at a place or where an animal is. The question word decides
 * the answer's kind (who: an animal, where: a place), so a model learns something within a few steps.
 */
export function toySquadJson(paragraphs: number): string {
  const data = Array.from({ length: paragraphs }, (_, i) => {
    const [a1, a2] = [QA_ANIMALS[i % QA_ANIMALS.length], QA_ANIMALS[(i + 2) % QA_ANIMALS.length]];
    const [p1, p2] = [QA_PLACES[(i * 5) % QA_PLACES.length], QA_PLACES[(i * 5 + 3) % QA_PLACES.length]];
    const context = `the ${a1} sat on the ${p1} . the ${a2} ran in the ${p2} .`;
    const at = (answer: string, from: number): { text: string; answer_start: number } => ({ text: answer, answer_start: context.indexOf(answer, from) });
    const second = context.indexOf(' . ') + 3;
    const qas = [
      { id: `${i}-a`, question: `who sat on the ${p1} ?`, answers: [at(a1, 0)] },
      { id: `${i}-b`, question: `where is the ${a2} ?`, answers: [at(p2, second + `the ${a2} ran in the `.length)] },
    ];
    return { title: `toy ${i}`, paragraphs: [{ context, qas }] };
  });
  return JSON.stringify({ version: '1.1', data });
}
