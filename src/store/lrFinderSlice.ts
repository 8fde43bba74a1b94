import type { LrSweepPoint, LrSweepResult } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface LrFinder {
  running: boolean;
  /** Set by cancelFindLr until the sweep ends. */
  cancelling: boolean;
  /** The sweep's points as they stream in; the result's own once it ends. */
  points: LrSweepPoint[];
  /** The finished (or cancelled) sweep, with its suggestion; null while one runs and before the first. */
  result: LrSweepResult | null;
}

export interface LrFinderSlice {
  lrFinder: LrFinder;
  /** Sweeps learning rates with the current training arguments on a throwaway copy of the weights. */
  findLr(): Promise<void>;
  cancelFindLr(): void;
  /** Puts the sweep's suggestion into the learning-rate field. */
  applySuggestedLr(): void;
  /** Forgets the sweep (its curve belongs to the data and model it ran on). */
  resetLrFinder(): void;
  receiveLrPoint(point: LrSweepPoint): void;
}

const IDLE: LrFinder = { running: false, cancelling: false, points: [], result: null };

export const createLrFinderSlice: Slice<LrFinderSlice> = (set, get) => ({
  lrFinder: IDLE,

  async findLr() {
    const { args } = get();
    set({ lrFinder: { ...IDLE, running: true } });
    const reply = await get().runTask('Finding a learning rate', () => engine().call('findLr', { args }));
    if (reply) set({ model: reply.summary });
    set((s) => ({
      lrFinder: { running: false, cancelling: false, points: reply?.sweep.points ?? s.lrFinder.points, result: reply?.sweep ?? null },
    }));
  },

  cancelFindLr() {
    set((s) => ({ lrFinder: { ...s.lrFinder, cancelling: true } }));
    void engine().call('cancelFindLr', null).catch(() => undefined);
  },

  applySuggestedLr() {
    const suggestion = get().lrFinder.result?.suggestion;
    if (suggestion) get().setArg('learningRate', suggestion.lr);
  },

  resetLrFinder() {
    set({ lrFinder: IDLE });
  },

  receiveLrPoint(point) {
    set((s) => ({ lrFinder: { ...s.lrFinder, points: [...s.lrFinder.points, point] } }));
  },
});
