import { describe, expect, it } from 'vitest';
import { previewTexts, shorten } from './dataExamples';

describe('previewTexts', () => {
  const data = {
    columns: { text: 'review', label: 'stars' },
    preview: [
      { review: '  great film ', stars: 5 },
      { review: '', stars: 1 },
      { review: null, stars: 1 },
      { review: 'great film', stars: 4 },
      { review: 42, stars: 3 },
      { review: 'dull', stars: 2 },
    ],
  };

  it('takes distinct non-blank texts of the text column in order', () => {
    expect(previewTexts(data)).toEqual(['great film', '42', 'dull']);
  });

  it('stops at the limit', () => {
    expect(previewTexts(data, 2)).toEqual(['great film', '42']);
  });

  it('gives nothing without data or when the text column is not in the rows', () => {
    expect(previewTexts(null)).toEqual([]);
    expect(previewTexts({ ...data, columns: { text: 'missing' } })).toEqual([]);
  });
});

describe('shorten', () => {
  it('keeps short texts, flattening whitespace', () => {
    expect(shorten('a\n  b', 10)).toBe('a b');
  });

  it('cuts long texts at a word boundary when one is near', () => {
    expect(shorten('the quick brown fox jumps', 12)).toBe('the quick…');
    expect(shorten('abcdefghijklmnop', 8)).toBe('abcdefg…');
  });
});
