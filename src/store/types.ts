import type { StateCreator } from 'zustand';
import type { DataSlice } from './dataSlice';
import type { EngineSlice } from './engineSlice';
import type { ExportSlice } from './exportSlice';
import type { InspectSlice } from './inspectSlice';
import type { ModelSlice } from './modelSlice';
import type { TrainingSlice } from './trainingSlice';

export type StudioState = EngineSlice & ModelSlice & DataSlice & TrainingSlice & InspectSlice & ExportSlice;

export type Slice<T> = StateCreator<StudioState, [], [], T>;
