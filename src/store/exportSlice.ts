import { unzipInWorker } from '../io/unzipInWorker';
import { engine } from './engine';
import type { Slice } from './types';

export interface ExportSlice {
  /** The last export's zip, kept so it can be downloaded again or re-imported. */
  exportZip: { name: string; bytes: Uint8Array; files: string[] } | null;
  exportModel(): Promise<void>;
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

export const createExportSlice: Slice<ExportSlice> = (set, get) => ({
  exportZip: null,

  async exportModel() {
    const result = await get().runTask('Exporting', () => engine().call('exportZip', null));
    if (!result) return;
    const bytes = result.zip;
    const task = get().task === 'mlm' ? 'mlm' : 'classifier';
    const name = `bert-studio-${task}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
    set({ exportZip: { name, bytes, files: result.names } });
    downloadBytes(bytes, name);
    get().markExported();
  },

  async importZip(zip, name) {
    const files = await get().runTask('Opening zip', () => unzipInWorker(zip, (progress) => set({ progress })));
    if (!files) return;
    await get().loadModel({ kind: 'local', files: Object.fromEntries(files) });
    set((s) => ({ log: [...s.log, `Opened ${name} as a local model.`] }));
  },
});
