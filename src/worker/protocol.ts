/**
 * The engine's whole interface: every command the UI (or the CLI page) can send to the training worker, and
 * every event the worker streams back. One file, so what the engine supports is visible in one place.
 */
import type { TokenLengthStats } from '../data/encode';
import type { Row } from '../data/parse';
import type { PackingShape } from '../data/prepare';
import type { QualityReport } from '../data/quality';
import type { ColumnChoice, DataSpec, TextFile } from '../data/spec';
import type { CachedModel } from '../io/hubCache';
import type { ModelSpec } from '../io/modelSpec';
import type { BackendInfo, BackendName } from '../kernels/adapter';
import type { BertArchitecture } from '../model/bert/params';
import type { LoraSettings } from '../model/lora';
import type { Task } from '../model/task';
import type { Progress } from '../progress';
import type { BaselineReport } from '../train/baseline/fitBaseline';
import type { BaselineStatus } from '../train/baseline/runner';
import type { TrainingArgs } from '../train/defaults';
import type { EntityReport } from '../train/entities';
import type { EvalMetrics, MisclassifiedExample } from '../train/evaluate';
import type { ParamGroups } from '../train/groups';
import type { LrSweepPoint, LrSweepSettings } from '../train/lrFinder';
import type { LrSweepResult } from '../train/lrSweep';
import type { AttentionMap, Prediction } from '../train/predict';
import type { RunInfo, RunLink, RunStatus } from '../train/runStore';
import type { LiveSettings, StepMetrics } from '../train/runState';

// The engine's types the page uses, named here so that the page imports them from the protocol alone.
export type {
  AttentionMap,
  BackendInfo,
  BackendName,
  BaselineReport,
  BaselineStatus,
  CachedModel,
  ColumnChoice,
  DataSpec,
  EntityReport,
  EvalMetrics,
  LiveSettings,
  LrSweepPoint,
  LrSweepResult,
  LrSweepSettings,
  MisclassifiedExample,
  ModelSpec,
  Prediction,
  RunInfo,
  RunLink,
  RunStatus,
  StepMetrics,
  Task,
  TextFile,
};

/** The folder under public/models/ that the studio opens with. */
export const DEFAULT_MODEL = 'bert-tiny-en';

/** The Linear layers a LoRA adapter can sit on, for the training form (tfjs-free, as the page needs). */
export { LORA_TARGETS, type LoraTarget } from '../model/loraTargets';

/** The model families the engine loads, by config.json's model_type (src/model/families.ts), as the page lists them. */
export const SUPPORTED_FAMILIES: readonly { modelType: string; name: string }[] = [
  { modelType: 'bert', name: 'BERT' },
  { modelType: 'distilbert', name: 'DistilBERT' },
  { modelType: 'electra', name: 'ELECTRA' },
  { modelType: 'roberta', name: 'RoBERTa' },
  { modelType: 'xlm-roberta', name: 'XLM-RoBERTa' },
  { modelType: 'albert', name: 'ALBERT' },
];

/**
 * A data file as the page sends it: its text, or the picked file itself. A File posts to the worker without its
 * bytes being read or copied on the page (structured-cloning a 16 MB string blocked the page for ~0.2 s); the
 * worker reads it.
 */
export interface DataFile {
  fileName: string;
  text: string | Blob;
}

/** A DataSpec whose files may still be unread (`DataFile`): what `loadData` takes. */
export type DataRequest = Omit<DataSpec, 'train' | 'validation'> & { train: DataFile; validation?: DataFile };

export interface ModelSummary {
  source: string;
  numLayers: number;
  /** Sets of layer weights, the freeze map's layer groups: numLayers, or ALBERT's shared num_hidden_groups. */
  numLayerGroups: number;
  hiddenSize: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  numParams: number;
  /** What from_pretrained would print: tensors missing from the checkpoint (initialised), unexpected ones, ties. */
  loadReport: { missing: string[]; unexpected: string[]; initialised: string[]; tied: string[] };
  architectures: string[];
  id2label?: Record<string, string>;
  /** The runs that made the current weights, oldest first; empty while they are the loaded checkpoint's. */
  lineage: RunLink[];
  /** The heads the current weights have, and those the loaded checkpoint has (a run may swap heads). */
  heads: BertArchitecture;
  checkpointHeads: BertArchitecture;
  /** The LoRA adapters the current weights carry (a LoRA run's, or an opened PEFT adapter's), null without. */
  lora: LoraSettings | null;
}

export interface DataSummary {
  task: Task;
  fileName: string;
  /** Every column of the training file, and the ones picked (auto-detected unless overridden). */
  allColumns: string[];
  columns: { text: string; textPair?: string; label?: string };
  /** The first rows of the training file, for the preview table. */
  preview: Row[];
  numRows: number;
  numTrain: number;
  numValidation: number;
  numExcluded: number;
  labels?: string[];
  regression: boolean;
  /** Untruncated token length of every training-file row (index = row), for the histogram and truncation rate. */
  tokenLengths: number[];
  /** Masked-LM data that a run packs: what the page needs to count its sequences at any max length. */
  packing?: PackingShape;
  lengthStats: TokenLengthStats;
  /** Over every row of the training file; issue rows index the file's rows, as excludeRows does. */
  quality: QualityReport;
  warnings: string[];
}

/**
 * What an export holds. "transformers": the Hugging Face folder (model.safetensors, config, tokenizer, the run's
 * record) that transformers loads and the studio reopens. "web": the folder transformers.js loads (config,
 * tokenizer.json, onnx/model.onnx and, with `quantized`, onnx/model_quantized.onnx with int8 weights).
 */
export interface ExportOptions {
  /** transformers: config + weights (LoRA adapters merged in); web: ONNX for transformers.js; peft: a LoRA run's adapter alone. */
  format: 'transformers' | 'web' | 'peft';
  quantized?: boolean;
}

export type TrainState = 'idle' | 'training' | 'paused' | 'stopping' | 'done' | 'failed';

/** A saved run brought back: its model and data are loaded, and its history redraws the charts. */
export interface OpenedRun {
  run: RunInfo;
  summary: ModelSummary;
  groups: ParamGroups;
  data: DataSummary;
  /** The dataset as the run trained on it, so the page can reload it with other column picks. */
  dataSpec: DataSpec;
  args: TrainingArgs;
  history: { steps: StepMetrics[]; evals: EvalMetrics[] };
}

/** Command name → its parameters and the result the worker replies with. */
export interface EngineCommands {
  /** keepRuns false: runs are not saved in browser storage (the CLI, which writes its own export). */
  /**
   * Starts tfjs on `backend`, or without one on the backend the one rule picks (src/kernels/adapter.ts
   * preferredBackend): `remembered` where it still works, else WebGPU on a hardware adapter, wasm otherwise.
   */
  init: { params: { backend?: BackendName; remembered?: BackendName; keepRuns?: boolean }; result: BackendInfo };
  /** randomInit: keep the architecture and tokenizer but start from fresh weights (a from-scratch baseline). */
  loadModel: { params: { model: ModelSpec; randomInit?: boolean }; result: { summary: ModelSummary; groups: ParamGroups } };
  /** Aborts a model download in progress (its loadModel rejects with "cancelled"; the loaded model stays). */
  cancelLoad: { params: null; result: null };
  /** A PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors) applied to the loaded model. */
  loadAdapter: { params: { files: Record<string, Blob> }; result: { summary: ModelSummary; groups: ParamGroups } };
  loadData: { params: DataRequest; result: DataSummary };
  /** Replies with the model as it trains: a task head may have been added (architectures, id2label). */
  /**
   * `from`: "current" (the default) continues from the weights as they are, fine-tuned or not; "pretrained"
   * puts the loaded checkpoint's weights back first (the runs since stay under Recent runs).
   */
  start: { params: { args: Partial<TrainingArgs>; from?: 'current' | 'pretrained' }; result: { summary: ModelSummary; groups: ParamGroups } };
  pause: { params: null; result: null };
  resume: { params: null; result: null };
  stop: { params: null; result: null };
  setLive: { params: LiveSettings; result: null };
  /**
   * The learning-rate finder: a sweep of training steps with the run's settings, on copies of the weights that are
   * thrown away. The weights stay as they were, but the model gets the task's head as start would give it, hence
   * the summary in the reply. Streams `lrSweep` events.
   */
  findLr: { params: { args: Partial<TrainingArgs>; sweep?: Partial<LrSweepSettings> }; result: { sweep: LrSweepResult; summary: ModelSummary } };
  /** Ends the sweep in progress before its next step (its findLr resolves with outcome "stopped"). */
  cancelFindLr: { params: null; result: null };
  evaluate: { params: null; result: EvalMetrics };
  /**
   * The linear baseline (TF-IDF + logistic regression, or ridge for regression) on the loaded data's split:
   * fitted once per dataset, also started by `start`, so a second call returns the same fit. Streams `baseline`.
   */
  baseline: { params: null; result: BaselineReport };
  predict: { params: { examples: { text: string; pair?: string }[]; topK?: number }; result: Prediction[] };
  attention: { params: { text: string; pair?: string; weights: 'current' | 'pretrained' }; result: AttentionMap };
  /** The current weights as a folder, file path → bytes: transformers' by default (null), or the web folder. */
  export: { params: ExportOptions | null; result: { files: Record<string, Uint8Array> } };
  /** The same folder zipped in the worker (a bert-base export is ~440 MB: no CRC pass on the page's thread). */
  exportZip: { params: ExportOptions | null; result: { zip: Uint8Array; names: string[] } };
  /**
   * "Train at scale": the run `start` would begin with these settings, from the loaded checkpoint on the loaded
   * split, as a folder for the Hugging Face Trainer on many GPUs (src/train/recipe): train.py, recipe.json, the split
   * as JSONL, the checkpoint itself.
   */
  recipe: { params: { args: Partial<TrainingArgs> }; result: { files: Record<string, Uint8Array> } };
  /** The same folder zipped in the worker. */
  recipeZip: { params: { args: Partial<TrainingArgs> }; result: { zip: Uint8Array; names: string[] } };
  /** Saved runs, newest first, and the storage they are kept in. */
  listRuns: { params: null; result: { runs: RunInfo[]; storage: 'opfs' | 'indexeddb' | 'memory' } };
  deleteRun: { params: { id: string }; result: null };
  /** Loads a saved run's model (with the weights it ended or was saved with) and dataset, without training. */
  openRun: { params: { id: string }; result: OpenedRun };
  /** Loads a saved run and continues it from its checkpoint; streams as `start` does. */
  resumeRun: { params: { id: string }; result: OpenedRun };
  /** The Hub models kept in the browser's download cache, most recently used first. */
  listCache: { params: null; result: CachedModel[] };
  /** Deletes one cached model (its `key`), or every cached download with null; the loaded model stays loaded. */
  deleteCached: { params: { key: string | null }; result: null };
}

export type CommandName = keyof EngineCommands;

export type Request = {
  [K in CommandName]: { id: number; command: K; params: EngineCommands[K]['params'] };
}[CommandName];

export type EngineEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'eval'; metrics: EvalMetrics }
  | { type: 'lrSweep'; point: LrSweepPoint }
  | { type: 'baseline'; status: BaselineStatus }
  /** The loaded model's weights changed (a run ended): its summary, with the chain of runs behind them, now. */
  | { type: 'model'; summary: ModelSummary }
  /** The current run was saved (a checkpoint, a pause, its end). */
  | { type: 'run'; run: RunInfo }
  | { type: 'state'; state: TrainState; message?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The engine cannot go on: the worker died (killed, out of memory; sent by the client) or lost its GPU device. */
  | { type: 'crashed'; message: string };

export type WorkerMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  | { kind: 'event'; event: EngineEvent };

/**
 * Errors across the worker boundary. Structured cloning keeps an Error's message but drops the fields the
 * project's error classes carry (DataError's row, WeightsError's tensor, TrainInputError's field, …), so the
 * worker sends them as plain data and the page rebuilds an error that still says where the problem is.
 */

/** An error as it crosses the boundary: its class, message, and the place it names. */
export interface WireError {
  /** The class name: DataError, WeightsError, TrainInputError, ModelSourceError, ZipError, … */
  name: string;
  message: string;
  /** The class's stable code, which the page switches on: "cancelled" is a cancellation, not a failure. */
  code?: string;
  /** A training argument or config field. */
  field?: string;
  file?: string;
  /** 1-based line of a text file, and 0-based row of a table (shown 1-based). */
  line?: number;
  row?: number;
  tensor?: string;
  /** An entry of a zip archive. */
  entry?: string;
  runId?: string;
}

const STRING_KEYS = ['code', 'field', 'file', 'tensor', 'entry', 'runId'] as const;
const NUMBER_KEYS = ['line', 'row'] as const;

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const source = err as unknown as Record<string, unknown>;
  const wire: WireError = { name: err.name, message: err.message };
  for (const key of STRING_KEYS) if (typeof source[key] === 'string') wire[key] = source[key] as string;
  for (const key of NUMBER_KEYS) if (typeof source[key] === 'number' && Number.isFinite(source[key])) wire[key] = source[key] as number;
  return wire;
}

/** What the page catches from a failed engine call: an Error with the WireError's fields. */
export class EngineError extends Error {
  /** The fields as they arrived, for code that reads them together (describeWhere). */
  readonly wire: WireError;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.wire = wire;
  }
}

/** A failed call that is the user's own cancellation (a download, an evaluation): news for the log, not an error. */
export function isCancellation(err: unknown): boolean {
  return err instanceof EngineError && err.wire.code === 'cancelled';
}

/** "in data.csv, row 12" · "field: learning rate" · "tensor bert.pooler.dense.weight": where to look, or null. */
export function describeWhere(error: Partial<WireError>): string | null {
  const parts: string[] = [];
  const place = error.row !== undefined ? `row ${error.row + 1}` : error.line !== undefined ? `line ${error.line}` : null;
  if (error.file) parts.push(place ? `${error.file}, ${place}` : error.file);
  else if (place) parts.push(place);
  if (error.entry) parts.push(`zip entry ${error.entry}`);
  if (error.tensor) parts.push(`tensor ${error.tensor}`);
  if (error.field) parts.push(`field ${error.field}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
