import { describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import { buildParamGroups } from './groups';
import { groupLrs, lrDistance, lrScaleAt, paramLrs, warmupSteps, type LrSchedule } from './lr';
import { bertParamShapes } from './testing';

const linear: LrSchedule = { kind: 'linear', warmupRatio: 0.1 };

describe('lrScaleAt', () => {
  it('warms up linearly to 1 over ceil(ratio · T) steps', () => {
    expect(warmupSteps(100, 0.1)).toBe(10);
    expect(warmupSteps(95, 0.1)).toBe(10);
    expect(lrScaleAt(0, 100, linear)).toBeCloseTo(0.1, 12);
    expect(lrScaleAt(4, 100, linear)).toBeCloseTo(0.5, 12);
    expect(lrScaleAt(9, 100, linear)).toBe(1);
  });

  it('decays linearly to 0 at T', () => {
    for (const step of [10, 37, 55, 99]) expect(lrScaleAt(step, 100, linear)).toBeCloseTo((100 - step) / 90, 12);
    expect(lrScaleAt(100, 100, linear)).toBe(0);
    expect(lrScaleAt(150, 100, linear)).toBe(0);
  });

  it('follows a half cosine after warmup', () => {
    const cosine: LrSchedule = { kind: 'cosine', warmupRatio: 0.2 };
    expect(lrScaleAt(1, 10, cosine)).toBe(1);
    expect(lrScaleAt(2, 10, cosine)).toBe(1);
    expect(lrScaleAt(6, 10, cosine)).toBeCloseTo(0.5, 12);
    expect(lrScaleAt(4, 10, cosine)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(lrScaleAt(10, 10, cosine)).toBe(0);
  });

  it('stays at 1 after warmup for constant, and skips warmup at ratio 0', () => {
    expect(lrScaleAt(0, 10, { kind: 'constant', warmupRatio: 0.5 })).toBeCloseTo(0.2, 12);
    expect(lrScaleAt(9, 10, { kind: 'constant', warmupRatio: 0.5 })).toBe(1);
    expect(lrScaleAt(0, 10, { kind: 'linear', warmupRatio: 0 })).toBe(1);
    expect(lrScaleAt(9, 10, { kind: 'linear', warmupRatio: 0 })).toBeCloseTo(0.1, 12);
  });

  it('rejects bad steps and schedules', () => {
    expect(() => lrScaleAt(-1, 10, linear)).toThrow(/step must be/);
    expect(() => lrScaleAt(0, 0, linear)).toThrow(/totalSteps must be/);
    expect(() => lrScaleAt(0, 10, { kind: 'linear', warmupRatio: 1 })).toThrow(/warmupRatio must be in \[0, 1\)/);
    expect(() => lrScaleAt(0, 10, { kind: 'step' as 'linear', warmupRatio: 0 })).toThrow(TrainInputError);
  });
});

describe('groupLrs', () => {
  it('applies decay^distance from the top and the head multiplier', () => {
    const lrs = groupLrs(1e-4, 0.5, 10, 3);
    expect(lrDistance('layer.2', 3)).toBe(1);
    expect(lrs.head).toBeCloseTo(1e-3, 15);
    expect(lrs.pooler).toBeCloseTo(1e-4, 15);
    expect(lrs['layer.2']).toBeCloseTo(5e-5, 15);
    expect(lrs['layer.1']).toBeCloseTo(2.5e-5, 15);
    expect(lrs['layer.0']).toBeCloseTo(1.25e-5, 15);
    expect(lrs.embeddings).toBeCloseTo(6.25e-6, 15);
  });

  it('gives every group the base rate when LLRD is off', () => {
    expect(new Set(Object.values(groupLrs(3e-5, 1, 1, 12)))).toEqual(new Set([3e-5]));
  });

  it('rejects bad rates', () => {
    expect(() => groupLrs(0, 1, 1, 2)).toThrow(/learningRate must be a number > 0/);
    expect(() => groupLrs(1e-5, 1.5, 1, 2)).toThrow(/llrd must be in \(0, 1\]/);
    expect(() => groupLrs(1e-5, 1, Number.NaN, 2)).toThrow(/headLrMultiplier/);
  });
});

describe('paramLrs', () => {
  it('gives each parameter its group rate times the scale', () => {
    const groups = buildParamGroups(bertParamShapes({ numLayers: 2, head: 2 }), 2);
    const lrs = paramLrs(groups, groupLrs(1e-4, 0.5, 2, 2), 0.5);
    expect(lrs.size).toBe(groups.numTensors);
    expect(lrs.get('classifier.bias')).toBeCloseTo(1e-4, 15);
    expect(lrs.get('bert.encoder.layer.0.output.dense.weight')).toBeCloseTo(1.25e-5, 15);
    expect(lrs.get('bert.embeddings.LayerNorm.bias')).toBeCloseTo(6.25e-6, 15);
  });
});
