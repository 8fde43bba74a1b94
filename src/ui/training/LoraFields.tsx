import { useStudio } from '../../store';
import { LORA_TARGETS, type LoraTarget } from '../../worker/protocol';
import { formatBytes, formatCount, Tooltip } from '../common';
import { loraEstimate } from './lora';
import { NumberField, type NumberFieldProps } from './NumberField';

const TARGET_NAMES: Record<LoraTarget, string> = {
  query: 'Query',
  key: 'Key',
  value: 'Value',
  'attention.output': 'Attention output',
  ffn: 'Feed-forward',
};

/** A rank chosen when LoRA is switched on: PEFT's usual r. */
const DEFAULT_RANK = 8;

/**
 * LoRA: on, the encoder's weights stay frozen and only low-rank adapters on the chosen layers and the task head
 * train; the counts show what that trains and saves before the run starts.
 */
export function LoraFields({ bound, disabled }: { bound: (key: 'loraRank' | 'loraAlpha' | 'loraDropout') => NumberFieldProps; disabled: boolean }) {
  const args = useStudio((s) => s.args);
  const setArg = useStudio((s) => s.setArg);
  const model = useStudio((s) => s.model);
  const task = useStudio((s) => s.task);
  const numLabels = useStudio((s) => (s.data?.regression ? 1 : (s.data?.labels?.length ?? 2)));
  const on = args.loraRank > 0;
  const targets = LORA_TARGETS.filter((target) => args.loraTargets.split(',').includes(target));
  const mlm = task === 'mlm';

  const toggleTarget = (target: LoraTarget, checked: boolean): void => {
    const next = LORA_TARGETS.filter((t) => (t === target ? checked : targets.includes(t)));
    if (next.length > 0) setArg('loraTargets', next.join(','));
  };
  const estimate = model && on ? loraEstimate(model, args.loraRank, targets, numLabels) : null;

  return (
    <div className="training-lora" role="group" aria-label="LoRA">
      <label className="training-check">
        <input
          type="checkbox"
          checked={on}
          disabled={disabled || (mlm && !on)}
          onChange={(event) => setArg('loraRank', event.target.checked ? DEFAULT_RANK : 0)}
        />
        LoRA adapters
        <Tooltip
          text="Low-rank adapters (Hu et al. 2021): the model’s own weights stay frozen; small matrices beside the chosen layers and the task head train. Far fewer weights train, so memory drops and the adapter exports alone for PEFT."
          label="About LoRA adapters"
        />
      </label>
      {mlm && <p className="training-muted">LoRA trains adapters with a new task head: it is for classification and token classification.</p>}
      {on && (
        <>
          <div className="training-grid">
            <NumberField {...bound('loraRank')} />
            <NumberField {...bound('loraAlpha')} />
            <NumberField {...bound('loraDropout')} />
          </div>
          <fieldset className="training-lora-targets" disabled={disabled}>
            <legend>Adapt</legend>
            {LORA_TARGETS.map((target) => (
              <label key={target} className="training-check">
                <input type="checkbox" checked={targets.includes(target)} onChange={(event) => toggleTarget(target, event.target.checked)} />
                {TARGET_NAMES[target]}
              </label>
            ))}
          </fieldset>
          {estimate && (
            <p className="training-muted" aria-label="LoRA parameters">
              Trains {formatCount(estimate.trainable)} of {formatCount(estimate.total)} parameters ({((100 * estimate.trainable) / estimate.total).toFixed(2)}%:
              adapters {formatCount(estimate.adapters)}, the rest the head), saving about {formatBytes(estimate.savedBytes)} of gradients and optimizer
              state. The freeze map does not apply: the encoder stays frozen.
            </p>
          )}
        </>
      )}
    </div>
  );
}
