/**
 * Saved runs: every training run is kept in browser storage from its first step, so neither a reload, a crash
 * nor a failure loses it. A run folder holds the model it started from (as an HF folder), the dataset as the user
 * gave it, the run's record (meta.json) and its latest checkpoint; when the run ends, the weights it ended with.
 *
 *   runs/<id>/meta.json            RunRecord; written last on every save: it names the checkpoint in force
 *   runs/<id>/base/…               config.json, vocab.txt, tokenizer files, model.safetensors of the start model
 *   runs/<id>/data.json            the DataSpec (file texts, columns, split) and its fingerprint
 *   runs/<id>/ckpt-<step>/…        checkpoint.ts's files
 *   runs/<id>/final.safetensors    the weights after the run (best evaluation's where there was one)
 *   runs/<id>/history.json         the finished run's metric history
 *
 * A new checkpoint is written beside the old one, then meta.json is switched to it, then the old one is removed:
 * an interruption at any point leaves a complete checkpoint named by meta.json.
 */
import type { BlobStore } from '../io/blobStore';
import type { DataSpec } from '../data/spec';
import type { Task } from '../model/task';
import type { TrainingArgs } from './defaults';

/** Where a saved run stands: 'training' and 'paused' at reload time mean the page closed while it ran. */
export type RunStatus = 'training' | 'paused' | 'done' | 'stopped' | 'early-stopped' | 'failed' | 'damaged';

/** A run kept in browser storage (below), as the Recent runs list shows it. */
export interface RunInfo {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** The model it started from, as the model panel named it. */
  model: string;
  dataFile: string;
  task: Task;
  status: RunStatus;
  step: number;
  totalSteps: number;
  /** The step of the checkpoint a resume continues from; null before the first one. */
  checkpointStep: number | null;
  message?: string;
  best?: { step: number; loss: number; accuracy?: number };
  /** Storage the run takes (model, data, checkpoint, final weights). */
  bytes: number;
  resumable: boolean;
}


/** One run in the chain that made a model's weights (the export's `training_args.json` lists them all). */
export interface RunLink {
  task: Task;
  dataFile: string;
  outcome: RunStatus;
  steps: number;
  args: TrainingArgs;
}

/** What meta.json holds: the summary the page lists, plus what a resume needs. */
export interface RunRecord extends Omit<RunInfo, 'resumable'> {
  version: number;
  args: TrainingArgs;
  /** Folder of the checkpoint in force, under the run. */
  checkpoint: string | null;
  hasFinal: boolean;
  dataFingerprint: string;
  /** The runs whose weights this one started from, oldest first (absent in records saved before chains). */
  lineage?: RunLink[];
}

export interface StoredRun {
  record: RunRecord;
  base: Record<string, ArrayBuffer>;
  data: DataSpec;
  /** The checkpoint's files, when there is one. */
  checkpoint: Record<string, Uint8Array> | null;
  final: Uint8Array | null;
  /** The finished run's metric history (JSON with NaN kept, checkpoint.ts's stringifyNumbers). */
  history: string | null;
}

const RUN_VERSION = 1;
const ROOT = 'runs';

export class RunStoreError extends Error {
  readonly code = 'bad-run';

  constructor(message: string, readonly runId: string) {
    super(message);
    this.name = 'RunStoreError';
  }
}

const folderOf = (id: string) => `${ROOT}/${id}`;

export function newRunId(now = new Date()): string {
  const random = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${random}`;
}

/** SHA-256 of the dataset as trained on, so a damaged or swapped data.json is caught before a resume. */
export async function dataFingerprint(spec: DataSpec): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(spec));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class RunStore {
  constructor(readonly files: BlobStore) {}

  /** Writes the run's start: model, data and record; the run is listed from here on. */
  async begin(record: Omit<RunRecord, 'version' | 'checkpoint' | 'hasFinal' | 'bytes' | 'dataFingerprint'>, base: Record<string, Uint8Array>, data: DataSpec): Promise<RunRecord> {
    const folder = folderOf(record.id);
    for (const [name, bytes] of Object.entries(base)) await this.files.write(`${folder}/base/${name}`, bytes);
    await this.files.write(`${folder}/data.json`, JSON.stringify(data));
    const full: RunRecord = { ...record, version: RUN_VERSION, checkpoint: null, hasFinal: false, bytes: 0, dataFingerprint: await dataFingerprint(data) };
    return this.writeRecord(full);
  }

  /** Saves a checkpoint and makes it the one in force; the previous one is removed after the switch. */
  async saveCheckpoint(record: RunRecord, step: number, files: Record<string, Uint8Array>, status: RunStatus): Promise<RunRecord> {
    const folder = folderOf(record.id);
    const name = `ckpt-${step}`;
    try {
      for (const [file, bytes] of Object.entries(files)) await this.files.write(`${folder}/${name}/${file}`, bytes);
    } catch (err) {
      // A half-written checkpoint is never in force; removing it keeps a full disk from filling with them.
      if (name !== record.checkpoint) await this.files.remove(`${folder}/${name}`).catch(() => undefined);
      throw err;
    }
    const previous = record.checkpoint;
    const next = await this.writeRecord({ ...record, checkpoint: name, checkpointStep: step, step: Math.max(record.step, step), status });
    if (previous && previous !== name) await this.files.remove(`${folder}/${previous}`);
    return next;
  }

  /** Records the run's end, with the weights it ended with when they are sound, and its metric history. */
  async finish(
    record: RunRecord,
    patch: Pick<RunRecord, 'status' | 'step'> & Partial<Pick<RunRecord, 'message' | 'best'>>,
    final: Uint8Array | null,
    history: string | null,
  ): Promise<RunRecord> {
    const folder = folderOf(record.id);
    if (final) await this.files.write(`${folder}/final.safetensors`, final);
    if (history !== null) await this.files.write(`${folder}/history.json`, history);
    return this.writeRecord({ ...record, ...patch, hasFinal: record.hasFinal || final !== null });
  }

  async update(record: RunRecord, patch: Partial<RunRecord>): Promise<RunRecord> {
    return this.writeRecord({ ...record, ...patch });
  }

  /** Every saved run, newest first; a run whose record cannot be read is listed as damaged, so it can be deleted. */
  async list(): Promise<RunInfo[]> {
    const files = await this.files.list(ROOT);
    const sizes = new Map<string, number>();
    for (const { path, size } of files) {
      const id = path.split('/')[1];
      sizes.set(id, (sizes.get(id) ?? 0) + size);
    }
    const runs: RunInfo[] = [];
    for (const [id, bytes] of sizes) {
      try {
        runs.push({ ...summaryOf(await this.readRecord(id)), bytes });
      } catch (err) {
        runs.push({ ...damaged(id, (err as Error).message), bytes });
      }
    }
    return runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** The record as the page lists it, with the storage the run takes now. */
  async info(record: RunRecord): Promise<RunInfo> {
    const files = await this.files.list(folderOf(record.id));
    return { ...summaryOf(record), bytes: files.reduce((sum, file) => sum + file.size, 0) };
  }

  async remove(id: string): Promise<void> {
    await this.files.remove(folderOf(id));
  }

  /**
   * Everything a reopened or resumed run needs, checked: a missing file or a changed dataset is a RunStoreError.
   * `checkpoint` says, from the record, whether to read the checkpoint's files too.
   */
  async load(id: string, options: { checkpoint: (record: RunRecord) => boolean } = { checkpoint: () => true }): Promise<StoredRun> {
    const record = await this.readRecord(id);
    const folder = folderOf(id);
    const base: Record<string, ArrayBuffer> = {};
    for (const { path } of await this.files.list(`${folder}/base`)) {
      base[path.slice(`${folder}/base/`.length)] = await (await this.files.read(path))!.arrayBuffer();
    }
    if (!base['config.json']) throw new RunStoreError(`Saved run ${id} has lost its model files (base/config.json).`, id);
    const dataBlob = await this.files.read(`${folder}/data.json`);
    if (!dataBlob) throw new RunStoreError(`Saved run ${id} has lost its dataset (data.json).`, id);
    const data = JSON.parse(await dataBlob.text()) as DataSpec;
    if ((await dataFingerprint(data)) !== record.dataFingerprint) {
      throw new RunStoreError(`Saved run ${id}: the stored dataset does not match the one the run trained on (fingerprint differs).`, id);
    }
    let checkpoint: Record<string, Uint8Array> | null = null;
    if (record.checkpoint && options.checkpoint(record)) {
      checkpoint = {};
      const prefix = `${folder}/${record.checkpoint}/`;
      for (const { path } of await this.files.list(`${folder}/${record.checkpoint}`)) {
        checkpoint[path.slice(prefix.length)] = new Uint8Array(await (await this.files.read(path))!.arrayBuffer());
      }
    }
    const finalBlob = record.hasFinal ? await this.files.read(`${folder}/final.safetensors`) : null;
    const historyBlob = await this.files.read(`${folder}/history.json`);
    return {
      record,
      base,
      data,
      checkpoint,
      final: finalBlob && new Uint8Array(await finalBlob.arrayBuffer()),
      history: historyBlob && (await historyBlob.text()),
    };
  }

  private async readRecord(id: string): Promise<RunRecord> {
    const blob = await this.files.read(`${folderOf(id)}/meta.json`);
    if (!blob) throw new RunStoreError(`Saved run ${id} has no meta.json (it was interrupted before its first save).`, id);
    let record: RunRecord;
    try {
      record = JSON.parse(await blob.text()) as RunRecord;
    } catch (err) {
      throw new RunStoreError(`Saved run ${id}: meta.json is not valid JSON (${(err as Error).message}).`, id);
    }
    if (record?.version !== RUN_VERSION || record.id !== id) {
      throw new RunStoreError(`Saved run ${id}: meta.json is not a run record this studio reads (version ${record?.version}).`, id);
    }
    return record;
  }

  private async writeRecord(record: RunRecord): Promise<RunRecord> {
    const next = { ...record, updatedAt: new Date().toISOString() };
    await this.files.write(`${folderOf(record.id)}/meta.json`, JSON.stringify(next));
    return next;
  }
}

/** What the page lists of a record: the RunInfo fields, and whether it can continue. */
export function summaryOf(record: RunRecord): RunInfo {
  const { id, createdAt, updatedAt, model, dataFile, task, status, step, totalSteps, checkpointStep, message, best, bytes } = record;
  const info = { id, createdAt, updatedAt, model, dataFile, task, status, step, totalSteps, checkpointStep, message, best, bytes };
  return { ...info, resumable: isResumable(info) };
}

function damaged(id: string, message: string): RunInfo {
  return { id, createdAt: '', updatedAt: '', model: '?', dataFile: '?', task: 'classify', status: 'damaged', step: 0, totalSteps: 0, checkpointStep: null, message, bytes: 0, resumable: false };
}

/** A run that can continue: it has a checkpoint and did not finish its plan or stop early. */
function isResumable(run: Omit<RunInfo, 'resumable'>): boolean {
  return run.checkpointStep !== null && run.checkpointStep < run.totalSteps && run.status !== 'done' && run.status !== 'early-stopped' && run.status !== 'damaged';
}
