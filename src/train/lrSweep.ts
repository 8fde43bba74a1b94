/**
 * The learning-rate finder's run: real optimizer steps of the Trainer on the user's data, with the run's own
 * batching, masking, freezing, accumulation, clipping, layer-wise rates and task head, but with the base rate
 * raised exponentially from step to step (lrFinder.ts has the rule). It trains copies of the weights with a fresh
 * AdamW, and disposes both afterwards: the model's weights are bit-identical after the sweep.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeSweep, checkSweep, divergenceIndex, LR_SMOOTHING, LR_SWEEP, sweepLrAt, type LrSweepAnalysis, type LrSweepPoint, type LrSweepSettings } from './lrFinder';
import { ema } from './ema';
import { Trainer, type TrainerInit } from './trainer';

export type LrSweepOutcome = 'done' | 'diverged' | 'stopped';

export interface LrSweepResult extends LrSweepAnalysis {
  settings: LrSweepSettings;
  points: LrSweepPoint[];
  outcome: LrSweepOutcome;
}

export interface LrSweepInit extends Omit<TrainerInit, 'validation' | 'textOf' | 'hooks'> {
  sweep?: Partial<LrSweepSettings>;
  /** Called after each step with its point and the step count (1-based) out of the sweep's length. */
  onPoint?(point: LrSweepPoint, step: number, steps: number): void;
}

export class LrSweep {
  readonly settings: LrSweepSettings;
  private trainer: Trainer | null = null;
  private stopped = false;

  constructor(private readonly init: LrSweepInit) {
    this.settings = { ...LR_SWEEP, ...init.sweep };
    checkSweep(this.settings);
  }

  /** Ends the sweep before its next step; run() then resolves with the points so far and no suggestion. */
  stop(): void {
    this.stopped = true;
    this.trainer?.stop();
  }

  async run(): Promise<LrSweepResult> {
    const { settings, init } = this;
    const points: LrSweepPoint[] = [];
    // A variable made from a tensor shares its buffer until assigned, so copying frozen weights costs nothing.
    const copies = new Map([...init.model.params].map(([name, variable]) => [name, tf.variable(variable, variable.trainable)]));
    let diverged = false;
    try {
      const trainer = new Trainer({
        ...init,
        model: { ...init.model, params: copies },
        // The sweep sets the base rate itself: a constant schedule without warmup leaves it as set.
        args: {
          ...init.args,
          learningRate: sweepLrAt(0, settings),
          schedule: 'constant',
          warmupRatio: 0,
          maxSteps: settings.steps,
          earlyStoppingPatience: 0,
        },
        validation: [],
        hooks: {
          onStep: ({ step, loss }) => {
            points.push({ lr: sweepLrAt(step - 1, settings), loss });
            init.onPoint?.(points.at(-1)!, step, settings.steps);
            if (divergenceIndex(ema(points.map((p) => p.loss), LR_SMOOTHING)) !== null) {
              diverged = true;
              trainer.stop();
            } else if (step < settings.steps) {
              trainer.setLive({ learningRate: sweepLrAt(step, settings) });
            }
          },
        },
      });
      this.trainer = trainer;
      if (this.stopped) trainer.stop();
      const result = await trainer.run();
      // A non-finite loss or gradient stops the Trainer before the update: the rate of that step diverged.
      if (result.outcome === 'failed') {
        points.push({ lr: sweepLrAt(result.steps, settings), loss: Infinity });
        diverged = true;
      }
    } finally {
      this.trainer = null;
      tf.dispose([...copies.values()]);
    }
    const outcome: LrSweepOutcome = diverged ? 'diverged' : this.stopped ? 'stopped' : 'done';
    const analysis = analyzeSweep(points);
    if (outcome !== 'stopped') return { settings, points, outcome, ...analysis };
    return { settings, points, outcome, ...analysis, suggestion: null, problem: 'The sweep was cancelled before it finished.' };
  }
}
