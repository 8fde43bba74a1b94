import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseBenchArgs } from './args';

describe('parseBenchArgs', () => {
  it('defaults to tiny and mini on every backend, 5 steps after 2 warmup steps, no summary file', () => {
    expect(parseBenchArgs([])).toEqual({
      backends: ['webgpu', 'wasm', 'cpu'],
      configs: ['tiny', 'mini'],
      steps: 5,
      warmup: 2,
      quick: false,
      json: null,
      wasm: null,
      help: false,
    });
  });

  it('reads flags with a space or an equals sign, and drops repeated backends and configs', () => {
    expect(parseBenchArgs(['--backends', 'wasm,webgpu,wasm', '--steps=9', '--warmup', '1', '--config=base,tiny,base', '--json', 'out.json'])).toEqual({
      backends: ['wasm', 'webgpu'],
      configs: ['base', 'tiny'],
      steps: 9,
      warmup: 1,
      quick: false,
      json: 'out.json',
      wasm: null,
      help: false,
    });
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it('--quick runs tiny and mini on webgpu and wasm, 2 steps after 1 warmup, unless told otherwise', () => {
    expect(parseBenchArgs(['--quick', '--json=/tmp/q.json'])).toEqual({
      backends: ['webgpu', 'wasm'],
      configs: ['tiny', 'mini'],
      steps: 2,
      warmup: 1,
      quick: true,
      json: '/tmp/q.json',
      wasm: null,
      help: false,
    });
    expect(parseBenchArgs(['--steps', '3', '--quick', '--backends', 'wasm', '--config', 'mini'])).toMatchObject({
      backends: ['wasm'],
      configs: ['mini'],
      steps: 3,
      warmup: 1,
    });
    expect(() => parseBenchArgs(['--quick', '--config', 'tiny,base'])).toThrow(/--quick runs tiny and mini only/);
  });

  it('rejects unknown backends, configs and options, counts that are not whole numbers in range, and --json without a file', () => {
    expect(() => parseBenchArgs(['--backends', 'webgl'])).toThrow(/unknown backend "webgl" \(known: webgpu, wasm, cpu\)/);
    expect(() => parseBenchArgs(['--backends', ','])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--config', 'large'])).toThrow(/unknown config "large" \(known: tiny, mini, base\)/);
    expect(() => parseBenchArgs(['--config'])).toThrow(/--config needs a list such as tiny,mini/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option "--fast"/);
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps needs a whole number >= 1, got 0/);
    expect(() => parseBenchArgs(['--steps', '2.5'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--warmup'])).toThrow(/--warmup needs a whole number >= 1, got nothing/);
    expect(() => parseBenchArgs(['--json'])).toThrow(/--json needs a file name/);
  });

  it('--wasm names the wasm pages as threads, or threads and peers, and refuses anything else', () => {
    expect(parseBenchArgs(['--wasm', '2+1,1+1,2']).wasm).toEqual([{ threads: 2, peers: 1 }, { threads: 1, peers: 1 }, { threads: 2, peers: 0 }]);
    expect(() => parseBenchArgs(['--wasm', '0'])).toThrow(/THREADS or THREADS\+PEERS/);
    expect(() => parseBenchArgs(['--wasm', 'two'])).toThrow(/THREADS or THREADS\+PEERS/);
    expect(() => parseBenchArgs(['--wasm', ''])).toThrow(BenchArgsError);
  });
});
