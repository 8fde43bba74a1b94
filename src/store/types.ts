import type { StateCreator } from 'zustand';
import type { BaselineSlice } from './baselineSlice';
import type { CacheSlice } from './cacheSlice';
import type { DataSlice } from './dataSlice';
import type { EngineSlice } from './engineSlice';
import type { ExportSlice } from './exportSlice';
import type { InspectSlice } from './inspectSlice';
import type { LrFinderSlice } from './lrFinderSlice';
import type { ModelSlice } from './modelSlice';
import type { RunsSlice } from './runsSlice';
import type { TrainingSlice } from './trainingSlice';

export type StudioState = EngineSlice & ModelSlice & DataSlice & TrainingSlice & BaselineSlice & LrFinderSlice & InspectSlice & ExportSlice & RunsSlice & CacheSlice;

export type Slice<T> = StateCreator<StudioState, [], [], T>;
