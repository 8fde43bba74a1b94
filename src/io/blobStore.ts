/**
 * Files in the browser's own storage, by path ("runs/abc/meta.json"): the Origin Private File System where the
 * browser has it, IndexedDB otherwise, memory where neither exists (Node tests, some private windows). Saved runs
 * live here (src/train/runStore.ts).
 *
 * Each write is whole or nothing: OPFS writes go to a swap file that replaces the old one when the stream closes,
 * and an IndexedDB put is one transaction. A run's pointer file is written last, so a crash mid-checkpoint leaves
 * the previous checkpoint in force.
 */
import { createStore, delMany, entries, get, set, type UseStore } from 'idb-keyval';

export interface StoredFile {
  path: string;
  size: number;
}

export interface BlobStore {
  /** Which storage this is, for messages ("browser storage (OPFS)"). */
  readonly kind: 'opfs' | 'indexeddb' | 'memory';
  read(path: string): Promise<Blob | null>;
  write(path: string, data: Blob | Uint8Array | string): Promise<void>;
  /** Removes the file at `path`, or every file under the folder `path/`. */
  remove(path: string): Promise<void>;
  /** Every file under the folder `prefix/`. */
  list(prefix: string): Promise<StoredFile[]>;
}

function blobOf(data: Blob | Uint8Array | string): Blob {
  return data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer> | string]);
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix.replace(/\/$/, '')}/`);
}

export function memoryBlobStore(): BlobStore {
  const files = new Map<string, Blob>();
  return {
    kind: 'memory',
    read: async (path) => files.get(path) ?? null,
    write: async (path, data) => void files.set(path, blobOf(data)),
    remove: async (path) => {
      for (const key of [...files.keys()]) if (under(key, path)) files.delete(key);
    },
    list: async (prefix) => [...files].filter(([key]) => under(key, prefix)).map(([path, blob]) => ({ path, size: blob.size })),
  };
}

export function indexedDbBlobStore(dbName = 'bert-studio-files', storeName = 'files'): BlobStore {
  let store: UseStore | undefined;
  const open = (): UseStore => (store ??= createStore(dbName, storeName));
  const matching = async (prefix: string) => (await entries<string, Blob>(open())).filter(([key]) => under(key, prefix));
  return {
    kind: 'indexeddb',
    read: async (path) => (await get<Blob>(path, open())) ?? null,
    write: async (path, data) => set(path, blobOf(data), open()),
    remove: async (path) => delMany((await matching(path)).map(([key]) => key), open()),
    list: async (prefix) => (await matching(prefix)).map(([path, blob]) => ({ path, size: blob.size })),
  };
}

export function opfsBlobStore(root: FileSystemDirectoryHandle): BlobStore {
  const parts = (path: string): string[] => {
    const segments = path.split('/').filter((s) => s !== '');
    if (segments.some((s) => s === '.' || s === '..')) throw new Error(`Bad storage path ${path}`);
    return segments;
  };
  const folder = async (segments: string[], create: boolean): Promise<FileSystemDirectoryHandle | null> => {
    let dir = root;
    for (const name of segments) {
      try {
        dir = await dir.getDirectoryHandle(name, { create });
      } catch (err) {
        if ((err as DOMException).name === 'NotFoundError' || (err as DOMException).name === 'TypeMismatchError') return null;
        throw err;
      }
    }
    return dir;
  };
  const walk = async (dir: FileSystemDirectoryHandle, path: string, out: StoredFile[]): Promise<void> => {
    for await (const [name, handle] of (dir as unknown as AsyncIterable<[string, FileSystemHandle]>)) {
      const child = path === '' ? name : `${path}/${name}`;
      if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, child, out);
      else out.push({ path: child, size: (await (handle as FileSystemFileHandle).getFile()).size });
    }
  };
  return {
    kind: 'opfs',
    async read(path) {
      const segments = parts(path);
      const dir = await folder(segments.slice(0, -1), false);
      if (!dir) return null;
      try {
        return await (await dir.getFileHandle(segments.at(-1)!)).getFile();
      } catch (err) {
        if ((err as DOMException).name === 'NotFoundError' || (err as DOMException).name === 'TypeMismatchError') return null;
        throw err;
      }
    },
    async write(path, data) {
      const segments = parts(path);
      const dir = (await folder(segments.slice(0, -1), true))!;
      const writable = await (await dir.getFileHandle(segments.at(-1)!, { create: true })).createWritable();
      try {
        await writable.write(blobOf(data));
        await writable.close();
      } catch (err) {
        // Abort discards the swap file: the previous contents stay.
        await writable.abort().catch(() => undefined);
        throw err;
      }
    },
    async remove(path) {
      const segments = parts(path);
      const dir = await folder(segments.slice(0, -1), false);
      await dir?.removeEntry(segments.at(-1)!, { recursive: true }).catch((err: DOMException) => {
        if (err.name !== 'NotFoundError') throw err;
      });
    },
    async list(prefix) {
      const segments = parts(prefix);
      const dir = await folder(segments, false);
      const out: StoredFile[] = [];
      if (dir) await walk(dir, segments.join('/'), out);
      return out;
    },
  };
}

/** The best storage this context has; a store that cannot keep files past a reload says so by its kind. */
export async function openBlobStore(): Promise<BlobStore> {
  try {
    if (typeof navigator !== 'undefined' && navigator.storage?.getDirectory) return opfsBlobStore(await navigator.storage.getDirectory());
  } catch {
    // Some private windows refuse OPFS; IndexedDB may still work.
  }
  if (typeof indexedDB !== 'undefined') return indexedDbBlobStore();
  return memoryBlobStore();
}
