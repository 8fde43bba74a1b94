import { unzipInWorker } from '../io/unzipInWorker';
import { engine } from './engine';
import type { Slice } from './types';

export interface ExportSlice {
  /** The last export's zip, kept so it can be downloaded again or re-imported. */
  exportZip: { name: string; bytes: Uint8Array; files: string[] } | null;
  exportModel(): Promise<void>;
  /** The last recipe's zip: its name, size and files, for the panel to list. */
  recipeZip: { name: string; size: number; files: string[] } | null;
  /**
   * "Train at scale": the run the training form would start, as a folder for the Hugging Face Trainer on many GPUs
   * (train.py, the settings, the split, the checkpoint), zipped in the worker and downloaded.
   */
  exportRecipe(): Promise<void>;
  /** Opens an exported zip (or any zipped model folder) as a local model. */
  importZip(zip: Blob, name: string): Promise<void>;
}

export function downloadBytes(bytes: Uint8Array, name: string, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name's time stamp: 2025-01-31-12-00-00. */
/** The task as download names say it. */
const FILE_TASK = { classify: 'classifier', mlm: 'mlm', ner: 'ner' } as const;

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

export const createExportSlice: Slice<ExportSlice> = (set, get) => ({
  exportZip: null,

  async exportModel() {
    const result = await get().runTask('Exporting', () => engine().call('exportZip', null));
    if (!result) return;
    const bytes = result.zip;
    const task = FILE_TASK[get().task];
    const name = `bert-studio-${task}-${stamp()}.zip`;
    set({ exportZip: { name, bytes, files: result.names } });
    downloadBytes(bytes, name);
    get().markExported();
  },

  recipeZip: null,

  async exportRecipe() {
    const { args, task } = get();
    const result = await get().runTask('Writing the recipe', () => engine().call('recipeZip', { args }));
    if (!result) return;
    const name = `bert-studio-recipe-${FILE_TASK[task]}-${stamp()}.zip`;
    set({ recipeZip: { name, size: result.zip.length, files: result.names } });
    downloadBytes(result.zip, name);
  },

  async importZip(zip, name) {
    const files = await get().runTask('Opening zip', () => unzipInWorker(zip, (progress) => set({ progress })));
    if (!files) return;
    await get().loadModel({ kind: 'local', files: Object.fromEntries(files) });
    set((s) => ({ log: [...s.log, `Opened ${name} as a local model.`] }));
  },
});
