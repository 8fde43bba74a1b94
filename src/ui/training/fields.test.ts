import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_ARGS } from '../../train/defaults';
import { estimateSteps, EVAL_STEPS_FIELD, FIELDS, parseField, truncatedShare } from './fields';

describe('parseField', () => {
  it('accepts what the engine accepts', () => {
    expect(parseField(FIELDS.batchSize, ' 32 ')).toEqual({ ok: true, value: 32 });
    expect(parseField(FIELDS.warmupRatio, '0.06')).toEqual({ ok: true, value: 0.06 });
    expect(parseField(FIELDS.adamEpsilon, '1e-8')).toEqual({ ok: true, value: 1e-8 });
  });

  it('explains the engine\'s rule with the field\'s label', () => {
    expect(parseField(FIELDS.batchSize, '0')).toEqual({ ok: false, error: 'Batch size must be a whole number >= 1, got 0.' });
    expect(parseField(FIELDS.batchSize, '2.5')).toMatchObject({ ok: false, error: expect.stringMatching(/^Batch size must be a whole number/) });
    expect(parseField(FIELDS.warmupRatio, '1')).toMatchObject({ ok: false, error: expect.stringMatching(/^Warmup ratio must be a number in \[0, 1\)/) });
    expect(parseField(FIELDS.weightDecay, '-0.1')).toMatchObject({ ok: false, error: expect.stringMatching(/^Weight decay must be a number >= 0/) });
  });

  it('rejects blanks and text that is not a number', () => {
    expect(parseField(FIELDS.epochs, '  ')).toEqual({ ok: false, error: 'Enter a value for epochs.' });
    expect(parseField(FIELDS.epochs, 'three')).toEqual({ ok: false, error: '"three" is not a number.' });
    expect(parseField(FIELDS.epochs, 'Infinity')).toMatchObject({ ok: false });
  });

  it('reads a blank max steps as "no limit"', () => {
    expect(parseField(FIELDS.maxSteps, '')).toEqual({ ok: true, value: null });
    expect(parseField(FIELDS.maxSteps, '0')).toMatchObject({ ok: false });
  });

  it('reads evaluation steps as evalEvery does', () => {
    expect(parseField(EVAL_STEPS_FIELD, '50')).toEqual({ ok: true, value: 50 });
    expect(parseField(EVAL_STEPS_FIELD, '0')).toMatchObject({ ok: false, error: expect.stringMatching(/^Steps between evaluations must be .*a whole number >= 1, got 0\.$/) });
  });

  it('applies an extra limit such as the model\'s positions', () => {
    const limit = { max: 512, why: 'the model has 512 positions' };
    expect(parseField(FIELDS.maxLength, '512', limit)).toEqual({ ok: true, value: 512 });
    expect(parseField(FIELDS.maxLength, '1024', limit)).toEqual({ ok: false, error: 'Max length can be at most 512: the model has 512 positions.' });
  });

  it('has a field for every default it names, with a matching key', () => {
    for (const [key, spec] of Object.entries(FIELDS)) {
      expect(spec.key).toBe(key);
      expect(key in DEFAULT_TRAINING_ARGS).toBe(true);
      const value = DEFAULT_TRAINING_ARGS[spec.key];
      expect(parseField(spec, value === null ? '' : String(value))).toEqual({ ok: true, value });
    }
  });
});

describe('truncatedShare', () => {
  it('counts rows strictly longer than max length', () => {
    expect(truncatedShare([10, 20, 30, 40], 20)).toBe(0.5);
    expect(truncatedShare([10, 20], 128)).toBe(0);
    expect(truncatedShare([], 128)).toBe(0);
  });
});

describe('estimateSteps', () => {
  const args = { batchSize: 16, gradAccumSteps: 1, epochs: 3, maxSteps: null };
  it('counts batches per epoch, divided by accumulation, times epochs', () => {
    expect(estimateSteps(100, args)).toBe(7 * 3);
    expect(estimateSteps(100, { ...args, gradAccumSteps: 2 })).toBe(4 * 3);
    expect(estimateSteps(0, args)).toBe(0);
  });

  it('uses max steps when set', () => {
    expect(estimateSteps(100, { ...args, maxSteps: 5 })).toBe(5);
  });
});
