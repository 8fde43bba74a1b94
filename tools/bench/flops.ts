// The arithmetic of a BERT training step, counted from its shapes: what step GFLOP/s and efficiency divide by.

export interface EncoderShape {
  layers: number;
  hidden: number;
  intermediate: number;
}

/**
 * Forward FLOPs of one encoder layer per token (a multiply-add is 2): the Q, K, V and output projections (4·h²)
 * and the feed-forward pair (2·h·intermediate) as matMuls, and attention's scores and context, each seq·h per
 * token (4·seq·h). Softmax, LayerNorm, GELU and the bias adds are a few FLOPs per element and left out.
 */
export function layerForwardFlopsPerToken(hidden: number, intermediate: number, seqLen: number): number {
  return 2 * (4 * hidden * hidden + 2 * hidden * intermediate) + 4 * seqLen * hidden;
}

/** One forward pass of the encoder's layers over batch × seqLen tokens. */
export function forwardFlops(shape: EncoderShape, batch: number, seqLen: number): number {
  return shape.layers * batch * seqLen * layerForwardFlopsPerToken(shape.hidden, shape.intermediate, seqLen);
}

/**
 * One training step: the forward pass, the backward pass at twice its cost (gradients for the inputs and for the
 * weights), and with gradient checkpointing the forward pass once more, since each layer is recomputed: the work
 * done, not the model's FLOPs. Encoder layers only: the embeddings are a lookup, the pooler and the classifier
 * work on one row per example (under 1% at seq 128), and the embedding gradient's segment matMul
 * (src/model/embeddingLookup.ts) is how the studio computes a scatter, not part of the model.
 */
export function trainStepFlops(shape: EncoderShape, batch: number, seqLen: number, gradientCheckpointing: boolean): number {
  return (gradientCheckpointing ? 4 : 3) * forwardFlops(shape, batch, seqLen);
}
