import { describe, expect, it } from 'vitest';
import { cleanUpTokenization, tokensToString } from './decode';

describe('tokensToString', () => {
  it('joins with spaces and glues ## pieces to the token before', () => {
    expect(tokensToString(['un', '##aff', '##able', 'play', '##ing'], '##')).toBe('unaffable playing');
  });

  it('trims, and glues a leading ## piece only after a space (as HF)', () => {
    expect(tokensToString(['##ing', 'x'], '##')).toBe('##ing x');
    expect(tokensToString([], '##')).toBe('');
  });
});

describe('cleanUpTokenization', () => {
  it('removes spaces before punctuation and inside contractions (HF clean_up_tokenization)', () => {
    expect(cleanUpTokenization("hello , world ! is it ? yes . don ' t i 'm it 's we 've they 're do n't")).toBe(
      "hello, world! is it? yes. don't i'm it's we've they're don't",
    );
  });

  it('leaves other spacing alone', () => {
    expect(cleanUpTokenization('a ; b : c ( d )')).toBe('a ; b : c ( d )');
  });
});
