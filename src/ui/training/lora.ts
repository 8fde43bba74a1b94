/**
 * What a LoRA run trains, worked out on the page from the model's shape before anything runs: the adapters'
 * parameters (r·(in + out) per adapted Linear layer), the head's, and the optimizer state and gradients that
 * training only those instead of every weight saves (AdamW keeps two float32 moments per trained weight, and each
 * has a float32 gradient: 12 bytes).
 */
import type { LoraTarget, ModelSummary } from '../../worker/protocol';

/** [in, out] of the Linear layers each target adapts, in one encoder layer. */
function targetShapes(target: LoraTarget, hidden: number, inner: number): [number, number][] {
  if (target === 'ffn') return [[hidden, inner], [inner, hidden]];
  return [[hidden, hidden]];
}

export interface LoraEstimate {
  adapters: number;
  /** Adapters plus the task head (the pooler and classifier, which train beside them). */
  trainable: number;
  /** Every weight of the model, adapters aside. */
  total: number;
  /** Gradients and AdamW moments not kept for the frozen weights. */
  savedBytes: number;
}

const BYTES_PER_TRAINED_WEIGHT = 12;

export function loraEstimate(
  model: Pick<ModelSummary, 'numLayerGroups' | 'hiddenSize' | 'intermediateSize' | 'numParams'>,
  rank: number,
  targets: readonly LoraTarget[],
  numLabels: number,
): LoraEstimate {
  // ALBERT's layers share one set of weights, and so one set of adapters.
  const { numLayerGroups, hiddenSize: hidden, intermediateSize: inner } = model;
  const perLayer = targets.flatMap((target) => targetShapes(target, hidden, inner)).reduce((n, [inp, out]) => n + rank * (inp + out), 0);
  const adapters = perLayer * numLayerGroups;
  const head = hidden * hidden + hidden + numLabels * (hidden + 1);
  const trainable = adapters + head;
  return { adapters, trainable, total: model.numParams, savedBytes: Math.max(0, model.numParams - trainable) * BYTES_PER_TRAINED_WEIGHT };
}
