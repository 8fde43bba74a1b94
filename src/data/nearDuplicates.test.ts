import { describe, expect, it } from 'vitest';
import type { Progress } from '../progress';
import { findNearDuplicates, jaccard, normalizeText, shingles } from './nearDuplicates';
import { createRng } from './random';
import { randomText } from './testing';

describe('normalizeText, shingles and jaccard', () => {
  it('normalises case and whitespace', () => {
    expect(normalizeText('  Hello\t\n WORLD ')).toBe('hello world');
  });

  it('hashes character 5-grams, and a short text is one shingle', () => {
    expect(shingles('abcdef').size).toBe(2);
    expect(shingles('abcabcabc').size).toBe(3);
    expect(shingles('ab').size).toBe(1);
    expect(jaccard(shingles('abcdef'), shingles('abcdef'))).toBe(1);
    expect(jaccard(shingles('abcdefg'), shingles('abcdexy'))).toBeCloseTo(1 / 5);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });
});

describe('findNearDuplicates', () => {
  const rng = createRng(11);
  const base = randomText(rng, 40);

  it('clusters texts that differ by a typo or case, and leaves unrelated texts alone', () => {
    const typo = base.slice(0, 100) + 'X' + base.slice(101);
    const texts = [randomText(rng, 40), base, randomText(rng, 40), typo.toUpperCase(), randomText(rng, 40)];
    expect(jaccard(shingles(normalizeText(base)), shingles(normalizeText(typo)))).toBeGreaterThan(0.9);
    expect(findNearDuplicates(texts)).toEqual([[1, 3]]);
  });

  it('respects the threshold', () => {
    // Replace the last quarter of the words: Jaccard well below 0.8 but above 0.4.
    const words = base.split(' ');
    const edited = [...words.slice(0, 30), ...randomText(rng, 10).split(' ')].join(' ');
    const j = jaccard(shingles(normalizeText(base)), shingles(normalizeText(edited)));
    expect(j).toBeGreaterThan(0.5);
    expect(j).toBeLessThan(0.75);
    expect(findNearDuplicates([base, edited])).toEqual([]);
    expect(findNearDuplicates([base, edited], { threshold: 0.45 })).toEqual([[0, 1]]);
  });

  it('joins chains into one cluster reported by first row, in row order', () => {
    const other = randomText(rng, 30);
    const texts = [other, base + ' a', randomText(rng, 30), base + ' b', other + ' z', base + ' c'];
    expect(findNearDuplicates(texts)).toEqual([
      [0, 4],
      [1, 3, 5],
    ]);
  });

  it('finds planted near-duplicates among thousands of rows', () => {
    const r = createRng(3);
    const texts = Array.from({ length: 3000 }, () => randomText(r, 15));
    const planted: [number, number][] = [];
    for (let k = 0; k < 30; k++) {
      const src = k * 100;
      const dst = src + 50;
      texts[dst] = texts[src].slice(0, -1) + '!';
      planted.push([src, dst]);
    }
    const events: Progress[] = [];
    const clusters = findNearDuplicates(texts, { onProgress: (p) => events.push(p), progressEvery: 1000 });
    const found = new Set(clusters.map((c) => c.join(',')));
    const hits = planted.filter(([a, b]) => found.has(`${a},${b}`)).length;
    expect(hits).toBeGreaterThanOrEqual(29);
    expect(clusters.length).toBeLessThanOrEqual(31);
    expect(events.at(-1)).toEqual({ stage: 'near-duplicates', loaded: 3000, total: 3000 });
  });

  it('handles no texts and empty texts', () => {
    expect(findNearDuplicates([])).toEqual([]);
    expect(findNearDuplicates(['', ' ', 'real text here'])).toEqual([[0, 1]]);
  });
});
