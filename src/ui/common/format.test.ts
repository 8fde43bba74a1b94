import { describe, expect, it } from 'vitest';
import {
  describeProgress,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSmall,
  progressFraction,
} from './format';

describe('formatBytes', () => {
  it('scales by 1024 with one decimal from KB up', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(17.6 * 1024 ** 2)).toBe('17.6 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });
  it('shows a dash for impossible sizes', () => {
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(Number.NaN)).toBe('–');
  });
});

describe('formatCount', () => {
  it('groups small counts and abbreviates large ones', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(4_385_920)).toBe('4.39M');
    expect(formatCount(110_000_000)).toBe('110.00M');
    expect(formatCount(1.5e9)).toBe('1.50B');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('–');
  });
});

describe('formatPercent', () => {
  it('keeps tiny non-zero shares visible', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.0004)).toBe('<0.1%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes or hours', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(-5)).toBe('–');
  });
});

describe('formatSmall', () => {
  it('writes learning rates in short exponent form', () => {
    expect(formatSmall(3e-5)).toBe('3e-5');
    expect(formatSmall(2.5e-5)).toBe('2.5e-5');
    expect(formatSmall(0.01)).toBe('0.01');
    expect(formatSmall(0)).toBe('0');
    expect(formatSmall(Number.NaN)).toBe('–');
  });
});

describe('progress', () => {
  it('gives a clamped fraction, or undefined without a total', () => {
    expect(progressFraction({ stage: 'download', loaded: 50, total: 200 })).toBe(0.25);
    expect(progressFraction({ stage: 'download', loaded: 300, total: 200 })).toBe(1);
    expect(progressFraction({ stage: 'download', loaded: 50 })).toBeUndefined();
    expect(progressFraction({ stage: 'download', loaded: 0, total: 0 })).toBeUndefined();
  });
  it('describes each stage in its unit', () => {
    expect(describeProgress({ stage: 'read', item: 'model.safetensors', loaded: 1024, total: 2048 })).toBe(
      'Reading model.safetensors: 1.0 KB of 2.0 KB',
    );
    expect(describeProgress({ stage: 'download', item: 'model.safetensors', loaded: 1024, total: 2048 })).toBe(
      'Downloading model.safetensors: 1.0 KB of 2.0 KB',
    );
    // A dropped zip is unpacked before its files are read: bytes too, and never "Downloading".
    expect(describeProgress({ stage: 'unzip', item: 'bert/vocab.txt', loaded: 1536, total: 4096 })).toBe(
      'Unzipping bert/vocab.txt: 1.5 KB of 4.0 KB',
    );
    expect(describeProgress({ stage: 'tokenize', loaded: 10, total: 40 })).toBe('Tokenizing: 10 of 40 rows');
    expect(describeProgress({ stage: 'parse', item: 'a.csv', loaded: 500 })).toBe('Parsing a.csv: 500 characters');
    expect(describeProgress({ stage: 'warmup', loaded: 1, total: 3 })).toBe('Warmup: 1 of 3');
  });
});
