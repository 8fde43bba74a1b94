import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttle', () => {
  it('runs the first call at once and folds a burst into one trailing run', () => {
    const run = vi.fn();
    const throttled = throttle(run, 500, () => Date.now());
    throttled.call();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(20);
      throttled.call();
    }
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs at once again after a quiet window', () => {
    const run = vi.fn();
    const throttled = throttle(run, 100, () => Date.now());
    throttled.call();
    vi.advanceTimersByTime(150);
    throttled.call();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('drops the pending run when cancelled', () => {
    const run = vi.fn();
    const throttled = throttle(run, 100, () => Date.now());
    throttled.call();
    throttled.call();
    throttled.cancel();
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('rejects a negative window', () => {
    expect(() => throttle(() => {}, -1)).toThrow(RangeError);
  });
});
