// One store of slices (zustand's slices pattern): actions talk to the engine worker, components render state.
import { create } from 'zustand';
import { createBaselineSlice } from './baselineSlice';
import { createCacheSlice } from './cacheSlice';
import { createDataSlice } from './dataSlice';
import { createEngineSlice } from './engineSlice';
import { createExportSlice } from './exportSlice';
import { createInspectSlice } from './inspectSlice';
import { createLrFinderSlice } from './lrFinderSlice';
import { createModelSlice } from './modelSlice';
import { createRunsSlice } from './runsSlice';
import { createTrainingSlice } from './trainingSlice';
import type { StudioState } from './types';

export type { StudioState };

export const useStudio = create<StudioState>()((...a) => ({
  ...createEngineSlice(...a),
  ...createModelSlice(...a),
  ...createDataSlice(...a),
  ...createTrainingSlice(...a),
  ...createBaselineSlice(...a),
  ...createLrFinderSlice(...a),
  ...createInspectSlice(...a),
  ...createExportSlice(...a),
  ...createRunsSlice(...a),
  ...createCacheSlice(...a),
}));

// The suggested arguments follow the model, the data and the batch size they are fitted to.
useStudio.subscribe((state, previous) => {
  if (state.model !== previous.model || state.data !== previous.data || state.args.batchSize !== previous.args.batchSize) {
    state.refreshSuggestion();
  }
});
