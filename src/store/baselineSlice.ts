import type { BaselineStatus } from '../worker/protocol';
import type { Slice } from './types';

export interface BaselineSlice {
  /**
   * The linear baseline of the loaded data, which the engine fits beside a classification or regression run:
   * where its fit stands, or null before one starts. The metric chart and the evaluation panel read it.
   */
  baseline: BaselineStatus | null;
  receiveBaseline(status: BaselineStatus): void;
  /** Forgets the baseline (it belongs to the data it was fitted on). */
  resetBaseline(): void;
}

export const createBaselineSlice: Slice<BaselineSlice> = (set) => ({
  baseline: null,

  receiveBaseline(status) {
    set({ baseline: status });
  },

  resetBaseline() {
    set({ baseline: null });
  },
});
