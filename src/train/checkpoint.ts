/**
 * A run's resumable state as files: everything a Trainer needs to continue exactly where it stopped (the weights,
 * AdamW's moments and step counts, the best evaluation's weights, early stopping, live settings, the metric
 * history). A resumed run draws the same batches, masks and dropout as the uninterrupted one, because each of
 * those is derived from the seed and the step (trainer.ts), so these files are all it needs.
 *
 * Tensors go to safetensors files, one per role, so no single buffer holds four copies of a large model; the rest
 * is JSON. Reading checks every name, shape and count against the model it is loaded into: the files come from
 * browser storage, which the user (or a crash) can leave in any state.
 */
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../io/safetensors';
import type { AdamWState } from './adamw';
import type { EvalMetrics } from './evaluate';
import type { EarlyStoppingState } from './metrics';
import type { LiveState, StepMetrics } from './runState';

export const CHECKPOINT_VERSION = 1;

export interface TrainerCheckpoint {
  /** Optimizer steps taken; the weights are those after this step. */
  step: number;
  params: Map<string, TensorToWrite>;
  optimizer: AdamWState;
  best: { metrics: EvalMetrics; weights: Map<string, TensorToWrite> } | null;
  earlyStopping: EarlyStoppingState | null;
  live: LiveState;
  history: { steps: StepMetrics[]; evals: EvalMetrics[] };
}

export class CheckpointError extends Error {
  readonly code = 'bad-checkpoint';

  constructor(
    message: string,
    /** The checkpoint file at fault. */
    readonly file: string,
  ) {
    super(`Checkpoint ${file}: ${message}`);
    this.name = 'CheckpointError';
  }
}

/** The files of one checkpoint, by name. */
export const CHECKPOINT_FILES = {
  params: 'params.safetensors',
  moments: 'moments.safetensors',
  best: 'best.safetensors',
  state: 'state.json',
} as const;

interface StateJson {
  version: number;
  step: number;
  /** Each parameter's AdamW update count (its bias correction). */
  optimizerSteps: Record<string, number>;
  best: EvalMetrics | null;
  earlyStopping: EarlyStoppingState | null;
  live: LiveState;
  history: TrainerCheckpoint['history'];
}

export function writeCheckpoint(checkpoint: TrainerCheckpoint): Record<string, Uint8Array> {
  const moments = new Map<string, TensorToWrite>();
  const optimizerSteps: Record<string, number> = {};
  for (const [name, slot] of Object.entries(checkpoint.optimizer.slots)) {
    moments.set(`m.${name}`, { shape: slot.shape, data: slot.m });
    moments.set(`v.${name}`, { shape: slot.shape, data: slot.v });
    optimizerSteps[name] = slot.step;
  }
  const state: StateJson = {
    version: CHECKPOINT_VERSION,
    step: checkpoint.step,
    optimizerSteps,
    best: checkpoint.best?.metrics ?? null,
    earlyStopping: checkpoint.earlyStopping,
    live: checkpoint.live,
    history: checkpoint.history,
  };
  const files: Record<string, Uint8Array> = {
    [CHECKPOINT_FILES.params]: writeSafetensors(checkpoint.params),
    [CHECKPOINT_FILES.moments]: writeSafetensors(moments),
    [CHECKPOINT_FILES.state]: new TextEncoder().encode(stringifyNumbers(state)),
  };
  if (checkpoint.best) files[CHECKPOINT_FILES.best] = writeSafetensors(checkpoint.best.weights);
  return files;
}

/**
 * Reads a checkpoint written by writeCheckpoint for a model whose parameters have `shapes`; any missing file,
 * name, shape, count or a non-finite weight is a CheckpointError naming the file and the tensor.
 */
export function readCheckpoint(files: Record<string, Uint8Array | undefined>, shapes: ReadonlyMap<string, readonly number[]>): TrainerCheckpoint {
  const state = readState(files);
  const params = readTensors(files, CHECKPOINT_FILES.params, shapes);
  const moments = readTensors(files, CHECKPOINT_FILES.moments, null);
  const slots: AdamWState['slots'] = {};
  for (const [name, step] of Object.entries(state.optimizerSteps)) {
    const shape = shapes.get(name);
    if (!shape) throw new CheckpointError(`optimizer state for ${name}, which the model does not have`, CHECKPOINT_FILES.state);
    if (!Number.isInteger(step) || step < 1) throw new CheckpointError(`optimizer step count ${step} for ${name}`, CHECKPOINT_FILES.state);
    const m = moments.get(`m.${name}`);
    const v = moments.get(`v.${name}`);
    for (const [which, tensor] of [['m', m], ['v', v]] as const) {
      if (!tensor || !sameShape(tensor.shape, shape)) {
        throw new CheckpointError(`${which}.${name} is ${tensor ? `[${tensor.shape}]` : 'missing'}, the parameter [${shape}]`, CHECKPOINT_FILES.moments);
      }
    }
    slots[name] = { step, shape: [...shape], m: m!.data, v: v!.data };
  }
  let best: TrainerCheckpoint['best'] = null;
  if (state.best) best = { metrics: state.best, weights: readTensors(files, CHECKPOINT_FILES.best, shapes) };
  return { step: state.step, params, optimizer: { slots }, best, earlyStopping: state.earlyStopping, live: state.live, history: state.history };
}

function readState(files: Record<string, Uint8Array | undefined>): StateJson {
  const bytes = files[CHECKPOINT_FILES.state];
  const file = CHECKPOINT_FILES.state;
  if (!bytes) throw new CheckpointError('is missing', file);
  let state: StateJson;
  try {
    state = parseNumbers(new TextDecoder().decode(bytes)) as StateJson;
  } catch (err) {
    throw new CheckpointError(`is not valid JSON (${(err as Error).message})`, file);
  }
  if (typeof state !== 'object' || state === null) throw new CheckpointError('is not an object', file);
  if (state.version !== CHECKPOINT_VERSION) throw new CheckpointError(`has version ${state.version}; this studio reads ${CHECKPOINT_VERSION}`, file);
  if (!Number.isInteger(state.step) || state.step < 0) throw new CheckpointError(`has a bad step ${state.step}`, file);
  if (typeof state.optimizerSteps !== 'object' || state.optimizerSteps === null) throw new CheckpointError('has no optimizer steps', file);
  if (!Array.isArray(state.history?.steps) || !Array.isArray(state.history?.evals)) throw new CheckpointError('has no metric history', file);
  if (typeof state.live?.settings !== 'object') throw new CheckpointError('has no live settings', file);
  return state;
}

/** The float tensors of one file; with `shapes`, exactly the model's names and shapes, all finite. */
export function readTensors(
  files: Record<string, Uint8Array | undefined>,
  file: string,
  shapes: ReadonlyMap<string, readonly number[]> | null,
): Map<string, TensorToWrite & { data: Float32Array }> {
  const bytes = files[file];
  if (!bytes) throw new CheckpointError('is missing', file);
  let tensors;
  try {
    tensors = readSafetensors(bytes).tensors;
  } catch (err) {
    throw new CheckpointError((err as Error).message, file);
  }
  const out = new Map<string, TensorToWrite & { data: Float32Array }>();
  for (const [name, entry] of tensors) {
    if (!(entry.data instanceof Float32Array)) throw new CheckpointError(`${name} is ${entry.dtype}, not a float tensor`, file);
    const expected = shapes?.get(name);
    if (shapes && !expected) throw new CheckpointError(`${name} is not a parameter of the model`, file);
    if (expected && !sameShape(entry.shape, expected)) throw new CheckpointError(`${name} is [${entry.shape}], the model's [${expected}]`, file);
    if (!entry.data.every(Number.isFinite)) throw new CheckpointError(`${name} holds NaN or Inf`, file);
    out.set(name, { shape: entry.shape, data: entry.data });
  }
  if (shapes) {
    const missing = [...shapes.keys()].filter((name) => !out.has(name));
    if (missing.length > 0) throw new CheckpointError(`lacks ${missing.length} parameter(s): ${missing.slice(0, 3).join(', ')}`, file);
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** JSON with NaN and ±Infinity kept (plain JSON turns them into null, and a metric would come back as null). */
export function stringifyNumbers(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v));
}

export function parseNumbers(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const n = (v as { $number?: unknown }).$number;
      if (keys.length === 1 && (n === 'NaN' || n === 'Infinity' || n === '-Infinity')) return Number(n);
    }
    return v;
  });
}
