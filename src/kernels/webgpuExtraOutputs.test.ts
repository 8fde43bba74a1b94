import { describe, expect, it } from 'vitest';
import { extraOutputsMarker, withExtraOutputs } from './webgpuExtraOutputs';

// Declarations as tfjs-backend-webgpu 4.22's makeShader writes them; the kernels run in e2e/webgpuFusedOps.spec.ts.
const declarations = `
      @group(0) @binding(0) var<storage, read_write> result: array<f32>;
      @group(0) @binding(1) var<storage, read> x: array<f32>;
      @group(0) @binding(2) var<storage, read> stats: array<f32>;
      @group(0) @binding(3) var<storage, read> statsOld: array<f32>;`;

describe('withExtraOutputs', () => {
  it('declares the inputs its marker names read-write, and no other', () => {
    const code = withExtraOutputs(`${declarations}\n${extraOutputsMarker(['stats'])}\nfn main() {}`);
    expect(code).toContain('@binding(2) var<storage, read_write> stats:');
    expect(code).toContain('@binding(1) var<storage, read> x:');
    expect(code).toContain('@binding(3) var<storage, read> statsOld:');
  });

  it('takes several names', () => {
    const code = withExtraOutputs(`${declarations}\n${extraOutputsMarker(['x', 'statsOld'])}`);
    expect(code).toContain('var<storage, read_write> x:');
    expect(code).toContain('var<storage, read_write> statsOld:');
    expect(code).toContain('var<storage, read> stats:');
  });

  it('leaves code without the marker as it is', () => {
    expect(withExtraOutputs(declarations)).toBe(declarations);
  });

  it('throws where a named input is not declared as tfjs declares inputs', () => {
    expect(() => withExtraOutputs(`${declarations}\n${extraOutputsMarker(['dGamma'])}`)).toThrow(/dGamma/);
  });
});
