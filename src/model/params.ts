/**
 * A model's parameters, whatever its family: tf.Variables keyed by their Hugging Face names. Linear weights keep
 * HF's [out, in] layout so checkpoints load and export without transposes. Each family names its own parameters
 * (src/model/bert/params.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { WeightsError } from './errors';

export type Params = Map<string, tf.Variable>;

/** The parameter called `name`; a model function asking for one the architecture lacks is a caller bug. */
export function param(params: Params, name: string): tf.Variable {
  const variable = params.get(name);
  if (variable === undefined) {
    throw new WeightsError('unknown-parameter', `the model has no parameter ${name} (built without that part?)`, name);
  }
  return variable;
}

/** Sets every variable of `params` to its values in `values` (checked shapes, e.g. from a checkpoint); one missing is an error. */
export function assignParams(params: Params, values: ReadonlyMap<string, { data: Float32Array }>): void {
  for (const [name, variable] of params) {
    const saved = values.get(name);
    if (!saved) throw new WeightsError('unknown-parameter', `the saved weights have no values for ${name}`, name);
    tf.tidy(() => variable.assign(tf.tensor(saved.data, variable.shape, 'float32')));
  }
}

/** Frees every variable; the map is unusable afterwards. */
export function disposeParams(params: Params): void {
  for (const variable of params.values()) variable.dispose();
  params.clear();
}
