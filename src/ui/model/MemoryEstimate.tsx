import { useMemo } from 'react';
import type { ModelSummary, Task } from '../../worker/protocol';
import { formatBytes, Tooltip } from '../common';
import { estimateMemory, type MemoryEstimate as Estimate } from '../../train/memory';

const PARTS: { key: keyof Omit<Estimate, 'total'>; label: string; color: string }[] = [
  { key: 'weights', label: 'Weights', color: 'var(--series-1)' },
  { key: 'optimizer', label: 'AdamW states', color: 'var(--series-4)' },
  { key: 'gradients', label: 'Gradients', color: 'var(--series-2)' },
  { key: 'activations', label: 'Activations', color: 'var(--series-3)' },
];

/** A stacked bar of the estimated training memory for the current batch size and max length. */
export function MemoryEstimate({ model, batch, seqLen, task }: { model: ModelSummary; batch: number; seqLen: number; task: Task }) {
  const estimate = useMemo(() => estimateMemory(model, batch, seqLen, task), [model, batch, seqLen, task]);
  return (
    <div className="model-memory">
      <div className="model-memory-head">
        <span>
          Estimated training memory at batch {batch} × {seqLen} tokens
        </span>
        <Tooltip
          label="About the memory estimate"
          text="float32 weights, two AdamW moments per weight, one gradient per weight, and the activations the backward pass keeps. tfjs keeps freed buffers in a pool, so actual use is higher. Lower the batch size or max length in Training if it is too much for your GPU."
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
    </div>
  );
}
