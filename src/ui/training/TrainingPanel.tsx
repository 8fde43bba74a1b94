import { useId, useMemo, useState } from 'react';
import { useStudio } from '../../store';
import { LR_RECOMMENDED, type TrainingArgs } from '../../train/defaults';
import { SCHEDULE_KINDS, type ScheduleKind } from '../../train/lr';
import { formatCount, formatPercent, Panel, Slider, Tooltip } from '../common';
import { countPackedSequences } from '../../data/packing';
import { estimateSteps, EVAL_STEPS_FIELD, FIELDS, truncatedShare } from './fields';
import { FreezeMap } from './FreezeMap';
import { LoraFields } from './LoraFields';
import { presetOf } from './freezeRows';
import { epochsAdvice } from './learningRateScale';
import { LearningRate } from './LearningRate';
import { LrFinder } from './LrFinder';
import { NumberField, type NumberFieldProps } from './NumberField';
import { headNotice } from './headNotice';
import { RunControls } from './RunControls';
import { Suggested } from './Suggested';
import { isActive, startBlocker } from './run';
import { schedulePoints } from './schedule';
import './training.css';

const SCHEDULE_NAMES: Record<ScheduleKind, string> = { linear: 'Linear decay', cosine: 'Cosine decay', constant: 'Constant' };

type BooleanArg = { [K in keyof TrainingArgs]: TrainingArgs[K] extends boolean ? K : never }[keyof TrainingArgs];

/** A checkbox bound to a boolean training argument, with its explanation. */
function ArgCheck({ name, label, help, disabled }: { name: BooleanArg; label: string; help: string; disabled: boolean }) {
  const checked = useStudio((s) => s.args[name]);
  const setArg = useStudio((s) => s.setArg);
  return (
    <label className="training-check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(event) => setArg(name, event.target.checked)} />
      {label}
      <Tooltip text={help} label={`About ${label.toLowerCase()}`} />
    </label>
  );
}

/** Hyperparameters, the freeze map and the run controls. */
export function TrainingPanel() {
  const args = useStudio((s) => s.args);
  const setArg = useStudio((s) => s.setArg);
  const model = useStudio((s) => s.model);
  const data = useStudio((s) => s.data);
  const task = useStudio((s) => s.task);
  const busy = useStudio((s) => s.busy);
  const runState = useStudio((s) => s.runState);
  const suggestion = useStudio((s) => s.suggestion);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const running = isActive(runState);

  const validity = (label: string) => (error: string | null) =>
    setInvalid((previous) => {
      if ((previous[label] ?? null) === error) return previous;
      const next = { ...previous };
      if (error === null) delete next[label];
      else next[label] = error;
      return next;
    });

  /** A NumberField bound to a training argument; arguments the engine cannot change mid-run lock while one runs. */
  const bound = (key: keyof typeof FIELDS, extra: Partial<NumberFieldProps> = {}): NumberFieldProps => {
    const spec = FIELDS[key];
    return {
      spec,
      value: args[key],
      onChange: (value) => setArg(key, value as TrainingArgs[typeof key]),
      onValidity: validity(spec.label),
      disabled: running,
      ...extra,
    };
  };

  const truncated = useMemo(() => (data ? truncatedShare(data.tokenLengths, args.maxLength) : null), [data, args.maxLength]);
  const blocker = startBlocker({ hasModel: model !== null, hasData: data !== null, busy, invalid: Object.keys(invalid)[0] ?? null });
  const effectiveBatch = args.batchSize * args.gradAccumSteps;
  // A packed masked-LM run trains on sequences of whole lines, far fewer than the rows: counted as the worker packs.
  const packed = data?.packing && args.packSequences ? data.packing : null;
  const numExamples = useMemo(
    () => (packed ? countPackedSequences(packed.lengths, packed.documents, args.maxLength) : (data?.numTrain ?? 0)),
    [packed, data, args.maxLength],
  );
  const totalSteps = data ? estimateSteps(numExamples, args) : null;
  const notice = model && data ? headNotice(task, model) : null;

  return (
    <Panel title="Training" subtitle="Hyperparameters, which layers train, and the run.">
      <TaskLine />
      {notice && !running && (
        <p className="training-notice" role="note">
          {notice}
        </p>
      )}
      <RunControls blocker={blocker} />

      <section className="training-section" aria-label="Optimisation">
        <h3 className="training-heading">Optimisation</h3>
        <LearningRate
          value={args.learningRate}
          onChange={(value) => setArg('learningRate', value)}
          onValidity={validity(FIELDS.learningRate.label)}
          headOnly={presetOf(args.freeze)?.kind === 'head'}
          band={suggestion?.lrBand ?? LR_RECOMMENDED}
          suggested={<Suggested arg="learningRate" />}
        />
        <LrFinder blocker={running ? 'A run is in progress.' : blocker} />
        <div className="training-grid">
          <NumberField
            {...bound('epochs', {
              hint: (
                <>
                  {epochsAdvice(args.epochs, suggestion?.epochBand)}
                  <Suggested arg="epochs" />
                </>
              ),
              warn: epochsAdvice(args.epochs, suggestion?.epochBand) !== null,
            })}
          />
          <NumberField {...bound('batchSize')} />
          <NumberField {...bound('gradAccumSteps', { hint: `Effective batch ${effectiveBatch}.` })} />
          <NumberField
            {...bound('maxLength', {
              limit: model ? { max: model.maxPositions, why: `the model has ${model.maxPositions} positions` } : undefined,
              hint: truncationNote(truncated, args.maxLength),
              warn: truncated !== null && truncated > 0.1,
            })}
          />
          <NumberField {...bound('warmupRatio', { hint: <Suggested arg="warmupRatio" /> })} />
          <NumberField {...bound('weightDecay')} />
          <NumberField {...bound('maxGradNorm')} />
          <NumberField {...bound('seed')} />
        </div>
        <ArgCheck
          name="gradientCheckpointing"
          label="Gradient checkpointing"
          help="Keep only each layer's input and recompute the layer in the backward pass: activation memory drops to a fraction for about a third more time per step (bert-base at batch 8 × 128 on wasm: a measured peak of 2.0 GB; without it the run does not fit wasm's 4 GB). Turned on by itself on wasm when a run would not fit its 4 GB otherwise; the Model panel's estimate shows which."
          disabled={running}
        />
        <ScheduleField value={args.schedule} warmupRatio={args.warmupRatio} onChange={(value) => setArg('schedule', value)} disabled={running} />
        {totalSteps !== null && (
          <p className="training-muted">
            {args.maxSteps === null ? '≈ ' : ''}
            {formatCount(totalSteps)} optimizer steps over {formatCount(numExamples)} {numExamples < data!.numTrain ? `sequences packed from ${formatCount(data!.numTrain)} training rows` : 'training examples'}.
          </p>
        )}
      </section>

      <section className="training-section" aria-label="Evaluation and stopping">
        <h3 className="training-heading">Evaluation and stopping</h3>
        <div className="training-grid">
          <EvalEvery value={args.evalEvery} onChange={(value) => setArg('evalEvery', value)} onValidity={validity(EVAL_STEPS_FIELD.label)} disabled={running} />
          <NumberField {...bound('earlyStoppingPatience')} />
        </div>
      </section>

      {task === 'mlm' && (
        <section className="training-section" aria-label="Masking">
          <h3 className="training-heading">Masking</h3>
          <div className="training-grid">
            <NumberField {...bound('mlmProbability')} />
            <ArgCheck
              name="wholeWordMasking"
              label="Whole-word masking"
              help="Mask every word piece of a chosen word together, so the model cannot guess a piece from its neighbours."
              disabled={running}
            />
            <ArgCheck
              name="packSequences"
              label="Pack lines into full sequences"
              help="Join consecutive lines of a document (blank lines separate documents in a .txt file; each table row stands alone) into sequences of up to the max length, and continue a long line in the next sequence instead of cutting it off. Off: one example per row, truncated."
              disabled={running}
            />
          </div>
        </section>
      )}

      <section className="training-section" aria-label="Layers">
        <h3 className="training-heading">Layers</h3>
        <div className="training-grid two">
          <Slider
            label="Layer-wise LR decay"
            value={args.llrd}
            min={0.5}
            max={1}
            step={0.01}
            onChange={(value) => setArg('llrd', value)}
            format={(value) => value.toFixed(2)}
            help="Each layer below the top gets this factor more of decay on its learning rate (1 = off). 0.8–0.95 is typical: lower layers hold general knowledge and should change less."
          />
          <Slider
            label="Head LR multiplier"
            value={args.headLrMultiplier}
            min={0.1}
            max={100}
            step={10}
            scale="log"
            onChange={(value) => setArg('headLrMultiplier', value)}
            format={(value) => `×${value}`}
            help="Extra factor on the head's learning rate: a freshly initialised head often learns faster with a larger rate."
          />
        </div>
        <LoraFields bound={bound} disabled={running} />
        {args.loraRank === 0 && (
          <>
            <FreezeMap />
            <Suggested arg="freeze" />
          </>
        )}
      </section>

      <details className="training-advanced">
        <summary>Advanced</summary>
        <div className="training-grid">
          <NumberField {...bound('maxSteps')} />
          <NumberField {...bound('earlyStoppingMinDelta')} />
          <NumberField {...bound('adamBeta1')} />
          <NumberField {...bound('adamBeta2')} />
          <NumberField {...bound('adamEpsilon')} />
        </div>
      </details>
    </Panel>
  );
}

function truncationNote(share: number | null, maxLength: number): string | undefined {
  if (share === null) return undefined;
  if (share === 0) return `Every row fits in ${maxLength} tokens.`;
  return `${formatPercent(share)} of rows are longer and get truncated.`;
}

const TASK_NAMES = { classify: 'Text classification', mlm: 'Masked language modelling (domain adaptation)', ner: 'Token classification (NER)', qa: 'Question answering (extractive)' } as const;

function TaskLine() {
  const task = useStudio((s) => s.task);
  const data = useStudio((s) => s.data);
  let detail = 'no data loaded yet';
  if (data?.regression) detail = 'regression on a numeric label';
  else if (data?.labels) detail = `${data.labels.length} labels`;
  else if (data) detail = `${formatCount(data.numTrain)} training rows`;
  return (
    <p className="training-task">
      <span className="training-muted">Task</span> <strong>{TASK_NAMES[task]}</strong> <span className="training-muted">· {detail} · set in the Data panel</span>
    </p>
  );
}

function ScheduleField({ value, warmupRatio, onChange, disabled }: { value: ScheduleKind; warmupRatio: number; onChange(value: ScheduleKind): void; disabled: boolean }) {
  const id = useId();
  const points = useMemo(() => schedulePoints({ kind: value, warmupRatio }, 60, 120, 30), [value, warmupRatio]);
  return (
    <div className="training-schedule">
      <label htmlFor={id}>Schedule</label>
      <select id={id} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as ScheduleKind)}>
        {SCHEDULE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {SCHEDULE_NAMES[kind]}
          </option>
        ))}
      </select>
      <svg className="training-schedule-plot" viewBox="-1 -1 122 32" role="img" aria-label={`${SCHEDULE_NAMES[value]} after ${formatPercent(warmupRatio, 0)} warmup`}>
        <polyline points={points} />
      </svg>
    </div>
  );
}

function EvalEvery({
  value,
  onChange,
  onValidity,
  disabled,
}: {
  value: number | 'epoch';
  onChange(value: number | 'epoch'): void;
  onValidity(error: string | null): void;
  disabled: boolean;
}) {
  const id = useId();
  const [lastSteps, setLastSteps] = useState(value === 'epoch' ? 100 : value);
  return (
    <div className="training-field">
      <div className="training-field-head">
        <label htmlFor={id}>Evaluate every</label>
      </div>
      <select
        id={id}
        value={value === 'epoch' ? 'epoch' : 'steps'}
        disabled={disabled}
        onChange={(event) => {
          onValidity(null);
          onChange(event.target.value === 'epoch' ? 'epoch' : lastSteps);
        }}
      >
        <option value="epoch">Epoch</option>
        <option value="steps">N steps</option>
      </select>
      {value !== 'epoch' && (
        <NumberField
          spec={EVAL_STEPS_FIELD}
          value={value}
          disabled={disabled}
          onValidity={onValidity}
          onChange={(steps) => {
            if (steps === null) return;
            setLastSteps(steps);
            onChange(steps);
          }}
        />
      )}
    </div>
  );
}
