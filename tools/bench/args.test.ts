import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseBenchArgs } from './args';

describe('parseBenchArgs', () => {
  it('defaults to every backend, 5 steps after 2 warmup steps', () => {
    expect(parseBenchArgs([])).toEqual({ backends: ['webgpu', 'wasm', 'cpu'], steps: 5, warmup: 2, help: false });
  });

  it('reads flags with a space or an equals sign, and drops repeated backends', () => {
    expect(parseBenchArgs(['--backends', 'wasm,webgpu,wasm', '--steps=9', '--warmup', '1'])).toEqual({
      backends: ['wasm', 'webgpu'],
      steps: 9,
      warmup: 1,
      help: false,
    });
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it('rejects unknown backends and options, and counts that are not whole numbers in range', () => {
    expect(() => parseBenchArgs(['--backends', 'webgl'])).toThrow(/unknown backend "webgl" \(known: webgpu, wasm, cpu\)/);
    expect(() => parseBenchArgs(['--backends', ','])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option "--fast"/);
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps needs a whole number >= 1, got 0/);
    expect(() => parseBenchArgs(['--steps', '2.5'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--warmup'])).toThrow(/--warmup needs a whole number >= 1, got nothing/);
  });
});
