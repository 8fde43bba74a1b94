import type { Progress } from '../progress';
import { DEFAULT_MODEL, describeWhere, EngineError, isCancellation, type BackendInfo, type BackendName, type ModelSpec } from '../worker/protocol';
import { engine, onEngineEvent, restartEngine } from './engine';
import type { Slice } from './types';

export interface EngineSlice {
  backend: BackendInfo | null;
  /** null until checked; false shows the no-WebGPU banner with the fallback offer. */
  webgpuAvailable: boolean | null;
  /** What the engine is busy with, for the status bar ("Loading model", ...), or null. */
  busy: string | null;
  progress: Progress | null;
  /** The last error, shown until dismissed; the user's work is never discarded on error. */
  error: string | null;
  /** Where the last error points, from the worker's error fields ("reviews.csv, row 12", "tensor …"), or null. */
  errorWhere: string | null;
  /** Informational messages from the engine, newest last. */
  log: string[];
  /** Starts the worker on `backend` (or the engine's rule) and loads `model`, by default the bundled one. */
  startEngine(backend?: BackendName, model?: ModelSpec): Promise<void>;
  switchBackend(backend: BackendName): Promise<void>;
  dismissError(): void;
  /** A new worker after the old one died; a run it was training is offered back from its last checkpoint. */
  recoverFromCrash(message: string): Promise<void>;
  /**
   * Runs an engine call with a busy label; errors land in `error` instead of being thrown, except a cancellation
   * (the error's code says so), which goes to the log.
   */
  runTask<T>(label: string, task: () => Promise<T>): Promise<T | undefined>;
}

const BACKEND_KEY = 'bert-studio.backend';
const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** The backend the user switched to last: a reload (and a resumed run) keeps it, so its numbers stay comparable. */
function rememberedBackend(): BackendName | null {
  try {
    const stored = localStorage.getItem(BACKEND_KEY);
    return BACKENDS.find((name) => name === stored) ?? null;
  } catch {
    return null;
  }
}

function rememberBackend(backend: BackendName): void {
  try {
    localStorage.setItem(BACKEND_KEY, backend);
  } catch {
    // Storage refused (private mode): the choice lasts until the reload.
  }
}

export const createEngineSlice: Slice<EngineSlice> = (set, get) => ({
  backend: null,
  webgpuAvailable: null,
  busy: null,
  progress: null,
  error: null,
  errorWhere: null,
  log: [],

  async startEngine(requested, model = { kind: 'bundled', name: DEFAULT_MODEL }) {
    onEngineEvent((event) => {
      switch (event.type) {
        case 'progress':
          set({ progress: event.progress });
          break;
        case 'log':
          set((s) => ({ log: [...s.log.slice(-49), event.message] }));
          break;
        case 'step':
          get().receiveStep(event.metrics);
          break;
        case 'eval':
          get().receiveEval(event.metrics);
          break;
        case 'lrSweep':
          get().receiveLrPoint(event.point);
          break;
        case 'baseline':
          get().receiveBaseline(event.status);
          break;
        case 'state':
          get().receiveState(event.state, event.message);
          break;
        case 'run':
          get().receiveRun(event.run);
          break;
        case 'model':
          set({ model: event.summary });
          break;
        case 'crashed':
          void get().recoverFromCrash(event.message);
          break;
      }
    });
    // The backend asked for; otherwise the engine's one rule decides: the user's remembered choice where it still
    // works, else WebGPU on a hardware adapter, wasm on a software adapter (SwiftShader) or none.
    const remembered = rememberedBackend() ?? undefined;
    const info = await get().runTask('Starting the engine', () => engine().call('init', { backend: requested, remembered }));
    if (!info) return;
    set({ backend: info, webgpuAvailable: info.webgpuAvailable ?? null });
    if (!get().model) await get().loadModel(model);
    await get().refreshRuns();
  },

  async switchBackend(backend) {
    // Choosing the backend already running (a select fires change for the same value too) keeps the engine.
    if (get().backend?.backend === backend) return;
    if (!get().confirmDiscard('Switching the backend')) return;
    restartEngine();
    rememberBackend(backend);
    set({ backend: null, model: null });
    // The model in use is loaded once, on the new backend (a local one from the same Blobs), its data after it.
    await get().startEngine(backend, get().modelSpec ?? undefined);
  },

  dismissError() {
    set({ error: null, errorWhere: null });
  },

  async recoverFromCrash(message) {
    const backend = get().backend?.backend;
    const hadRun = get().runState === 'training' || get().runState === 'paused' || get().runState === 'stopping';
    restartEngine();
    // The run the dead worker trained is saved up to its last checkpoint: the resume banner offers it.
    set({ backend: null, model: null, data: null, currentRun: null, runState: hadRun ? 'failed' : get().runState, unexported: false });
    await get().startEngine(backend);
    // After the restart, whose tasks clear the error line.
    set({ error: `${message}. The engine was restarted${hadRun ? '; the run can continue from its last checkpoint (see above)' : ''}.` });
  },

  async runTask(label, task) {
    set({ busy: label, progress: null, error: null, errorWhere: null });
    try {
      return await task();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isCancellation(err)) set((s) => ({ log: [...s.log.slice(-49), message] }));
      else set({ error: message, errorWhere: err instanceof EngineError ? describeWhere(err.wire) : null });
      return undefined;
    } finally {
      set({ busy: null, progress: null });
    }
  },
});
