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
  /**
   * A Hub access token for gated and private models: in memory, and in this tab's sessionStorage only when
   * `keepHubToken` asks; sent with Hub loads as their `token` (never saved with a run, an export or a log).
   */
  hubToken: string;
  keepHubToken: boolean;
  setHubToken(token: string, keep: boolean): void;
  loadModel(spec: ModelSpec): Promise<void>;
  /**
   * A PEFT LoRA adapter (adapter_config.json and adapter_model.safetensors, picked together or as their folder)
   * applied to the loaded model; the model stays as it was when the files do not fit it.
   */
  loadAdapter(files: readonly File[]): Promise<void>;
  /** Set by cancelModelLoad until the next load starts. */
  loadCancelled: boolean;
  /** Stops the model download in progress; the model loaded before stays. */
  cancelModelLoad(): void;
}

const TOKEN_KEY = 'bert-studio.hub-token';

function sessionToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export const createModelSlice: Slice<ModelSlice> = (set, get) => ({
  modelSpec: null,
  model: null,
  groups: null,
  hubEndpoint: 'https://huggingface.co',

  setHubEndpoint(endpoint) {
    set({ hubEndpoint: endpoint });
  },

  hubToken: sessionToken() ?? '',
  keepHubToken: sessionToken() !== null,

  setHubToken(token, keep) {
    set({ hubToken: token, keepHubToken: keep });
    try {
      if (keep && token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // No sessionStorage (a sandboxed frame): the token stays in memory.
    }
  },

  loadCancelled: false,

  async loadAdapter(files) {
    // A folder's files arrive with their paths: the engine reads them by name.
    const byName = Object.fromEntries(files.map((file) => [file.name.split('/').pop()!, file as Blob]));
    const loaded = await get().runTask('Opening LoRA adapter', () => engine().call('loadAdapter', { files: byName }));
    if (!loaded) return;
    set({ model: loaded.summary, groups: loaded.groups });
  },

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
