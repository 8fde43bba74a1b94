import type { ParamGroups } from '../train/groups';
import type { ModelSpec, ModelSummary } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface ModelSlice {
  modelSpec: ModelSpec | null;
  model: ModelSummary | null;
  groups: ParamGroups | null;
  /** Hub endpoint for model ids (configurable so tests and mirrors can point elsewhere). */
  hubEndpoint: string;
  setHubEndpoint(endpoint: string): void;
  loadModel(spec: ModelSpec): Promise<void>;
  /** Set by cancelModelLoad until the next load starts. */
  loadCancelled: boolean;
  /** Stops the model download in progress; the model loaded before stays. */
  cancelModelLoad(): void;
}

export const createModelSlice: Slice<ModelSlice> = (set, get) => ({
  modelSpec: null,
  model: null,
  groups: null,
  hubEndpoint: 'https://huggingface.co',

  setHubEndpoint(endpoint) {
    set({ hubEndpoint: endpoint });
  },

  loadCancelled: false,

  cancelModelLoad() {
    set({ loadCancelled: true });
    void engine().call('cancelLoad', null).catch(() => undefined);
  },

  async loadModel(spec) {
    if (!get().confirmDiscard('Loading another model')) return;
    set({ loadCancelled: false });
    const loaded = await get().runTask('Loading model', () => engine().call('loadModel', { model: spec }));
    if (!loaded) return;
    set({ modelSpec: spec, model: loaded.summary, groups: loaded.groups });
    get().resetRun();
    get().resetFreeze();
    get().resetInspect();
    const data = get().dataFiles;
    if (data) await get().loadData(data);
  },
});
