// One store of slices (zustand's slices pattern): actions talk to the engine worker, components render state.
import { create } from 'zustand';
import { createDataSlice } from './dataSlice';
import { createEngineSlice } from './engineSlice';
import { createExportSlice } from './exportSlice';
import { createInspectSlice } from './inspectSlice';
import { createModelSlice } from './modelSlice';
import { createTrainingSlice } from './trainingSlice';
import type { StudioState } from './types';

export type { StudioState };

export const useStudio = create<StudioState>()((...a) => ({
  ...createEngineSlice(...a),
  ...createModelSlice(...a),
  ...createDataSlice(...a),
  ...createTrainingSlice(...a),
  ...createInspectSlice(...a),
  ...createExportSlice(...a),
}));
