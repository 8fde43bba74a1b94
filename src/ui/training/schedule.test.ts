import { describe, expect, it } from 'vitest';
import { schedulePoints } from './schedule';

const parse = (points: string): [number, number][] => points.split(' ').map((p) => p.split(',').map(Number) as [number, number]);

describe('schedulePoints', () => {
  it('rises through warmup, then decays linearly to the floor', () => {
    const points = parse(schedulePoints({ kind: 'linear', warmupRatio: 0.1 }, 10, 100, 50));
    expect(points).toHaveLength(11);
    expect(points[0]).toEqual([0, 0]); // warmup's first step is already at full rate: 1 of 1 warmup steps
    expect(points[5]).toEqual([50, 22.2]);
    expect(points[10]).toEqual([100, 50]);
  });

  it('stays at the top for a constant schedule after warmup', () => {
    const points = parse(schedulePoints({ kind: 'constant', warmupRatio: 0.5 }, 4, 40, 10));
    expect(points.map(([, y]) => y)).toEqual([5, 0, 0, 0, 0]);
  });

  it('follows a half cosine', () => {
    const points = parse(schedulePoints({ kind: 'cosine', warmupRatio: 0 }, 4, 40, 10));
    expect(points.map(([, y]) => y)).toEqual([0, 1.5, 5, 8.5, 10]);
  });

  it('rejects too few steps and bad schedules', () => {
    expect(() => schedulePoints({ kind: 'linear', warmupRatio: 0 }, 1, 10, 10)).toThrow(RangeError);
    expect(() => schedulePoints({ kind: 'linear', warmupRatio: 1 }, 10, 10, 10)).toThrow(/warmupRatio/);
  });
});
