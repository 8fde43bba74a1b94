import { DEFAULT_TRAINING_ARGS, type TrainingArgs } from '../train/defaults';
import { formatFreezeSpec, freezeScheduleFor, parseFreezeSpec, type FreezeMap } from '../train/freeze';
import type { GroupId } from '../train/groups';
import { SUGGESTED_KEYS, suggestTrainingArgs, type SuggestedKey, type Suggestion } from '../train/suggest';
import type { EvalMetrics, StepMetrics, TrainState } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

/** Settings the engine applies to a running run from its next optimizer step. */
const LIVE_KEYS = ['learningRate', 'llrd', 'headLrMultiplier'] as const;

export interface TrainingSlice {
  args: TrainingArgs;
  runState: TrainState;
  runMessage: string | null;
  steps: StepMetrics[];
  /** performance.now() when each step arrived (parallel to `steps`), for the ETA. */
  stepTimes: number[];
  evals: EvalMetrics[];
  /** The newest evaluation, from the run or from "Evaluate now", for the evaluation panel. */
  latestEval: EvalMetrics | null;
  /** performance.now() when the run started, for the ETA. */
  startedAt: number | null;
  /** Arguments fitted to the loaded model and data; null until both are loaded. */
  suggestion: Suggestion | null;
  /** Suggested arguments the user has set by hand: the suggestion no longer overwrites them. */
  chosen: SuggestedKey[];
  /** Recomputes the suggestion (model, data or batch size changed) and applies it to the arguments not chosen. */
  refreshSuggestion(): void;
  /** Gives `key` back to the suggestion. */
  restoreSuggested(key: SuggestedKey): void;
  setArg<K extends keyof TrainingArgs>(key: K, value: TrainingArgs[K]): void;
  /** The freeze map the current spec gives (gradual: its starting map), or null before a model is loaded. */
  freezeMap(): FreezeMap | null;
  toggleFreeze(group: GroupId): void;
  setFreezeSpec(spec: string): void;
  resetFreeze(): void;
  /** `from`: continue from the current weights (the default) or restart from the loaded checkpoint's. */
  start(from?: 'current' | 'pretrained'): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  /** Scores the current weights on the validation set (not while a run is active). */
  evaluateNow(): Promise<void>;
  resetRun(): void;
  receiveStep(metrics: StepMetrics): void;
  receiveEval(metrics: EvalMetrics): void;
  receiveState(state: TrainState, message?: string): void;
}

/** The map with exactly the `frozen` groups frozen, as a run's latest step reports them. */
function runningMap(shape: FreezeMap, frozen: readonly string[]): FreezeMap {
  return Object.fromEntries(Object.keys(shape).map((id) => [id, frozen.includes(id)])) as FreezeMap;
}

function mapToSpec(map: FreezeMap): string {
  const frozen = (Object.keys(map) as GroupId[]).filter((id) => map[id] && id !== 'head');
  if (frozen.length === 0) return 'none';
  if (frozen.length === Object.keys(map).length - 1) return 'head';
  return formatFreezeSpec({ kind: 'groups', frozen });
}

const isSuggested = (key: string): key is SuggestedKey => (SUGGESTED_KEYS as readonly string[]).includes(key);

export const createTrainingSlice: Slice<TrainingSlice> = (set, get) => {
  const choose = (key: SuggestedKey) => {
    if (!get().chosen.includes(key)) set((s) => ({ chosen: [...s.chosen, key] }));
  };
  const live = (call: () => Promise<unknown>) => {
    if (get().runState === 'training' || get().runState === 'paused') void get().runTask('Applying', call);
  };
  const control = (command: 'pause' | 'resume' | 'stop') => async () => {
    await get().runTask(command, () => engine().call(command, null));
  };
  return {
    args: { ...DEFAULT_TRAINING_ARGS },
    runState: 'idle',
    runMessage: null,
    steps: [],
    stepTimes: [],
    evals: [],
    latestEval: null,
    startedAt: null,
    suggestion: null,
    chosen: [],

    refreshSuggestion() {
      const { model, data, args, chosen } = get();
      if (!model || !data) {
        if (get().suggestion !== null) set({ suggestion: null });
        return;
      }
      const suggestion = suggestTrainingArgs(model, { task: data.task, numTrain: data.numTrain }, args.batchSize);
      const applied = Object.fromEntries(SUGGESTED_KEYS.filter((key) => !chosen.includes(key)).map((key) => [key, suggestion.args[key]]));
      set((s) => ({ suggestion, args: { ...s.args, ...applied } }));
    },

    restoreSuggested(key) {
      set((s) => ({ chosen: s.chosen.filter((k) => k !== key) }));
      get().refreshSuggestion();
    },

    setArg(key, value) {
      if (isSuggested(key)) choose(key);
      set((s) => ({ args: { ...s.args, [key]: value } }));
      if ((LIVE_KEYS as readonly string[]).includes(key)) live(() => engine().call('setLive', { [key]: value }));
    },

    freezeMap() {
      const model = get().model;
      if (!model) return null;
      try {
        const schedule = freezeScheduleFor(parseFreezeSpec(get().args.freeze), model.numLayerGroups);
        return schedule.kind === 'fixed' ? schedule.map : schedule.start;
      } catch {
        return null;
      }
    },

    toggleFreeze(group) {
      // During a run, toggles start from the groups frozen at its latest step (a gradual schedule moves them).
      const base = get().freezeMap();
      if (!base || group === 'head') return;
      const running = get().runState === 'training' || get().runState === 'paused' || get().runState === 'stopping';
      const latest = running ? get().steps.at(-1) : undefined;
      const map = latest ? runningMap(base, latest.frozen) : base;
      const spec = mapToSpec({ ...map, [group]: !map[group] });
      choose('freeze');
      set((s) => ({ args: { ...s.args, freeze: spec } }));
      live(() => engine().call('setLive', { freeze: spec }));
    },

    setFreezeSpec(spec) {
      choose('freeze');
      set((s) => ({ args: { ...s.args, freeze: spec } }));
      if (get().freezeMap()) live(() => engine().call('setLive', { freeze: spec }));
    },

    resetFreeze() {
      get().restoreSuggested('freeze');
      if (!get().suggestion) set((s) => ({ args: { ...s.args, freeze: DEFAULT_TRAINING_ARGS.freeze } }));
    },

    async start(from = 'current') {
      const { args } = get();
      set({ steps: [], stepTimes: [], evals: [], latestEval: null, runMessage: null, startedAt: performance.now() });
      const started = await get().runTask('Starting training', () => engine().call('start', { args, from }));
      if (started) set({ model: started.summary, groups: started.groups });
    },
    pause: control('pause'),
    resume: control('resume'),
    stop: control('stop'),

    async evaluateNow() {
      const metrics = await get().runTask('Evaluating', () => engine().call('evaluate', null));
      if (metrics) set({ latestEval: metrics });
    },

    resetRun() {
      set({ runState: 'idle', runMessage: null, steps: [], stepTimes: [], evals: [], latestEval: null, startedAt: null });
    },

    receiveStep(metrics) {
      set((s) => ({ steps: [...s.steps, metrics], stepTimes: [...s.stepTimes, performance.now()] }));
    },
    receiveEval(metrics) {
      set((s) => ({ evals: [...s.evals, metrics], latestEval: metrics }));
    },
    receiveState(state, message) {
      set({ runState: state, runMessage: message ?? null });
      if (state === 'failed' && message) set({ error: message });
    },
  };
};
