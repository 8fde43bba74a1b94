import { describe, expect, it } from 'vitest';
import { DEFAULT_LBFGS, minimizeLbfgs, type Objective } from './lbfgs';
import { drain } from './testing';

/** f(x) = ½ xᵀAx − bᵀx with A = diag(1..n) + 0.5 (ones): minimum at A⁻¹b. */
function quadratic(n: number, b: Float64Array): Objective {
  return (x, gradient) => {
    const sum = x.reduce((s, v) => s + v, 0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      gradient[i] = (i + 1) * x[i] + 0.5 * sum - b[i];
      value += 0.5 * x[i] * ((i + 1) * x[i] + 0.5 * sum) - b[i] * x[i];
    }
    return value;
  };
}

describe('minimizeLbfgs', () => {
  it('finds the minimum of a convex quadratic, down to what float64 values can tell apart', () => {
    const n = 50;
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 1);
    const result = drain(minimizeLbfgs(quadratic(n, b), new Float64Array(n), { ...DEFAULT_LBFGS, gradientTolerance: 1e-12, valueTolerance: 0, maxIterations: 1000 }));
    expect(result.converged).toBe(true);
    // Sherman–Morrison: (D + ½·11ᵀ)⁻¹b = D⁻¹b − D⁻¹1 · ½·1ᵀD⁻¹b / (1 + ½·1ᵀD⁻¹1), D = diag(1..n).
    const inv = (i: number) => 1 / (i + 1);
    const db = b.reduce((s, v, i) => s + v * inv(i), 0);
    const d1 = b.reduce((s, _, i) => s + inv(i), 0);
    const exact = Array.from(b, (v, i) => v * inv(i) - (inv(i) * 0.5 * db) / (1 + 0.5 * d1));
    expect(Math.max(...exact.map((v, i) => Math.abs(v - result.x[i])))).toBeLessThan(1e-7);
    expect(result.gradientMax).toBeLessThan(1e-7);
  });

  it('yields once per iteration and reports an unconverged stop at maxIterations', () => {
    const n = 50;
    const steps = minimizeLbfgs(quadratic(n, new Float64Array(n).fill(1)), new Float64Array(n), { ...DEFAULT_LBFGS, gradientTolerance: 0, valueTolerance: 0, maxIterations: 3 });
    const yields: number[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields.push(step.value);
    expect(yields).toEqual([1, 2, 3]);
    expect(step.value).toMatchObject({ iterations: 3, converged: false });
  });

  it('stops at once when the start is already the minimum', () => {
    const result = drain(minimizeLbfgs(quadratic(4, new Float64Array(4)), new Float64Array(4)));
    expect(result).toMatchObject({ iterations: 0, converged: true, value: 0 });
  });
});
