// Test support for the baseline: running its generators to the end, and solver settings tight enough that
// a fit is the objective's minimum rather than a stopping point.
import { DEFAULT_BASELINE_SETTINGS, type BaselineSettings } from './fitBaseline';

/** Runs a generator to completion and returns its result. */
export function drain<R>(steps: Generator<unknown, R>): R {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

export const TIGHT_SETTINGS: BaselineSettings = {
  ...DEFAULT_BASELINE_SETTINGS,
  solver: { maxIterations: 10_000, gradientTolerance: 1e-10, valueTolerance: 0, memory: 10 },
  ridge: { maxIterations: 10_000, tolerance: 1e-12 },
};
