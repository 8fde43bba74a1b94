/**
 * Parameter groups, built by one printed rule (as nanoGPT's `configure_optimizers` does):
 *
 * - Group by position in the network: `embeddings`, `layer.0` … `layer.{N-1}` (bottom to top), `pooler`, and
 *   `head` (every parameter outside `bert.`: `cls.predictions.*` for MLM, `classifier.*` for classification).
 *   Freezing, layer-wise learning rates and the UI freeze map all work on these groups.
 * - Within each group, split decay / no-decay by rank: tensors with ≥ 2 dims (dense weights and embedding
 *   tables, which the tied MLM decoder shares) get weight decay; 1-D tensors (biases, LayerNorm weight and
 *   bias, `cls.predictions.bias`) do not. This is nanoGPT's rule, and gives the same split as Hugging Face's
 *   Trainer (which excludes names containing "bias" and LayerNorm weights, and decays embeddings).
 */
import { TrainInputError } from './errors';

export type GroupId = 'embeddings' | 'pooler' | 'head' | `layer.${number}`;

export const DECAY_RULE =
  'weight decay on tensors with >= 2 dims (dense weights, embedding tables); ' +
  'none on 1-D tensors (biases, LayerNorm weight/bias, cls.predictions.bias)';

export interface ParamGroup {
  id: GroupId;
  /** Parameter names that get weight decay, in input order. */
  decay: string[];
  /** Parameter names that do not. */
  noDecay: string[];
  numTensors: number;
  numParams: number;
  numDecayParams: number;
}

/** Plain data (JSON-serialisable) so the UI and `training_args.json` can show it as is. */
export interface ParamGroups {
  numLayers: number;
  rule: string;
  /** Canonical order: embeddings, layer.0 … layer.{N-1}, pooler, head. Groups with no parameters are left out. */
  groups: ParamGroup[];
  numTensors: number;
  numParams: number;
  numDecayTensors: number;
  numDecayParams: number;
}

/** Anything with a shape: a `tf.Variable` qualifies, so a model's parameter map can be passed as is. */
export interface Shaped {
  readonly shape: readonly number[];
}

/** Every group a model with `numLayers` encoder layers can have, bottom to top. */
export function groupIds(numLayers: number): GroupId[] {
  if (!Number.isInteger(numLayers) || numLayers < 1) {
    throw new TrainInputError(`numLayers must be an integer >= 1, got ${numLayers}`, 'numLayers');
  }
  const layers = Array.from({ length: numLayers }, (_, i): GroupId => `layer.${i}`);
  return ['embeddings', ...layers, 'pooler', 'head'];
}

const LAYER_NAME = /^bert\.encoder\.layer\.(\d+)\./;
const UNPREFIXED_ENCODER = /^(embeddings|encoder|pooler)\./;

/** The group a canonical (`bert.`-prefixed) Hugging Face parameter name belongs to. */
export function groupOf(name: string, numLayers: number): GroupId {
  if (name.startsWith('bert.embeddings.')) return 'embeddings';
  if (name.startsWith('bert.pooler.')) return 'pooler';
  const layer = LAYER_NAME.exec(name);
  if (layer) {
    const index = Number(layer[1]);
    if (index >= numLayers) {
      throw new TrainInputError(`parameter ${name} is in layer ${index}, but the model has ${numLayers} layers`);
    }
    return `layer.${index}`;
  }
  if (name.startsWith('bert.')) throw new TrainInputError(`parameter ${name} is in no known part of the encoder`);
  if (UNPREFIXED_ENCODER.test(name)) {
    throw new TrainInputError(`parameter ${name} lacks the "bert." prefix; map checkpoint names to canonical ones first`);
  }
  return 'head';
}

/** The decay half of the rule: see DECAY_RULE. */
export function decays(shape: readonly number[]): boolean {
  return shape.length >= 2;
}

function sizeOf(name: string, shape: readonly number[]): number {
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new TrainInputError(`parameter ${name} has a bad shape [${shape.join(', ')}]`);
    }
  }
  return shape.reduce((a, b) => a * b, 1);
}

export function buildParamGroups(params: ReadonlyMap<string, Shaped>, numLayers: number): ParamGroups {
  const byId = new Map<GroupId, ParamGroup>(
    groupIds(numLayers).map((id) => [id, { id, decay: [], noDecay: [], numTensors: 0, numParams: 0, numDecayParams: 0 }]),
  );
  for (const [name, { shape }] of params) {
    const group = byId.get(groupOf(name, numLayers))!;
    const size = sizeOf(name, shape);
    group.numTensors += 1;
    group.numParams += size;
    if (decays(shape)) {
      group.decay.push(name);
      group.numDecayParams += size;
    } else {
      group.noDecay.push(name);
    }
  }
  const groups = [...byId.values()].filter((group) => group.numTensors > 0);
  const sum = (pick: (group: ParamGroup) => number): number => groups.reduce((total, g) => total + pick(g), 0);
  return {
    numLayers,
    rule: DECAY_RULE,
    groups,
    numTensors: sum((g) => g.numTensors),
    numParams: sum((g) => g.numParams),
    numDecayTensors: sum((g) => g.decay.length),
    numDecayParams: sum((g) => g.numDecayParams),
  };
}

/** Names of the parameters that get weight decay, for the optimizer. */
export function decayNames(groups: ParamGroups): Set<string> {
  return new Set(groups.groups.flatMap((group) => group.decay));
}

/** A fixed-width table of the groups and the rule, for logs and the CLI (nanoGPT prints the same counts). */
export function describeParamGroups(groups: ParamGroups): string {
  const row = (cells: (string | number)[]): string =>
    cells.map((cell, i) => (i === 0 ? String(cell).padEnd(12) : String(cell).padStart(12))).join('');
  const lines = [
    `rule: ${groups.rule}`,
    row(['group', 'tensors', 'params', 'decayed', 'not decayed']),
    ...groups.groups.map((g) => row([g.id, g.numTensors, g.numParams, g.numDecayParams, g.numParams - g.numDecayParams])),
    row(['total', groups.numTensors, groups.numParams, groups.numDecayParams, groups.numParams - groups.numDecayParams]),
    `decayed: ${groups.numDecayTensors} tensors, ${groups.numDecayParams} parameters; ` +
      `not decayed: ${groups.numTensors - groups.numDecayTensors} tensors, ` +
      `${groups.numParams - groups.numDecayParams} parameters`,
  ];
  return lines.join('\n');
}
