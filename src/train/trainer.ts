/**
 * The training loop: epochs of length-bucketed batches, MLM masking, gradient accumulation, clipping, AdamW with
 * per-group learning rates, freezing (fixed or gradual), periodic evaluation with early stopping and the best
 * weights kept. Pause, resume, stop and live settings take effect between optimizer steps.
 *
 * Bad numerics: the loss and the gradient norm (computed even when clipping is off) are read back before every
 * update, and a non-finite value stops the run without applying that update. The run then restores the best
 * evaluation's weights when it has one (else it keeps the last good step's) and says which step they are from.
 */
import * as tf from '@tensorflow/tfjs';
import { epochBatches, planBatches, splitRows, type Batch } from '../data/batching';
import type { EncodedExample } from '../data/encode';
import { maskTokens, type MaskedBatch } from '../data/masking';
import { createRng, type Rng } from '../data/random';
import { assignParams } from '../model/params';
import type { Progress } from '../progress';
import type { Tokenizer } from '../tokenizer/types';
import { AdamW } from './adamw';
import type { TrainerCheckpoint } from './checkpoint';
import type { LiveSettings, LiveState, StepMetrics } from './runState';
import type { TrainingArgs } from './defaults';
import { freezeMapAt, freezeScheduleFor, loraTrainableNames, parseFreezeSpec, trainableParamNames, type FreezeMap, type FreezeSchedule } from './freeze';
import { TrainInputError } from './errors';
import { clipScale, globalNorm, GradAccumulator, gradsByName } from './gradients';
import { buildParamGroups, decayNames, type GroupId, type ParamGroups } from './groups';
import { groupLrs, lrScaleAt, paramLrs } from './lr';
import { evaluateModel, EvaluationCancelled, type EvalMetrics, type EvalOptions } from './evaluate';
import { EarlyStopping } from './metrics';
import { taskForward, type Model, type Task } from './objective';
import { partWeight, PeerWeights, type GradientPeer } from './parallel';
import { createSnapshot, readAll, type WeightSnapshot } from './snapshot';


export interface TrainerHooks {
  onStep?(metrics: StepMetrics): void;
  onEval?(metrics: EvalMetrics): void;
  /** Examples scored so far by the evaluation under way. */
  onEvalProgress?(progress: Progress): void;
  /**
   * Given, the run hands over its state after every evaluation and when it pauses, and waits until the hook is
   * done (a run that resumes from that state continues as if it had never stopped).
   */
  onCheckpoint?(checkpoint: TrainerCheckpoint, reason: 'eval' | 'pause'): Promise<void>;
}

export interface TrainerInit {
  model: Model;
  task: Task;
  /** Class count for classification (1 with regression targets). */
  numLabels: number;
  regression: boolean;
  tokenizer: Pick<Tokenizer, 'vocabSize' | 'special'>;
  args: TrainingArgs;
  train: readonly EncodedExample[];
  validation: readonly EncodedExample[];
  /** The text of a validation source row, so evaluations can list misclassified examples. */
  textOf?: (row: number) => string;
  hooks?: TrainerHooks;
  /** Continue from this state (a checkpoint of a run with the same model, data and arguments). */
  resume?: TrainerCheckpoint;
  /**
   * Workers that compute parts of every batch while this thread computes its own (parallel.ts); without them the
   * whole batch is computed here. The parts take their own masks and dropout seeds, so a run's losses depend on
   * how many there are.
   */
  peers?: readonly GradientPeer[];
}

/** A step's loss per micro-batch and its gradients. */
interface StepGrads {
  losses: tf.Scalar[];
  grads: Map<string, tf.Tensor>;
}

export type TrainOutcome = 'done' | 'stopped' | 'early-stopped' | 'failed';

/** Which step's weights the model holds after a run: the best evaluation's, or the last optimizer step's. */
export interface WeightsOrigin {
  step: number;
  source: 'best' | 'last-step';
}

export interface TrainResult {
  outcome: TrainOutcome;
  message?: string;
  steps: number;
  history: { steps: StepMetrics[]; evals: EvalMetrics[] };
  best?: EvalMetrics;
  weightsFrom: WeightsOrigin;
}

/** Optimizer steps per epoch and in all, for a run on these examples. */
export interface RunLength {
  perEpoch: number;
  total: number;
}

export function runLength(train: readonly EncodedExample[], args: TrainingArgs): RunLength {
  if (train.length === 0) throw new Error('there are no training examples');
  // Bucket membership depends only on lengths, so every epoch has the same number of batches.
  const batchesPerEpoch = planBatches(train, { batchSize: args.batchSize, maxLength: args.maxLength }).length;
  const perEpoch = Math.ceil(batchesPerEpoch / args.gradAccumSteps);
  return { perEpoch, total: args.maxSteps ?? perEpoch * args.epochs };
}

export class Trainer {
  readonly groups: ParamGroups;
  readonly totalSteps: number;
  private readonly stepsPerEpoch: number;
  private readonly optimizer: AdamW;
  private readonly schedule: FreezeSchedule;
  private readonly rng: Rng;
  private readonly accumulator = new GradAccumulator();
  private readonly history: TrainResult['history'] = { steps: [], evals: [] };
  private readonly earlyStopping: EarlyStopping | null;
  private live: Omit<LiveSettings, 'freeze'> = {};
  /** A freeze schedule chosen during the run, counted from the step and epoch it arrived at. */
  private liveFreeze: (LiveState['freeze'] & { schedule: FreezeSchedule }) | null = null;
  private control: 'run' | 'pause' | 'stop' = 'run';
  private wake: (() => void) | null = null;
  /** The best evaluation's weights. */
  private readonly bestWeights: WeightSnapshot | null;
  private best: EvalMetrics | null = null;
  private step = 0;
  /** Which weights each peer lacks. */
  private readonly peerWeights: PeerWeights | null;

  constructor(private readonly init: TrainerInit) {
    const { model, args } = init;
    // The freeze map and layer-wise rates group sets of layer weights (ALBERT's one shared set is one group).
    const numLayers = model.config.numHiddenGroups;
    this.groups = buildParamGroups(model.params, numLayers);
    this.optimizer = new AdamW(model.params, decayNames(this.groups), {
      beta1: args.adamBeta1,
      beta2: args.adamBeta2,
      epsilon: args.adamEpsilon,
      weightDecay: args.weightDecay,
    });
    this.schedule = freezeScheduleFor(parseFreezeSpec(args.freeze), numLayers);
    this.rng = createRng(args.seed);
    ({ perEpoch: this.stepsPerEpoch, total: this.totalSteps } = runLength(init.train, args));
    this.earlyStopping = args.earlyStoppingPatience > 0 && init.validation.length > 0
      ? new EarlyStopping({ patience: args.earlyStoppingPatience, minDelta: args.earlyStoppingMinDelta, mode: 'min' })
      : null;
    this.bestWeights = init.validation.length > 0 ? createSnapshot(model.params) : null;
    this.peerWeights = init.peers?.length ? new PeerWeights(init.peers.length, model.params) : null;
    if (init.resume) this.restore(init.resume);
  }

  /** Takes over a checkpoint's state; every shape was checked when it was read (checkpoint.ts). */
  private restore(checkpoint: TrainerCheckpoint): void {
    if (checkpoint.step > this.totalSteps) {
      throw new TrainInputError(`the checkpoint is at step ${checkpoint.step}, past this run's ${this.totalSteps} steps`);
    }
    assignParams(this.init.model.params, checkpoint.params);
    this.optimizer.loadState(checkpoint.optimizer);
    if (checkpoint.best && this.bestWeights) {
      this.bestWeights.load(checkpoint.best.weights);
      this.best = checkpoint.best.metrics;
    }
    if (checkpoint.earlyStopping) this.earlyStopping?.restore(checkpoint.earlyStopping);
    this.step = checkpoint.step;
    // Not push(...steps): a long run's history overflows the call stack as a spread.
    for (const metrics of checkpoint.history.steps) this.history.steps.push(metrics);
    for (const metrics of checkpoint.history.evals) this.history.evals.push(metrics);
    this.live = { ...checkpoint.live.settings };
    const freeze = checkpoint.live.freeze;
    if (freeze) {
      const schedule = freezeScheduleFor(parseFreezeSpec(freeze.spec), this.init.model.config.numHiddenGroups);
      this.liveFreeze = { ...freeze, schedule };
    }
  }

  /** The run's state between two optimizer steps (reads every tensor back: for checkpoints, not every step). */
  async checkpoint(): Promise<TrainerCheckpoint> {
    const best = this.best && this.bestWeights ? { metrics: this.best, weights: await this.bestWeights.read() } : null;
    return {
      step: this.step,
      params: await readAll(this.init.model.params),
      optimizer: await this.optimizer.state(),
      best,
      earlyStopping: this.earlyStopping?.state() ?? null,
      live: { settings: { ...this.live }, freeze: this.liveFreeze && { spec: this.liveFreeze.spec, fromStep: this.liveFreeze.fromStep, fromEpoch: this.liveFreeze.fromEpoch } },
      history: { steps: [...this.history.steps], evals: [...this.history.evals] },
    };
  }

  /** Whether the run waits between optimizer steps: the weights are then those of step `steps`, safe to read. */
  get paused(): boolean {
    return this.control === 'pause';
  }

  /** The run so far, for an export taken while paused. */
  progress(): Pick<TrainResult, 'steps' | 'history' | 'best'> {
    return { steps: this.step, history: this.history, best: this.best ?? undefined };
  }

  get frozenNow(): FreezeMap {
    const epoch = this.epochOf(this.step);
    if (!this.liveFreeze) return freezeMapAt(this.schedule, this.step, epoch);
    const { schedule, fromStep, fromEpoch } = this.liveFreeze;
    return freezeMapAt(schedule, this.step - fromStep, epoch - fromEpoch);
  }

  setLive(settings: LiveSettings): void {
    const { freeze, ...rest } = settings;
    if (freeze !== undefined) {
      const schedule = freezeScheduleFor(parseFreezeSpec(freeze), this.init.model.config.numHiddenGroups);
      this.liveFreeze = { spec: freeze, schedule, fromStep: this.step, fromEpoch: this.epochOf(this.step) };
    }
    this.live = { ...this.live, ...rest };
  }

  pause(): void {
    if (this.control === 'run') this.control = 'pause';
  }

  resume(): void {
    if (this.control !== 'pause') return;
    this.control = 'run';
    this.wake?.();
  }

  stop(): void {
    this.control = 'stop';
    this.wake?.();
  }

  /**
   * Runs to the end (or until stopped); resolves with the outcome and the metric history. Evaluates every
   * `evalEvery` steps when set, and at the end of every epoch.
   */
  async run(): Promise<TrainResult> {
    const { args } = this.init;
    const evalEvery = args.evalEvery === 'epoch' ? null : args.evalEvery;
    let outcome: TrainOutcome = 'done';
    let message: string | undefined;
    let weightsFrom: WeightsOrigin;
    try {
      // A resumed run starts inside its epoch: the batches before its step were drawn by the run it continues.
      let skip = this.step - this.epochOf(this.step) * this.stepsPerEpoch;
      epochs: for (let epoch = this.epochOf(this.step); this.step < this.totalSteps; epoch++) {
        let evaluatedAt = -1;
        for (const micro of chunks(this.batches(epoch), args.gradAccumSteps)) {
          if (skip > 0) {
            skip -= 1;
            continue;
          }
          if (this.step >= this.totalSteps) break;
          await this.checkControl();
          if (this.control === 'stop') {
            outcome = 'stopped';
            break epochs;
          }
          const failure = await this.optimizerStep(micro);
          if (failure !== null) {
            outcome = 'failed';
            message = `${failure}: training stopped before applying that update.`;
            break epochs;
          }
          if (evalEvery !== null && this.step % evalEvery === 0) {
            evaluatedAt = this.step;
            if (await this.evaluateAndTrack()) {
              outcome = 'early-stopped';
              break epochs;
            }
          }
        }
        if (evaluatedAt !== this.step && (await this.evaluateAndTrack())) {
          outcome = 'early-stopped';
          break;
        }
      }
      weightsFrom = this.restoreBest();
      if (outcome === 'failed') message = `${message} ${await this.describeRecovery(weightsFrom)}`;
    } finally {
      this.accumulator.dispose();
      this.optimizer.dispose();
      this.bestWeights?.dispose();
    }
    return { outcome, message, steps: this.step, history: this.history, best: this.best ?? undefined, weightsFrom };
  }

  /** Puts the best evaluation's weights back when there was one; the model keeps them after any outcome. */
  private restoreBest(): WeightsOrigin {
    if (!this.best || !this.bestWeights) return { step: this.step, source: 'last-step' };
    this.bestWeights.restoreInto(this.init.model.params);
    return { step: this.best.step, source: 'best' };
  }

  /** What a failed run leaves the user with, checked: weights that went bad outside an update are named. */
  private async describeRecovery(origin: WeightsOrigin): Promise<string> {
    const bad = await nonFiniteParams(this.init.model.params);
    const which = origin.source === 'best'
      ? `The weights of the best evaluation (step ${origin.step}) were restored`
      : `The weights after step ${origin.step}, the last good step, were kept`;
    if (bad.length > 0) {
      return `${which}, but ${bad.length} of them hold NaN or Inf (${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ', …' : ''}): reload the model. Try a lower learning rate.`;
    }
    return `${which}; export them or try a lower learning rate.`;
  }

  private async evaluateAndTrack(): Promise<boolean> {
    const epoch = this.step / this.stepsPerEpoch;
    if (this.init.validation.length === 0) return false;
    const { model, validation, hooks } = this.init;
    const options: EvalOptions = {
      ...evalOptions(this.init),
      onProgress: hooks?.onEvalProgress,
      // Stop during an evaluation ends it at once; the run then stops as from any step.
      cancelled: () => this.control === 'stop',
    };
    let metrics: EvalMetrics;
    try {
      metrics = await evaluateModel(model, validation, options, this.step, epoch);
    } catch (err) {
      if (err instanceof EvaluationCancelled) return false;
      throw err;
    }
    const decision = this.earlyStopping?.update(metrics.loss, this.step);
    metrics.isBest = decision ? decision.improved : true;
    if (metrics.isBest && this.bestWeights) {
      await this.bestWeights.save(this.init.model.params);
      this.best = metrics;
    }
    this.history.evals.push(metrics);
    this.init.hooks?.onEval?.(metrics);
    const stop = decision?.stop ?? false;
    if (!stop) await this.handOverCheckpoint('eval');
    return stop;
  }

  /** One optimizer step over `micro` batches; returns an error message instead of updating on bad numerics. */
  private async optimizerStep(micro: Batch[]): Promise<string | null> {
    const { args } = this.init;
    const started = performance.now();
    const frozenMap = this.frozenNow;
    const names = this.init.model.config.lora ? loraTrainableNames(this.groups) : trainableParamNames(this.groups, frozenMap);
    const { losses, grads } = this.peerWeights ? await this.parallelGrads(micro, names) : this.localGrads(micro, names);
    // The norm is read even without clipping: a NaN gradient can come with a finite loss.
    const readback = tf.tidy(() => tf.stack([tf.stack(losses).mean(), globalNorm(grads)]));
    const [loss, gradNorm] = await readback.data();
    tf.dispose([readback, ...losses]);

    let failure: string | null = null;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      failure = `The loss became ${loss} (gradient norm ${gradNorm}) at step ${this.step + 1}`;
    } else {
      const lrs = this.groupLrs();
      const scale = lrScaleAt(this.step, this.totalSteps, { kind: args.schedule, warmupRatio: args.warmupRatio });
      const gradScale = args.maxGradNorm > 0 ? clipScale(gradNorm, args.maxGradNorm) : 1;
      this.optimizer.step(grads, paramLrs(this.groups, lrs, scale), gradScale);
      this.peerWeights?.changed(grads.keys());
      this.step += 1;
      const seconds = (performance.now() - started) / 1000;
      const examples = micro.reduce((n, b) => n + b.validRows, 0);
      const tokens = micro.reduce((n, b) => n + b.attentionMask.reduce((s, m) => s + m, 0), 0);
      const memory = tf.memory();
      const metrics: StepMetrics = {
        step: this.step,
        totalSteps: this.totalSteps,
        epoch: this.step / this.stepsPerEpoch,
        loss,
        lrs: Object.fromEntries(Object.entries(lrs).map(([id, lr]) => [id, lr * scale])),
        gradNorm,
        examplesPerSec: examples / seconds,
        tokensPerSec: tokens / seconds,
        numTensors: memory.numTensors,
        numBytes: memory.numBytes,
        frozen: (Object.keys(frozenMap) as GroupId[]).filter((id) => frozenMap[id]),
      };
      this.history.steps.push(metrics);
      this.init.hooks?.onStep?.(metrics);
    }
    tf.dispose([...grads.values()]);
    return failure;
  }

  /** The step's gradients, every micro-batch computed in this thread. */
  private localGrads(micro: Batch[], names: string[]): StepGrads {
    const { model, task, args } = this.init;
    const losses: tf.Scalar[] = [];
    let stepGrads: Map<string, tf.Tensor> | undefined;
    for (const [i, batch] of micro.entries()) {
      const masked = task === 'mlm' ? this.mask(batch, this.rng.fork(`mlm:${this.step}:${i}`)) : undefined;
      const seed = this.rng.fork(`dropout:${this.step}:${i}`).int(2 ** 31);
      const { loss, grads } = gradsByName(
        () => taskForward(model, task, batch, masked, { training: true, seed, gradientCheckpointing: args.gradientCheckpointing }).loss,
        model.params,
        names,
      );
      losses.push(loss);
      if (micro.length === 1) {
        stepGrads = grads;
      } else {
        this.accumulator.add(grads);
        tf.dispose([...grads.values()]);
      }
    }
    // One micro-batch (the default) uses its gradients as they are: summing them into the accumulator's buffers
    // would hold one more weight-sized copy for the whole run.
    if (micro.length > 1) {
      stepGrads = this.accumulator.mean();
      this.accumulator.reset();
    }
    return { losses, grads: stepGrads! };
  }

  /**
   * The step's gradients with every micro-batch cut into parts of rows computed at once, the first here and the
   * others by the peers, each weighted by the weight its loss is a mean over (parallel.ts). Parts of padding only
   * are not computed.
   */
  private async parallelGrads(micro: Batch[], names: string[]): Promise<StepGrads> {
    const { model, task, args, tokenizer } = this.init;
    const peers = this.init.peers!;
    const losses: tf.Scalar[] = [];
    for (const [i, batch] of micro.entries()) {
      const parts = splitRows(batch, peers.length + 1, tokenizer.special.pad).map((part, k) => {
        const masked = task === 'mlm' ? this.mask(part, this.rng.fork(`mlm:${this.step}:${i}:${k}`)) : undefined;
        return { part, masked, seed: this.rng.fork(`dropout:${this.step}:${i}:${k}`).int(2 ** 31), weight: partWeight(part, masked) };
      });
      const counted = parts.filter((p) => p.weight > 0);
      const [local, ...remote] = counted.length > 0 ? counted : parts.slice(0, 1);
      const total = counted.reduce((sum, p) => sum + p.weight, 0) || 1;
      // Every peer's part is sent before this thread starts its own, which blocks it until done.
      const weights = await Promise.all(remote.map((_, k) => this.peerWeights!.take(k)));
      const results = remote.map((p, k) =>
        peers[k].compute({ task, batch: p.part, masked: p.masked, seed: p.seed, names, gradientCheckpointing: args.gradientCheckpointing, weights: weights[k] }),
      );
      const own = gradsByName(
        () => taskForward(model, task, local.part, local.masked, { training: true, seed: local.seed, gradientCheckpointing: args.gradientCheckpointing }).loss,
        model.params,
        names,
      );
      this.accumulator.add(own.grads, local.weight / total);
      tf.dispose([...own.grads.values()]);
      let loss = tf.tidy(() => own.loss.mul(local.weight / total) as tf.Scalar);
      own.loss.dispose();
      for (const [k, pending] of results.entries()) {
        const result = await pending;
        const share = remote[k].weight / total;
        const grads = new Map(result.grads.map(({ name, shape, values }) => [name, tf.tensor(values, shape)]));
        this.accumulator.add(grads, share);
        tf.dispose([...grads.values()]);
        const sum = tf.tidy(() => loss.add(result.loss * share) as tf.Scalar);
        loss.dispose();
        loss = sum;
      }
      losses.push(loss);
    }
    const grads = this.accumulator.mean();
    this.accumulator.reset();
    return { losses, grads };
  }

  private groupLrs(): Record<GroupId, number> {
    const { args, model } = this.init;
    return groupLrs(
      this.live.learningRate ?? args.learningRate,
      this.live.llrd ?? args.llrd,
      this.live.headLrMultiplier ?? args.headLrMultiplier,
      model.config.numHiddenGroups,
    );
  }

  /** Yields to the event loop (so pause/stop messages arrive) and waits while paused. */
  private async checkControl(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.control === 'pause') await this.handOverCheckpoint('pause');
    while (this.control === 'pause') {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  private async handOverCheckpoint(reason: 'eval' | 'pause'): Promise<void> {
    const hook = this.init.hooks?.onCheckpoint;
    if (hook) await hook(await this.checkpoint(), reason);
  }

  private batchOptions(epoch: number, shuffle: boolean) {
    const { args, tokenizer, regression, task } = this.init;
    return {
      batchSize: args.batchSize,
      maxLength: args.maxLength,
      shuffle,
      seed: args.seed,
      epoch,
      padId: tokenizer.special.pad,
      labelKind: regression ? ('numeric' as const) : ('categorical' as const),
      includeWordIds: task === 'mlm',
    };
  }

  private batches(epoch: number): Generator<Batch> {
    return epochBatches(this.init.train, this.batchOptions(epoch, true));
  }

  private epochOf(step: number): number {
    return Math.floor(step / this.stepsPerEpoch);
  }

  private mask(batch: Batch, rng: Rng): MaskedBatch {
    const { tokenizer, args } = this.init;
    return maskTokens(batch, { tokenizer, rng, probability: args.mlmProbability, wholeWord: args.wholeWordMasking });
  }

}

/** Names of the parameters holding a NaN or Inf, in one readback. */
async function nonFiniteParams(params: ReadonlyMap<string, tf.Tensor>): Promise<string[]> {
  const names = [...params.keys()];
  if (names.length === 0) return [];
  const flags = tf.tidy(() => tf.stack(names.map((name) => tf.isFinite(params.get(name)!).all().cast('int32'))));
  const finite = await flags.data();
  flags.dispose();
  return names.filter((_, i) => finite[i] === 0);
}

/** Consecutive groups of `size` items; the last group may be shorter (an epoch's last accumulation step). */
function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let group: T[] = [];
  for (const item of items) {
    group.push(item);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** How a trainer's validation is scored: its task and batching, without shuffling or dropout. */
export function evalOptions(
  init: Pick<TrainerInit, 'task' | 'regression' | 'numLabels' | 'tokenizer' | 'args' | 'textOf'>,
): EvalOptions {
  const { task, regression, numLabels, tokenizer, args, textOf } = init;
  return {
    task,
    regression,
    numLabels,
    tokenizer,
    batchSize: args.batchSize,
    maxLength: args.maxLength,
    mlmProbability: args.mlmProbability,
    wholeWordMasking: args.wholeWordMasking,
    textOf,
  };
}
