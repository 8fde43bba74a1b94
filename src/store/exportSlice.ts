import { unzipInWorker } from '../io/unzipInWorker';
import type { ExportOptions } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface ExportSlice {
  /** The last export's zip, kept so it can be downloaded again or (a transformers folder) re-imported. */
  exportZip: { name: string; bytes: Uint8Array; files: string[]; format: ExportOptions['format'] } | null;
  /** The Hugging Face folder transformers loads: the model is downloaded, and the page may close without asking. */
  exportModel(): Promise<void>;
  /** The last recipe's zip: its name, size and files, for the panel to list. */
  recipeZip: { name: string; size: number; files: string[] } | null;
  /**
   * "Train at scale": the run the training form would start, as a folder for the Hugging Face Trainer on many GPUs
   * (train.py, the settings, the split, the checkpoint), zipped in the worker and downloaded.
   */
  exportRecipe(): Promise<void>;
  /**
   * "Export for the web": the folder transformers.js loads (ONNX, with an int8 model when `quantized`). It does not
   * count as downloading the model, since the studio cannot train it further from that folder.
   */
  exportForWeb(quantized: boolean): Promise<void>;
  /** A LoRA run's adapter alone, in PEFT's layout (adapter_config.json, adapter_model.safetensors), zipped. */
  exportAdapter(): Promise<void>;
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

/** The task as download names say it. */
const FILE_TASK = { classify: 'classifier', mlm: 'mlm', ner: 'ner', qa: 'qa' } as const;

/** A file name's time stamp: 2025-01-31-12-00-00. */
function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

export const createExportSlice: Slice<ExportSlice> = (set, get) => {
  /** Zips the export in the worker and downloads it; false when it failed (the error is shown). */
  const exportAs = async (options: ExportOptions): Promise<boolean> => {
    const result = await get().runTask('Exporting', () => engine().call('exportZip', options));
    if (!result) return false;
    const task = FILE_TASK[get().task];
    const kind = options.format === 'transformers' ? task : `${task}-${options.format === 'peft' ? 'lora' : 'web'}`;
    const name = `bert-studio-${kind}-${stamp()}.zip`;
    set({ exportZip: { name, bytes: result.zip, files: result.names, format: options.format } });
    downloadBytes(result.zip, name);
    return true;
  };

  return {
    exportZip: null,

    async exportModel() {
      if (await exportAs({ format: 'transformers' })) get().markExported();
    },

    async exportForWeb(quantized) {
      await exportAs({ format: 'web', quantized });
    },

    async exportAdapter() {
      await exportAs({ format: 'peft' });
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
  };
};
