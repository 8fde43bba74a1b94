import { unzipInWorker } from '../io/unzipInWorker';
import type { ExportOptions } from '../worker/protocol';
import { engine } from './engine';
import type { Slice } from './types';

export interface ExportSlice {
  /** The last export's zip, kept so it can be downloaded again or (a transformers folder) re-imported. */
  exportZip: { name: string; bytes: Uint8Array; files: string[]; format: ExportOptions['format'] } | null;
  /** The Hugging Face folder transformers loads: the model is downloaded, and the page may close without asking. */
  exportModel(): Promise<void>;
  /**
   * "Export for the web": the folder transformers.js loads (ONNX, with an int8 model when `quantized`). It does not
   * count as downloading the model, since the studio cannot train it further from that folder.
   */
  exportForWeb(quantized: boolean): Promise<void>;
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

export const createExportSlice: Slice<ExportSlice> = (set, get) => {
  /** Zips the export in the worker and downloads it; false when it failed (the error is shown). */
  const exportAs = async (options: ExportOptions): Promise<boolean> => {
    const result = await get().runTask('Exporting', () => engine().call('exportZip', options));
    if (!result) return false;
    const task = get().task === 'mlm' ? 'mlm' : 'classifier';
    const kind = options.format === 'web' ? `${task}-web` : task;
    const name = `bert-studio-${kind}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
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

    async importZip(zip, name) {
      const files = await get().runTask('Opening zip', () => unzipInWorker(zip, (progress) => set({ progress })));
      if (!files) return;
      await get().loadModel({ kind: 'local', files: Object.fromEntries(files) });
      set((s) => ({ log: [...s.log, `Opened ${name} as a local model.`] }));
    },
  };
};
