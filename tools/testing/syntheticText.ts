/**
 * Labelled synthetic sentences for timing the linear baseline at the studio's scale: words drawn from a
 * Zipf-like vocabulary of made-up words (so n-gram counts grow with the data as real text's do), with a few
 * class-specific cue words mixed in so the classes are learnable but not trivially separable.
 */
import { createRng } from '../../src/data/random';

export interface SyntheticOptions {
  rows: number;
  classes: number;
  seed: number;
  /** Distinct made-up words. */
  vocabulary?: number;
  /** Share of a sentence's words drawn from its class's cue words. */
  cueShare?: number;
  /** Words per sentence, both ends included. */
  minWords?: number;
  maxWords?: number;
}

export interface SyntheticRows {
  texts: string[];
  /** Class ids in [0, classes). */
  targets: number[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const CUES_PER_CLASS = 50;

export function syntheticRows({ rows, classes, seed, vocabulary = 20_000, cueShare = 0.1, minWords = 8, maxWords = 30 }: SyntheticOptions): SyntheticRows {
  const rng = createRng(seed);
  const words = Array.from({ length: vocabulary }, () => Array.from({ length: 3 + rng.int(8) }, () => LETTERS[rng.int(26)]).join(''));
  // Rank r is drawn with probability ∝ 1/r: the exponential of a uniform log-rank.
  const zipf = (): string => words[Math.min(vocabulary - 1, Math.floor(Math.exp(rng.next() * Math.log(vocabulary))) - 1)];
  const texts: string[] = [];
  const targets: number[] = [];
  for (let i = 0; i < rows; i++) {
    const target = rng.int(classes);
    const length = minWords + rng.int(maxWords - minWords + 1);
    const sentence = Array.from({ length }, () => (rng.next() < cueShare ? words[(target * CUES_PER_CLASS + rng.int(CUES_PER_CLASS)) % vocabulary] : zipf()));
    texts.push(`${sentence.join(' ')}.`);
    targets.push(target);
  }
  return { texts, targets };
}
