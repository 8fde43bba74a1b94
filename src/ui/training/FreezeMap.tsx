import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { FREEZE_SPEC_HELP } from '../../train/freeze';
import { formatCount, formatPercent, Tooltip } from '../common';
import { isActive } from './run';
import { checkSpec, freezeRows, presetOf, presetSpec, trainableCount, type FreezeRow } from './freezeRows';

/**
 * The model as a vertical stack (head on top, embeddings at the bottom) with a switch per group, its size and
 * its learning-rate multiplier; presets and the `--freeze` spec (the suggested spec is marked under it).
 */
export function FreezeMap() {
  const model = useStudio((s) => s.model);
  const groups = useStudio((s) => s.groups);
  const task = useStudio((s) => s.task);
  const data = useStudio((s) => s.data);
  const spec = useStudio((s) => s.args.freeze);
  const llrd = useStudio((s) => s.args.llrd);
  const headLrMultiplier = useStudio((s) => s.args.headLrMultiplier);
  // What the run froze, while there is a run: after it ends the switches alone say what the next one will do.
  const liveFrozen = useStudio((s) => (isActive(s.runState) ? (s.steps.at(-1)?.frozen ?? null) : null));
  const map = useStudio(useShallow((s) => s.freezeMap()));
  const toggleFreeze = useStudio((s) => s.toggleFreeze);
  const setFreezeSpec = useStudio((s) => s.setFreezeSpec);

  const numLabels = data?.labels?.length ?? (data?.regression ? 1 : null);
  const rows = useMemo(
    () =>
      model && map
        ? freezeRows({ numLayers: model.numLayerGroups, hiddenSize: model.hiddenSize, vocabSize: model.vocabSize, task, groups, map, llrd, headLrMultiplier, numLabels, liveFrozen })
        : null,
    [model, groups, task, map, llrd, headLrMultiplier, numLabels, liveFrozen],
  );

  if (!model || !rows) return <p className="training-muted">Load a model to choose which layers train.</p>;
  const { trainable, total } = trainableCount(rows);
  const largest = Math.max(...rows.map((row) => row.numParams ?? 0), 1);
  return (
    <div className="training-freeze">
      <Presets spec={spec} numLayers={model.numLayerGroups} onSpec={setFreezeSpec} />
      <ol className="training-stack" aria-label="Freeze map">
        {rows.map((row) => (
          <StackRow key={row.id} row={row} largest={largest} onToggle={() => toggleFreeze(row.id)} />
        ))}
      </ol>
      <p className="training-muted">
        {liveFrozen && <span className="training-legend-live">Badges show what the run froze at its latest step. </span>}
        Training {formatCount(trainable)} of {formatCount(total)} parameters ({formatPercent(total > 0 ? trainable / total : 0)}).
      </p>
    </div>
  );
}

function StackRow({ row, largest, onToggle }: { row: FreezeRow; largest: number; onToggle(): void }) {
  const trains = !row.frozen;
  return (
    <li className={trains ? 'training-stack-row trains' : 'training-stack-row frozen'}>
      <label className="training-switch">
        <input type="checkbox" role="switch" checked={trains} disabled={row.locked} onChange={onToggle} aria-label={`Train ${row.label}`} />
        <span className="training-stack-name">{row.label}</span>
      </label>
      <span className="training-stack-bar" aria-hidden="true">
        <span style={{ width: `${((row.numParams ?? 0) / largest) * 100}%` }} />
      </span>
      <span className="training-stack-params" title="Parameters">
        {row.numParams === null ? '?' : formatCount(row.numParams)}
        {row.isNew && <span className="training-badge new" title="Not in the current weights: added when training starts"> new</span>}
      </span>
      <span className="training-stack-lr" title="Learning rate relative to the base rate">
        ×{Number(row.lrMultiplier.toPrecision(2))}
      </span>
      {row.frozenNow !== null && (
        <span className={row.frozenNow ? 'training-badge now-frozen' : 'training-badge now-training'}>{row.frozenNow ? 'frozen now' : 'training now'}</span>
      )}
    </li>
  );
}

/**
 * One button per preset. The top-k and gradual settings show the current spec's values while that preset is
 * active (editing them re-applies it); otherwise they hold what the button will apply.
 */
function Presets({ spec, numLayers, onSpec }: { spec: string; numLayers: number; onSpec(spec: string): void }) {
  const preset = presetOf(spec);
  const active = preset?.kind ?? null;
  const [pendingK, setPendingK] = useState(Math.ceil(numLayers / 2));
  const [pendingEvery, setPendingEvery] = useState<number | 'epoch'>('epoch');
  const [lastSteps, setLastSteps] = useState(100);
  const kId = useId();
  const everyId = useId();
  const k = preset?.kind === 'top' ? preset.k : pendingK;
  const every = preset?.kind === 'gradual' ? preset.every : pendingEvery;
  const topK = Math.min(Math.max(1, k), numLayers);
  const setK = (next: number): void => {
    if (preset?.kind === 'top' && Number.isInteger(next) && next >= 1 && next <= numLayers) onSpec(presetSpec({ kind: 'top', k: next }));
    else setPendingK(next);
  };
  const setEvery = (next: number | 'epoch'): void => {
    if (typeof next === 'number') setLastSteps(next);
    if (preset?.kind === 'gradual' && (next === 'epoch' || (Number.isInteger(next) && next >= 1))) onSpec(presetSpec({ kind: 'gradual', every: next }));
    else setPendingEvery(next);
  };
  return (
    <div className="training-presets" role="group" aria-label="Freeze presets">
      <button type="button" className="small" aria-pressed={active === 'all'} onClick={() => onSpec(presetSpec({ kind: 'all' }))}>
        All layers
      </button>
      <button type="button" className="small" aria-pressed={active === 'head'} onClick={() => onSpec(presetSpec({ kind: 'head' }))}>
        Head only
      </button>
      <span className="training-preset-combo">
        <button type="button" className="small" aria-pressed={active === 'top'} onClick={() => onSpec(presetSpec({ kind: 'top', k: topK }))}>
          Top-k + head
        </button>
        <label htmlFor={kId} className="visually-hidden">
          Layers to train (k)
        </label>
        <input id={kId} type="number" min={1} max={numLayers} value={k} onChange={(event) => setK(Number(event.target.value))} />
      </span>
      <span className="training-preset-combo">
        <button
          type="button"
          className="small"
          aria-pressed={active === 'gradual'}
          onClick={() => onSpec(presetSpec({ kind: 'gradual', every: every === 'epoch' ? 'epoch' : Math.max(1, Math.round(every)) }))}
        >
          Gradual unfreezing
        </button>
        <label htmlFor={everyId} className="visually-hidden">
          Unfreeze a layer every
        </label>
        <select id={everyId} value={every === 'epoch' ? 'epoch' : 'steps'} onChange={(event) => setEvery(event.target.value === 'epoch' ? 'epoch' : lastSteps)}>
          <option value="epoch">per epoch</option>
          <option value="steps">every N steps</option>
        </select>
        {every !== 'epoch' && (
          <input type="number" min={1} value={every} aria-label="Steps per unfreeze" onChange={(event) => setEvery(Number(event.target.value))} />
        )}
      </span>
      <SpecInput spec={spec} numLayers={numLayers} onSpec={onSpec} />
    </div>
  );
}

/** The `--freeze` spec as text, for anything the presets and switches do not cover. */
function SpecInput({ spec, numLayers, onSpec }: { spec: string; numLayers: number; onSpec(spec: string): void }) {
  const id = useId();
  const noteId = useId();
  const [draft, setDraft] = useState({ text: spec, base: spec });
  const text = draft.base === spec ? draft.text : spec;
  const checked = checkSpec(text, numLayers);
  const commit = (): void => {
    if (checked.ok && text !== spec) onSpec(text);
  };
  return (
    <form
      className="training-spec"
      onSubmit={(event) => {
        event.preventDefault();
        commit();
      }}
    >
      <label htmlFor={id}>Freeze spec</label>
      <Tooltip text={`Accepted: ${FREEZE_SPEC_HELP}.`} label="About the freeze spec" />
      <input
        id={id}
        value={text}
        spellCheck={false}
        aria-invalid={!checked.ok}
        aria-describedby={noteId}
        onChange={(event) => setDraft({ text: event.target.value, base: spec })}
        onBlur={commit}
      />
      <span id={noteId} className={checked.ok ? 'training-note' : 'training-note warn'}>
        {checked.ok ? checked.summary : checked.error}
        {checked.ok && text !== spec && ' Press Enter to apply.'}
      </span>
    </form>
  );
}

