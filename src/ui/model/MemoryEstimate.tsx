import { useMemo } from 'react';
import type { ModelSummary, Task } from '../../worker/protocol';
import { formatBytes, Tooltip } from '../common';
import { MemoryError, planMemory, type MemoryPlan } from '../../train/memory';

const PARTS: { key: 'weights' | 'optimizer' | 'gradients' | 'activations'; label: string; color: string }[] = [
  { key: 'weights', label: 'Weights', color: 'var(--series-1)' },
  { key: 'optimizer', label: 'AdamW states', color: 'var(--series-4)' },
  { key: 'gradients', label: 'Gradients', color: 'var(--series-2)' },
  { key: 'activations', label: 'Activations', color: 'var(--series-3)' },
];

interface Props {
  model: ModelSummary;
  batch: number;
  seqLen: number;
  task: Task;
  /** The engine's backend: wasm's 4 GiB heap bounds a run, and the worker plans for it the same way. */
  backend: string | null;
  /** Workers computing part of each batch beside the engine: each part keeps its own activations. */
  peers: number;
  gradientCheckpointing: boolean;
}

/** A stacked bar of the estimated training memory for the current batch size and max length. */
export function MemoryEstimate({ model, batch, seqLen, task, backend, peers, gradientCheckpointing }: Props) {
  const plan = useMemo((): MemoryPlan | MemoryError => {
    try {
      return planMemory(model, batch, seqLen, task, backend ?? '', gradientCheckpointing, peers + 1);
    } catch (err) {
      if (err instanceof MemoryError) return err;
      throw err;
    }
  }, [model, batch, seqLen, task, backend, peers, gradientCheckpointing]);
  if (plan instanceof MemoryError) {
    return (
      <div className="model-memory">
        <p className="model-memory-warning" role="alert">{plan.message}</p>
      </div>
    );
  }
  const { estimate, note } = plan;
  return (
    <div className="model-memory">
      <div className="model-memory-head">
        <span>
          Estimated training memory at batch {batch} × {seqLen} tokens{estimate.gradientCheckpointing ? ', gradient checkpointing' : ''}
        </span>
        <Tooltip
          label="About the memory estimate"
          text="The peak of a training step: float32 weights, two AdamW moments per weight, one gradient per weight, and the activations the backward pass keeps (with gradient checkpointing, each layer's input and one layer at a time). Measured peaks of bert-base-shaped steps sit a few percent below it (docs/PERFORMANCE.md). Lower the batch size or max length in Training if it is too much for your GPU."
        />
        <strong className="model-memory-total">≈ {formatBytes(estimate.total)}</strong>
      </div>
      <div className="model-memory-bar" role="img" aria-label={`Memory: ${PARTS.map((p) => `${p.label} ${formatBytes(estimate[p.key])}`).join(', ')}`}>
        {PARTS.map((part) => (
          <span key={part.key} style={{ flexGrow: estimate[part.key], background: part.color }} />
        ))}
      </div>
      <ul className="model-memory-legend">
        {PARTS.map((part) => (
          <li key={part.key}>
            <span className="model-swatch" style={{ background: part.color }} aria-hidden="true" />
            {part.label} <b>{formatBytes(estimate[part.key])}</b>
          </li>
        ))}
      </ul>
      {estimate.perPeer > 0 && (
        <p className="model-memory-note">
          Each batch is computed in {peers + 1} parts at once: the bar is the engine's part.{' '}
          {peers === 1 ? 'The other CPU worker needs' : `Each of the ${peers} other CPU workers needs`} about {formatBytes(estimate.perPeer)} more
          (weights, gradients, activations of its part).
        </p>
      )}
      {note && <p className="model-memory-note">{note}</p>}
    </div>
  );
}
