/**
 * What a run reports at each step and what the user may change while it goes on: the vocabulary the trainer and
 * its checkpoint share.
 */
import type { GroupId } from './groups';

export interface StepMetrics {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  /** Each group's learning rate at this step (frozen groups included, for the chart). */
  lrs: Partial<Record<GroupId, number>>;
  gradNorm: number;
  examplesPerSec: number;
  tokensPerSec: number;
  numTensors: number;
  numBytes: number;
  frozen: GroupId[];
}

/** Settings the user can change while the run goes on; they apply from the next optimizer step. */
export interface LiveSettings {
  learningRate?: number;
  /**
   * A freeze spec as `args.freeze` takes it ("top:2", "gradual:epoch", …), resolved here: a gradual schedule
   * chosen mid-run unfreezes from the step it arrives at, not from a fixed map the page worked out.
   */
  freeze?: string;
  llrd?: number;
  headLrMultiplier?: number;
}

/** Live settings as the trainer holds them: a freeze spec keeps the step and epoch it arrived at. */
export interface LiveState {
  settings: Omit<LiveSettings, 'freeze'>;
  freeze: { spec: string; fromStep: number; fromEpoch: number } | null;
}
