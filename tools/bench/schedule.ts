/**
 * Interleaving kernel sets within one training run, so that every set is timed under the same (shared,
 * fluctuating) machine load. A step's interval also holds device work queued by the step before it (the loss
 * readback waits for the previous AdamW), so only an interval whose step and previous step used the same set
 * is counted: sets take turns in blocks of two steps.
 */

/** Index of the set used at `step` (1-based): the first through warmup, then blocks of 2 in turn. */
export function setAt(step: number, warmup: number, sets: number): number {
  if (step <= warmup || sets === 1) return 0;
  return Math.floor((step - warmup - 1) / 2) % sets;
}

/** Steps needed for `samples` counted intervals of each set. */
export function totalSteps(samples: number, warmup: number, sets: number): number {
  return warmup + (sets === 1 ? samples : 2 * samples * sets);
}

/** The set whose time the interval ending at `step` measures, or null when it mixes two sets or is warmup. */
export function countedSet(step: number, warmup: number, sets: number): number | null {
  if (step <= warmup) return null;
  const set = setAt(step, warmup, sets);
  return setAt(step - 1, warmup, sets) === set && (sets === 1 || step - 1 > warmup) ? set : null;
}
