import { SUGGESTED_KEYS } from '../train/suggest';
import type { OpenedRun, RunInfo, TrainState } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface RunsSlice {
  /** Saved runs, newest first (src/train/runStore.ts), and where they are kept. */
  runs: RunInfo[];
  runStorage: 'opfs' | 'indexeddb' | 'memory' | null;
  /** The saved record of the run on screen (in progress, finished, or reopened). */
  currentRun: RunInfo | null;
  /** Whether the weights on screen came from training and have not been downloaded since (closing would ask). */
  unexported: boolean;
  /** Runs the user chose not to resume this session (the banner stays away for them). */
  dismissedRuns: string[];
  refreshRuns(): Promise<void>;
  deleteRun(id: string): Promise<void>;
  openRun(id: string): Promise<void>;
  resumeRun(id: string): Promise<void>;
  dismissRun(id: string): void;
  receiveRun(run: RunInfo): void;
  markExported(): void;
  /**
   * Whether `action` may replace the weights on screen: yes when they were downloaded (or never trained), else the
   * user is asked. They stay in Recent runs either way; the question is whether the user meant to leave them.
   */
  confirmDiscard(action: string): boolean;
}

/** A run the page closed on while it trained: the one the resume banner offers. */
export function interruptedRun(runs: readonly RunInfo[], current: RunInfo | null, dismissed: readonly string[]): RunInfo | null {
  return runs.find((run) => run.resumable && (run.status === 'training' || run.status === 'paused') && run.id !== current?.id && !dismissed.includes(run.id)) ?? null;
}

/** What the training panel shows for a reopened run that is not continuing. */
function stateOf(run: RunInfo): TrainState {
  return run.status === 'failed' ? 'failed' : 'done';
}

export const createRunsSlice: Slice<RunsSlice> = (set, get) => {
  /** Puts a reopened run on screen: its model, data, settings and history. */
  const show = (opened: OpenedRun, resumed: boolean) => {
    const { dataSpec, history } = opened;
    set({
      modelSpec: null,
      model: opened.summary,
      groups: opened.groups,
      task: dataSpec.task,
      dataFiles: { train: dataSpec.train, validation: dataSpec.validation },
      columnChoice: dataSpec.columns ?? {},
      regression: dataSpec.regression ?? false,
      excludedRows: dataSpec.excludeRows ?? [],
      data: opened.data,
      args: opened.args,
      // The run's own settings stay as they were: the suggestion does not overwrite them.
      chosen: [...SUGGESTED_KEYS],
      steps: history.steps,
      stepTimes: history.steps.map(() => performance.now()),
      evals: history.evals,
      latestEval: history.evals.at(-1) ?? null,
      startedAt: performance.now(),
      currentRun: opened.run,
      unexported: false,
      runState: resumed ? 'training' : stateOf(opened.run),
      runMessage: resumed
        ? `Resumed from the checkpoint at step ${opened.run.checkpointStep}.`
        : `Opened the saved run of ${opened.run.dataFile} (step ${opened.run.step} of ${opened.run.totalSteps}).`,
    });
    get().resetLrFinder();
    get().resetBaseline();
    get().resetInspect();
  };
  return {
    runs: [],
    runStorage: null,
    currentRun: null,
    unexported: false,
    dismissedRuns: [],

    async refreshRuns() {
      try {
        const { runs, storage } = await engine().call('listRuns', null);
        set({ runs, runStorage: storage });
      } catch (err) {
        set((s) => ({ log: [...s.log.slice(-49), `Saved runs could not be listed: ${(err as Error).message}`] }));
      }
    },

    async deleteRun(id) {
      await get().runTask('Deleting the run', () => engine().call('deleteRun', { id }));
      if (get().currentRun?.id === id) set({ currentRun: null });
      await get().refreshRuns();
    },

    async openRun(id) {
      const opened = await get().runTask('Opening the saved run', () => engine().call('openRun', { id }));
      if (opened) show(opened, false);
    },

    async resumeRun(id) {
      const opened = await get().runTask('Resuming the saved run', () => engine().call('resumeRun', { id }));
      if (opened) show(opened, true);
    },

    dismissRun(id) {
      set((s) => ({ dismissedRuns: [...s.dismissedRuns, id] }));
    },

    receiveRun(run) {
      set((s) => ({ currentRun: run, unexported: s.unexported || run.step > 0, runs: [run, ...s.runs.filter((r) => r.id !== run.id)] }));
    },

    markExported() {
      set({ unexported: false });
    },

    confirmDiscard(action) {
      if (!get().unexported) return true;
      const ok = window.confirm(`${action} replaces the fine-tuned model you have not downloaded. It stays under Recent runs. Continue?`);
      if (ok) set({ unexported: false });
      return ok;
    },
  };
};
