/**
 * The engine behind the worker protocol: it owns the model, the data and the training run, and answers each
 * command. It runs inside the worker (engine.worker.ts) but has no worker-specific code, so it can be driven
 * directly as well.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeDataset, tokenLengthStats, type EncodedDataset } from '../data/encode';
import { splitRecords } from '../data/records';
import { DataError } from '../data/errors';
import type { LabelSpace } from '../data/labels';
import { DEFAULT_PARSE_LIMITS } from '../data/parse';
import { encodePrepared, FULL_ENCODING_LIMIT, packingShape, prepareData, rowText, type EncodedData, type PreparedData } from '../data/prepare';
import { analyzeQuality } from '../data/quality';
import { deleteCachedModel, listCachedModels } from '../io/hubCache';
import { sourceFor, type ModelSpec } from '../io/modelSpec';
import { zipFiles } from '../io/zip';
import { initBackend, webgpuDevice, type BackendInfo } from '../kernels/backend';
import { maxSequenceLength, type BertConfig } from '../model/bert/config';
import { architectureOf, classifiesTokens, type BertParams } from '../model/bert/params';
import { checkpointFiles, loadPretrained, savePretrained, weightsFile, type Pretrained } from '../model/pretrained';
import { checkpointArchitecture, checkpointParams, encoderParams, withTaskHead } from '../model/bert/tasks';
import { initialCheckpoint, type LoadReport } from '../model/bert/weights';
import { FAMILIES } from '../model/families';
import { addAdapters, foldAdapters, isLoraParam, loraCounts, parseLoraTargets } from '../model/lora';
import { assignParams, disposeParams } from '../model/params';
import type { Progress } from '../progress';
import { parseNumbers, readCheckpoint, readTensors, stringifyNumbers, writeCheckpoint, type TrainerCheckpoint } from '../train/checkpoint';
import { DEFAULT_TRAINING_ARGS, validateTrainingArgs, type TrainingArgs } from '../train/defaults';
import { evaluateModel } from '../train/evaluate';
import { loraTrainableNames } from '../train/freeze';
import { buildParamGroups } from '../train/groups';
import type { LrSweepSettings } from '../train/lrFinder';
import { LrSweep } from '../train/lrSweep';
import { isOutOfMemory, outOfMemoryAdvice, planMemory } from '../train/memory';
import { attentionMaps, predict } from '../train/predict';
import type { PeerPool } from '../train/parallel';
import { suggestTrainingArgs } from '../train/suggest';
import { buildRecipe } from '../train/recipe/recipe';
import { evalOptions, runLength, Trainer, type TrainerHooks, type TrainerInit, type TrainResult } from '../train/trainer';
import { BaselineRunner } from '../train/baseline/runner';
import { newRunId, RunStore, type RunRecord } from '../train/runStore';
import type {
  AttentionMap,
  DataFile,
  DataRequest,
  DataSpec,
  DataSummary,
  EngineCommands,
  EngineEvent,
  ExportOptions,
  ModelSummary,
  OpenedRun,
  Request,
  RunLink,
  RunStatus,
  Task,
  TextFile,
} from './protocol';

type Result<K extends keyof EngineCommands> = Promise<EngineCommands[K]['result']>;

interface Current {
  params: BertParams;
  config: BertConfig;
}

/** The loaded checkpoint, the weights as they are now, and the runs that made them. */
interface LoadedModel {
  pretrained: Pretrained;
  current: Current;
  report: LoadReport;
  /** The runs that made the current weights, oldest first (empty: the loaded checkpoint's weights). */
  lineage: RunLink[];
}

interface LoadedData {
  spec: DataSpec;
  prepared: PreparedData;
  /** Every training row encoded at FULL_ENCODING_LIMIT for the length report, reused by runs. */
  full: EncodedDataset;
  /** The split encoded for the last run's max length and packing. */
  encoded: { maxLength: number; pack: boolean; data: EncodedData } | null;
}

/** The last run started: in progress while it has a trainer. */
interface RunState {
  args: TrainingArgs;
  trainer: Trainer | null;
  result: TrainResult | null;
  /** Its saved record (null when runs are not kept or saving failed). */
  record: RunRecord | null;
}

/** Everything the engine holds, in one place. */
interface EngineState {
  model: LoadedModel | null;
  data: LoadedData | null;
  run: RunState | null;
  /** A model download or a learning-rate sweep under way, and how to abort it. */
  busy: { kind: 'loading' | 'sweeping'; abort: AbortController } | null;
}

/** Rows of the training file sent back for the preview table. */
const PREVIEW_ROWS = 50;

/** Spacing of progress events (see Engine.progress). */
const PROGRESS_INTERVAL_MS = 100;

export class Engine {
  private readonly state: EngineState = { model: null, data: null, run: null, busy: null };
  /** The linear baseline of the loaded data, fitted beside runs. */
  private readonly baseline = new BaselineRunner((status) => this.emit({ type: 'baseline', status }));
  /** When the last progress event went out: each one re-renders the page, so they are spaced (see progress()). */
  private lastProgressAt = 0;
  private keepRuns = true;
  /**
   * Set once the GPU device is lost or out of memory: from then on every result is garbage or an error, and the
   * worker is about to be replaced. Nothing more is written to the run, so it stays as its last checkpoint left it,
   * and the page offers it back, however the failing step ends.
   */
  private deviceGone = false;

  /**
   * `runs`: where runs are saved; null keeps nothing (the CLI, which writes its own export). `peers`: the workers
   * that compute part of every batch of a run (none: the engine computes it all).
   */
  constructor(
    private readonly emit: (event: EngineEvent) => void,
    private readonly modelBaseUrl: string,
    private readonly runs: Promise<RunStore> | null = null,
    private readonly peers: PeerPool | null = null,
  ) {}

  /**
   * Reports progress at most every PROGRESS_INTERVAL_MS, plus each stage's last event: a 200k-row file reported
   * 200 steps a stage, and the page's re-render for each one made timer gaps of up to 370 ms.
   */
  private progress(progress: Progress): void {
    const now = performance.now();
    if (progress.loaded !== progress.total && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    this.emit({ type: 'progress', progress });
  }

  /** Answers one command; any failure, synchronous or not, becomes a rejected promise (the worker's error reply). */
  async handle(request: Request): Promise<unknown> {
    switch (request.command) {
      case 'init':
        this.keepRuns = request.params.keepRuns ?? true;
        return this.init(request.params);
      case 'loadModel':
        return this.loadModel(request.params.model, request.params.randomInit ?? false);
      case 'loadAdapter':
        return this.loadAdapter(request.params.files);
      case 'cancelLoad':
        if (this.state.busy?.kind === 'loading') this.state.busy.abort.abort();
        return null;
      case 'loadData':
        return this.loadData(await readDataFiles(request.params));
      case 'start':
        return this.start(request.params.args, request.params.from ?? 'current');
      case 'pause':
        return this.control('pause');
      case 'resume':
        return this.control('resume');
      case 'stop':
        return this.control('stop');
      case 'setLive':
        this.requireTrainer().setLive(request.params);
        return null;
      case 'findLr':
        return this.findLr(request.params.args, request.params.sweep);
      case 'cancelFindLr':
        if (this.state.busy?.kind === 'sweeping') this.state.busy.abort.abort();
        return null;
      case 'evaluate':
        return this.evaluate();
      case 'baseline':
        return this.fitBaseline();
      case 'predict':
        return this.predict(request.params.examples, request.params.topK ?? 5);
      case 'attention':
        return this.attention(request.params.text, request.params.pair, request.params.weights);
      case 'export':
        return this.export(request.params);
      case 'exportZip': {
        const { files } = await this.export(request.params);
        return { zip: zipFiles(files), names: Object.keys(files) };
      }
      case 'recipe':
        return this.recipe(request.params.args);
      case 'recipeZip': {
        const { files } = await this.recipe(request.params.args);
        return { zip: zipFiles(files), names: Object.keys(files) };
      }
      case 'listRuns': {
        const store = await this.requireRuns();
        return { runs: await store.list(), storage: store.files.kind };
      }
      case 'deleteRun':
        if (this.state.run?.trainer && this.state.run.record?.id === request.params.id) throw new Error('This run is in progress: stop it before deleting it.');
        await (await this.requireRuns()).remove(request.params.id);
        return null;
      case 'openRun':
        return this.openRun(request.params.id, false);
      case 'resumeRun':
        return this.openRun(request.params.id, true);
      case 'listCache':
        return listCachedModels();
      case 'deleteCached':
        await deleteCachedModel(request.params.key);
        return null;
    }
  }

  private async init({ backend, remembered }: EngineCommands['init']['params']): Promise<BackendInfo> {
    const info = await initBackend(backend ?? 'auto', { remembered });
    const device = webgpuDevice();
    if (device) {
      reportDeviceLoss(device, (event) => this.interrupt(event));
      reportOutOfMemory(device, (error) => this.interrupt({ type: 'crashed', message: this.outOfMemoryMessage(error) }));
    }
    const peers = this.peers?.size(info.backend) ?? 0;
    return peers > 0 ? { ...info, peers } : info;
  }

  /** The device is gone: the page is told, and the run is left as its last checkpoint saved it. */
  private interrupt(event: EngineEvent): void {
    this.deviceGone = true;
    this.emit(event);
  }

  /**
   * Whether the device went while the run's step failed. The step's failure (a rejected read, NaN from a destroyed
   * buffer) and the device's lost event race; a task's wait lets the event land first.
   */
  private async interrupted(): Promise<boolean> {
    if (!this.deviceGone) await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.deviceGone) this.emit({ type: 'log', level: 'warn', message: 'The run ended on a lost GPU device: it stays at its last checkpoint.' });
    return this.deviceGone;
  }

  /** What a GPU out-of-memory error means for the work under way: for a run, its estimate and what to change. */
  private outOfMemoryMessage(error: string): string {
    const { run, data } = this.state;
    if (!run?.trainer || !data) return `The GPU ran out of memory (${error}); the engine was restarted.`;
    const advice = outOfMemoryAdvice(this.summary(), run.args.batchSize, run.args.maxLength, data.spec.task);
    return `${advice} (WebGPU: ${error}) The run can be resumed from its last checkpoint with the changed settings.`;
  }

  private async loadModel(spec: ModelSpec, randomInit: boolean): Result<'loadModel'> {
    this.ensureIdle();
    const busy = { kind: 'loading' as const, abort: new AbortController() };
    this.state.busy = busy;
    const pretrained = await loadPretrained(
      sourceFor(spec, this.modelBaseUrl),
      (progress) => this.progress(progress),
      busy.abort.signal,
    ).finally(() => {
      if (this.state.busy === busy) this.state.busy = null;
    });
    if (randomInit) {
      pretrained.tensors = initialCheckpoint(pretrained.config, { pooler: true, mlm: true, classifier: false }, DEFAULT_TRAINING_ARGS.seed);
      pretrained.sourceId = `${pretrained.sourceId} (random init)`;
    }
    const { params, report } = checkpointParams(pretrained.config, pretrained.tensors);
    this.replaceCurrent({ params, config: pretrained.config });
    this.state.model = { pretrained, current: { params, config: pretrained.config }, report, lineage: [] };
    if (this.state.run) this.state.run.result = null;
    if (this.state.data) this.state.data.encoded = null;
    return { summary: this.summary(), groups: buildParamGroups(params, pretrained.config.numHiddenGroups) };
  }

  private async loadData(spec: DataSpec): Result<'loadData'> {
    this.ensureIdle();
    const { tokenizer } = this.requireModel().pretrained;
    const progress = (p: Progress) => this.progress(p);
    const prepared = prepareData(
      { train: spec.train, validation: spec.validation },
      {
        task: spec.task,
        columns: spec.columns,
        regression: spec.regression,
        excludeRows: spec.excludeRows,
        seed: spec.seed ?? DEFAULT_TRAINING_ARGS.seed,
        valSplit: spec.valSplit ?? DEFAULT_TRAINING_ARGS.valSplit,
      },
      progress,
    );
    const { columns } = prepared;
    const all = encodeDataset(prepared.train, tokenizer, { columns, maxLength: FULL_ENCODING_LIMIT, onProgress: progress });
    this.state.data = { spec, prepared, full: all, encoded: null };
    this.baseline.forget();
    const quality = analyzeQuality(prepared.train, {
      columns,
      tokenLengths: all.lengths,
      maxLength: DEFAULT_TRAINING_ARGS.maxLength,
      onProgress: progress,
    });
    const lengths = Array.from(all.lengths);
    return {
      task: spec.task,
      fileName: spec.train.fileName,
      allColumns: prepared.train.columns,
      columns: { text: columns.text, textPair: columns.textPair, label: columns.label },
      preview: prepared.train.rows.slice(0, PREVIEW_ROWS),
      numRows: prepared.train.rows.length,
      numTrain: prepared.split.train.length,
      numValidation: prepared.split.validation.length,
      numExcluded: spec.excludeRows?.length ?? 0,
      labels: prepared.labels?.kind === 'categorical' ? prepared.labels.id2label : undefined,
      regression: prepared.labels?.kind === 'numeric',
      tokenLengths: lengths,
      packing: packingShape(prepared, all.lengths),
      lengthStats: tokenLengthStats(lengths, DEFAULT_TRAINING_ARGS.maxLength),
      quality,
      warnings: prepared.warnings,
    } satisfies DataSummary;
  }

  private async start(partial: Partial<TrainingArgs>, from: 'current' | 'pretrained'): Result<'start'> {
    this.ensureIdle();
    if (from === 'pretrained') this.restorePretrained();
    const init = await this.runInputs(partial, 'training');
    await this.launch(init);
    return { summary: this.summary(), groups: buildParamGroups(init.model.params, init.model.config.numHiddenGroups) };
  }

  /** Puts the loaded checkpoint's weights back; the runs since are forgotten here (their records stay saved). */
  private restorePretrained(): void {
    const model = this.requireModel();
    const { config, tensors } = model.pretrained;
    this.replaceCurrent({ params: checkpointParams(config, tensors).params, config });
    model.lineage = [];
    if (this.state.run) this.state.run.result = null;
  }

  /** Adds the run that just changed the weights to their chain (a run that took no step changed nothing). */
  private link(init: Omit<TrainerInit, 'hooks'>, outcome: RunStatus, steps: number): void {
    if (steps === 0) return;
    const model = this.requireModel();
    model.lineage = [...model.lineage, this.runLink(init.args, outcome, steps)];
    this.emit({ type: 'model', summary: this.summary() });
  }

  /** One run on the loaded data, as the chain behind a model's weights lists it. */
  private runLink(args: TrainingArgs, outcome: RunStatus, steps: number): RunLink {
    const { spec } = this.requireData();
    return { task: spec.task, dataFile: spec.train.fileName, outcome, steps, args };
  }

  /**
   * Starts a run in the background (a new one is saved first; a resumed one keeps its record); its steps,
   * evaluations, checkpoints and end arrive as events.
   */
  private async launch(init: Omit<TrainerInit, 'hooks'>, resume?: TrainerCheckpoint): Promise<void> {
    const hooks: TrainerHooks = {
      onStep: (metrics) => this.emit({ type: 'step', metrics }),
      onEval: (metrics) => this.emit({ type: 'eval', metrics }),
      onEvalProgress: (progress) => this.progress(progress),
      onCheckpoint: (checkpoint, reason) => this.saveCheckpoint(checkpoint, reason),
    };
    const backend = tf.getBackend();
    const count = this.peers?.size(backend) ?? 0;
    const peers = count > 0 ? this.peers!.start(count, init.model.config, backend) : [];
    const stopPeers = () => peers.forEach((peer) => peer.dispose());
    let trainer: Trainer;
    try {
      trainer = new Trainer({ ...init, resume, peers, hooks });
    } catch (err) {
      stopPeers();
      throw err;
    }
    // A resumed run keeps the record openRun brought back.
    const run: RunState = { args: init.args, trainer, result: null, record: resume ? (this.state.run?.record ?? null) : null };
    this.state.run = run;
    if (!resume) run.record = await this.beginRun(init.args, trainer.totalSteps);
    this.emit({ type: 'state', state: 'training' });
    // Beside the run, for the chart and the evaluation panel; failures arrive as `baseline` events.
    if (this.requireData().spec.task === 'classify') this.fitBaseline().catch(() => undefined);
    if (peers.length > 0) this.emit({ type: 'log', level: 'info', message: `Each batch is computed in ${peers.length + 1} parts at once, on ${peers.length + 1} CPU workers.` });
    trainer.run().finally(stopPeers).then(
      async (result) => {
        if (await this.interrupted()) return;
        run.result = result;
        this.link(init, result.outcome, result.steps);
        await this.finishRun(run, result.outcome, result);
        run.trainer = null;
        const state = result.outcome === 'failed' ? 'failed' : 'done';
        this.emit({ type: 'state', state, message: result.message ?? `Training ${result.outcome} after ${result.steps} steps.` });
      },
      async (err: unknown) => {
        if (await this.interrupted()) return;
        const message = isOutOfMemory(err)
          ? `${outOfMemoryAdvice(this.summary(), init.args.batchSize, init.args.maxLength, init.task)} (${(err as Error).message})`
          : (err as Error).message;
        this.link(init, 'failed', trainer.progress().steps);
        await this.finishRun(run, 'failed', null, message);
        run.trainer = null;
        this.emit({ type: 'state', state: 'failed', message });
      },
    );
  }

  /** Saves the run's start (model, data, settings); a storage failure costs the saving, never the run. */
  private async beginRun(args: TrainingArgs, totalSteps: number): Promise<RunRecord | null> {
    if (!this.runs || !this.keepRuns) return null;
    const { pretrained, lineage } = this.requireModel();
    const base = checkpointFiles(pretrained);
    const now = new Date();
    const spec = this.requireData().spec;
    try {
      const store = await this.runs;
      const record = await store.begin(
        {
          id: newRunId(now),
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
          model: pretrained.sourceId,
          dataFile: spec.train.fileName,
          task: spec.task,
          status: 'training',
          step: 0,
          totalSteps,
          checkpointStep: null,
          args,
          lineage,
        },
        base,
        spec,
      );
      this.emit({ type: 'run', run: await store.info(record) });
      return record;
    } catch (err) {
      this.emit({ type: 'log', level: 'warn', message: `This run will not be saved in the browser: ${(err as Error).message}` });
      return null;
    }
  }

  private async saveCheckpoint(checkpoint: TrainerCheckpoint, reason: 'eval' | 'pause'): Promise<void> {
    const run = this.state.run;
    if (!run?.record || !this.runs || this.deviceGone) return;
    try {
      const store = await this.runs;
      run.record = await store.saveCheckpoint(run.record, checkpoint.step, writeCheckpoint(checkpoint), reason === 'pause' ? 'paused' : 'training');
      this.emit({ type: 'run', run: await store.info(run.record) });
    } catch (err) {
      this.emit({ type: 'log', level: 'warn', message: `The checkpoint at step ${checkpoint.step} was not saved: ${(err as Error).message}` });
    }
  }

  /** Records how the run ended, with the weights the model now holds when they are sound, and its history. */
  private async finishRun(run: RunState, status: RunStatus, result: TrainResult | null, message?: string): Promise<void> {
    const record = run.record;
    if (!record || !this.runs) return;
    try {
      const store = await this.runs;
      let final: Uint8Array | null = null;
      try {
        final = await weightsFile(this.requireModel().current.params);
      } catch {
        // Non-finite weights are not kept; the last checkpoint still is.
      }
      const best = result?.best && { step: result.best.step, loss: result.best.loss, accuracy: result.best.classification?.accuracy };
      const history = result ? stringifyNumbers(result.history) : null;
      run.record = await store.finish(record, { status, step: result?.steps ?? record.step, message: result?.message ?? message, best: best ?? undefined }, final, history);
      this.emit({ type: 'run', run: await store.info(run.record) });
    } catch (err) {
      this.emit({ type: 'log', level: 'warn', message: `The end of the run was not saved: ${(err as Error).message}` });
    }
  }

  /**
   * Brings a saved run back: its start model and dataset are loaded as a user would load them (so both are
   * checked again), then the weights it holds: to continue from its checkpoint, or to use the weights it ended with.
   */
  private async openRun(id: string, resume: boolean): Promise<OpenedRun> {
    this.ensureIdle();
    const store = await this.requireRuns();
    // The checkpoint (four copies of the model) is read only when it is what the run continues or ends with.
    const stored = await store.load(id, { checkpoint: (record) => resume || !record.hasFinal });
    const { record } = stored;
    if (resume && !stored.checkpoint) throw new Error(`Saved run ${id} has no checkpoint to continue from.`);
    const base = Object.fromEntries(Object.entries(stored.base).map(([name, bytes]) => [name, new Blob([bytes])]));
    const { groups } = await this.loadModel({ kind: 'local', files: base }, false);
    const model = this.requireModel();
    model.pretrained.sourceId = record.model;
    const data = await this.loadData(stored.data);
    const init = await this.runInputs(record.args, 'opening a run');
    const shapes = new Map([...init.model.params].map(([name, p]) => [name, [...p.shape]]));
    this.state.run = { args: init.args, trainer: null, result: null, record };
    // The weights opened are the saved run's (checkpoint or end) on top of the runs it continued; a resumed
    // run links itself when it ends.
    model.lineage = record.lineage ?? [];
    if (!resume) this.link(init, record.status, stored.checkpoint && !stored.final ? (record.checkpointStep ?? record.step) : record.step);
    let history: OpenedRun['history'] = { steps: [], evals: [] };
    if (stored.checkpoint) {
      const checkpoint = readCheckpoint(stored.checkpoint, shapes);
      history = checkpoint.history;
      if (resume) await this.launch(init, checkpoint);
      else assignParams(init.model.params, checkpoint.params);
    } else if (stored.final) {
      assignParams(init.model.params, readTensors({ 'final.safetensors': stored.final }, 'final.safetensors', shapes));
      if (stored.history) history = parseNumbers(stored.history) as OpenedRun['history'];
    }
    return { run: await store.info(record), summary: this.summary(), groups, data, dataSpec: stored.data, args: init.args, history };
  }

  private async requireRuns(): Promise<RunStore> {
    if (!this.runs || !this.keepRuns) throw new Error('Runs are not kept here.');
    return this.runs;
  }

  /** A learning-rate sweep with the settings `start` would get; the weights stay as they are (see LrSweep). */
  private async findLr(partial: Partial<TrainingArgs>, settings: Partial<LrSweepSettings> | undefined): Result<'findLr'> {
    this.ensureIdle();
    // Marked busy before the first await, so no other command starts while the sweep is being set up.
    const busy = { kind: 'sweeping' as const, abort: new AbortController() };
    this.state.busy = busy;
    const sweeping = busy.abort;
    try {
      const init = await this.runInputs(partial, 'finding a learning rate');
      const sweep = new LrSweep({
        ...init,
        sweep: settings,
        onPoint: (point, step, steps) => {
          this.emit({ type: 'lrSweep', point });
          this.progress({ stage: 'lr-finder', loaded: step, total: steps });
        },
      });
      if (sweeping.signal.aborted) sweep.stop();
      sweeping.signal.addEventListener('abort', () => sweep.stop());
      return { sweep: await sweep.run(), summary: this.summary() };
    } finally {
      if (this.state.busy === busy) this.state.busy = null;
    }
  }

  /** The arguments fitted to the loaded model and data (src/train/suggest.ts), for those the caller left out. */
  private suggested(partial: Partial<TrainingArgs>): Partial<TrainingArgs> {
    const { config } = this.requireModel().pretrained;
    const { data } = this.state;
    const numTrain = data?.prepared.split.train.length ?? 0;
    const batchSize = partial.batchSize ?? DEFAULT_TRAINING_ARGS.batchSize;
    const model = { hiddenSize: config.hiddenSize, numLayers: config.numHiddenLayers };
    return suggestTrainingArgs(model, { task: data?.spec.task ?? 'classify', numTrain }, batchSize).args;
  }

  /** The settings a run gets: the caller's over the suggested ones, checked, within the model's positions. */
  private runArgs(partial: Partial<TrainingArgs>): TrainingArgs {
    const { config } = this.requireModel().pretrained;
    const args = validateTrainingArgs({ ...this.suggested(partial), ...definedOnly(partial) });
    if (args.maxLength > maxSequenceLength(config)) {
      throw new Error(`Max length ${args.maxLength} exceeds the model's ${maxSequenceLength(config)} positions.`);
    }
    return args;
  }

  /** What a run (or a sweep) trains on: checked args, the encoded data, and the model with the task's head. */
  private async runInputs(partial: Partial<TrainingArgs>, purpose: string): Promise<Omit<TrainerInit, 'hooks'>> {
    const model = this.requireModel();
    const { pretrained } = model;
    const { prepared, spec } = this.requireData(purpose);
    let args = this.runArgs(partial);
    // Before anything is allocated: a run too large for the backend is refused with the batch that fits, or made to fit.
    const backend = tf.getBackend();
    const parts = 1 + (this.peers?.size(backend) ?? 0);
    const plan = planMemory(this.summary(), args.batchSize, args.maxLength, spec.task, backend, args.gradientCheckpointing, parts);
    if (plan.note) {
      args = { ...args, gradientCheckpointing: plan.gradientCheckpointing };
      this.emit({ type: 'log', level: 'info', message: plan.note });
    }
    const data = this.encode(args);
    if (spec.task === 'qa') {
      const message = `Cut ${prepared.split.train.length} training questions into ${data.train.length} windows of up to ${args.maxLength} tokens.`;
      this.emit({ type: 'log', level: 'info', message });
    } else if (data.train.length !== prepared.split.train.length) {
      const message = `Packed ${prepared.split.train.length} training rows into ${data.train.length} sequences of up to ${args.maxLength} tokens.`;
      this.emit({ type: 'log', level: 'info', message });
    }
    await this.prepareHead(spec.task, prepared, args);
    const { params, config } = model.current;
    return {
      model: { params, config },
      task: spec.task,
      numLabels: config.numLabels,
      regression: prepared.labels?.kind === 'numeric',
      tokenizer: pretrained.tokenizer,
      args,
      train: data.train,
      validation: data.validation,
      textOf: rowText(prepared),
    };
  }

  private async control(action: 'pause' | 'resume' | 'stop'): Result<'pause'> {
    const trainer = this.requireTrainer();
    trainer[action]();
    if (action === 'stop') this.baseline.cancel();
    this.emit({ type: 'state', state: action === 'pause' ? 'paused' : action === 'resume' ? 'training' : 'stopping' });
    return null;
  }

  private async fitBaseline(): Result<'baseline'> {
    const data = this.requireData('fitting the baseline');
    if (data.spec.task !== 'classify') throw new Error('The linear baseline is for classification and regression, not masked-LM.');
    return this.baseline.run(data.prepared);
  }

  private async evaluate(): Result<'evaluate'> {
    this.ensureIdle();
    const { pretrained, current } = this.requireModel();
    const { prepared, spec } = this.requireData('evaluating');
    const args = this.state.run?.args ?? validateTrainingArgs({});
    const data = this.encode(args);
    const { params, config } = current;
    const architecture = architectureOf(params);
    if (spec.task === 'classify' && !architecture.classifier) throw new Error('This model has no classification head to evaluate.');
    if (spec.task === 'mlm' && !architecture.mlm) throw new Error('This model has no masked-LM head to evaluate.');
    if (spec.task === 'ner' && !classifiesTokens(architecture)) throw new Error('This model has no token-classification head to evaluate.');
    if (spec.task === 'qa' && !architecture.qa) throw new Error('This model has no question-answering head (qa_outputs) to evaluate.');
    const options = evalOptions({
      task: spec.task,
      regression: prepared.labels?.kind === 'numeric',
      numLabels: config.numLabels,
      tokenizer: pretrained.tokenizer,
      args,
      textOf: rowText(prepared),
    });
    return evaluateModel({ params, config }, data.validation, { ...options, onProgress: (progress) => this.progress(progress) }, this.state.run?.result?.steps ?? 0);
  }

  private async predict(examples: { text: string; pair?: string }[], topK: number): Result<'predict'> {
    const { pretrained, current } = this.requireModel();
    return predict(current, pretrained.tokenizer, examples, topK);
  }

  private async attention(text: string, pair: string | undefined, weights: 'current' | 'pretrained'): Promise<AttentionMap> {
    const { pretrained, current } = this.requireModel();
    const { config } = pretrained;
    const original = weights === 'pretrained' ? encoderParams(config, pretrained.tensors) : null;
    try {
      // The current weights run with their own config, which carries a LoRA run's adapters.
      return await attentionMaps(original ? { params: original, config } : current, pretrained.tokenizer, text, pair);
    } finally {
      if (original) disposeParams(original);
    }
  }

  /** The current weights; also while a run is paused, the most natural moment to keep a copy. */
  private async export(options: ExportOptions | null): Result<'export'> {
    const { run, data } = this.state;
    if (!run?.trainer?.paused) this.ensureIdle();
    const { pretrained, current } = this.requireModel();
    if (options?.format === 'web') {
      // Loaded when first asked for: the ONNX schema and graph code stay out of the worker's start.
      const { saveForWeb } = await import('../model/webExport');
      return { files: await saveForWeb(current, pretrained.tokenizer, { quantized: options.quantized ?? false }) };
    }
    if (options?.format === 'peft') {
      const { peftFiles } = await import('../model/peft');
      return { files: await peftFiles(current, data?.spec.task ?? 'classify', pretrained.sourceId) };
    }
    const { params, config } = current;
    const result = run?.result;
    const metrics = run?.trainer
      ? { outcome: 'paused', ...run.trainer.progress() }
      : result && { outcome: result.outcome, weightsFrom: result.weightsFrom, steps: result.steps, best: result.best, history: result.history };
    const files = await savePretrained(current, pretrained.tokenizer, {
      trainingArgs: run ? { ...run.args, task: data?.spec.task, freezeGroups: buildParamGroups(params, config.numHiddenGroups), runs: this.exportedLineage() } : undefined,
      metrics: metrics
        ? {
            ...metrics,
            baseline: data ? this.baseline.reportFor(data.prepared) : undefined,
          }
        : undefined,
    });
    return { files };
  }

  /**
   * Applies a PEFT LoRA adapter to the loaded model, with the head it was trained with: the labels are the loaded
   * dataset's when their number fits the adapter's classifier, LABEL_0… otherwise. Adapters the weights carry are
   * merged in first. Every name and shape is checked before the weights change.
   */
  private async loadAdapter(files: Record<string, Blob>): Result<'loadAdapter'> {
    this.ensureIdle();
    const model = this.requireModel();
    const configFile = files['adapter_config.json'];
    const weights = files['adapter_model.safetensors'];
    if (!configFile) throw new Error('An adapter folder holds adapter_config.json beside its weights; it is missing.');
    if (!weights) throw new Error('An adapter folder holds adapter_model.safetensors; it is missing (PEFT writes adapter_model.bin only with safe_serialization=False, which the studio does not read).');
    const { readPeftAdapter, applyAdapter } = await import('../model/peft');
    const adapter = readPeftAdapter(await configFile.text(), new Uint8Array(await weights.arrayBuffer()), FAMILIES[model.current.config.modelType]);
    const rows = adapter.tensors.get('classifier.weight')?.shape[0] ?? 1;
    const loaded = this.state.data?.prepared.labels;
    const labels: LabelSpace = loaded?.kind === 'categorical' && loaded.id2label.length === rows
      ? loaded
      : { kind: 'categorical', id2label: Array.from({ length: rows }, (_, i) => `LABEL_${i}`), label2id: Object.fromEntries(Array.from({ length: rows }, (_, i) => [`LABEL_${i}`, i])) };
    if (model.current.config.lora) {
      foldAdapters(model.current.params, model.current.config.lora);
      model.current = { ...model.current, config: { ...model.current.config, lora: undefined } };
    }
    const { params, config } = await withTaskHead(model.current, model.pretrained.tensors, adapter.task, labels, 0);
    try {
      this.replaceCurrent({ params, config: applyAdapter(params, config, adapter) });
    } catch (err) {
      if (params !== model.current.params) disposeParams(params);
      throw err;
    }
    const base = adapter.baseModel && adapter.baseModel !== model.pretrained.sourceId ? ` (trained on ${adapter.baseModel}; the loaded model is ${model.pretrained.sourceId})` : '';
    this.emit({ type: 'log', level: base ? 'warn' : 'info', message: `Applied a LoRA adapter: r=${adapter.settings.rank}, alpha ${adapter.settings.alpha}, on ${adapter.settings.targets.join(', ')}${base}.` });
    const current = this.requireModel().current;
    return { summary: this.summary(), groups: buildParamGroups(current.params, current.config.numHiddenLayers) };
  }

  /** The scale-out recipe of the run these settings would start from the loaded checkpoint (see the protocol). */
  private async recipe(partial: Partial<TrainingArgs>): Result<'recipe'> {
    if (!this.state.run?.trainer?.paused) this.ensureIdle();
    const { pretrained } = this.requireModel();
    const { prepared, spec } = this.requireData('writing a recipe');
    if (spec.task === 'ner' || spec.task === 'qa') {
      throw new Error(`The scale-out recipe covers classification and masked-LM; ${spec.task === 'ner' ? 'token classification' : 'question answering'} is not in train.py yet.`);
    }
    const args = this.runArgs(partial);
    if (args.loraRank > 0) throw new Error('The scale-out recipe fine-tunes every weight; LoRA runs (a LoRA rank above 0) are not in train.py yet.');
    const data = this.encode(args);
    const files = buildRecipe({
      task: spec.task,
      args,
      modelId: pretrained.sourceId,
      labels: prepared.labels,
      examples: { train: data.train.length, validation: data.validation.length },
      steps: runLength(data.train, args),
      modelFiles: checkpointFiles(pretrained),
      split: splitRecords(prepared),
    });
    return { files };
  }

  /** The chain of runs behind the exported weights, the paused run in progress included. */
  private exportedLineage(): RunLink[] {
    const { run, data } = this.state;
    const { lineage } = this.requireModel();
    if (!run?.trainer || !data) return lineage;
    return [...lineage, this.runLink(run.args, 'paused', run.trainer.progress().steps)];
  }

  /**
   * Builds (or keeps) the parameters with the head the task needs, starting from the current weights; a LoRA run
   * (loraRank > 0) adds fresh adapters. Adapters an earlier run left are merged into the weights first, so each
   * run's adapters start from the model as it stands.
   */
  private async prepareHead(task: Task, prepared: PreparedData, args: TrainingArgs): Promise<void> {
    const model = this.requireModel();
    if (model.current.config.lora) {
      foldAdapters(model.current.params, model.current.config.lora);
      model.current = { ...model.current, config: { ...model.current.config, lora: undefined } };
    }
    const { current, pretrained } = model;
    const headed = await withTaskHead(current, pretrained.tensors, task, prepared.labels, args.seed);
    const { params, taken, initialised } = headed;
    let { config } = headed;
    if (taken.length > 0) {
      this.emit({ type: 'log', level: 'info', message: `Taken from the pretrained checkpoint: ${this.storedNames(taken).join(', ')}` });
    }
    if (initialised.length > 0) {
      this.emit({ type: 'log', level: 'info', message: `Newly initialised: ${this.storedNames(initialised).join(', ')}` });
    }
    if (args.loraRank > 0) {
      if (task === 'mlm') throw new Error('LoRA trains adapters and a new task head: choose classification, token classification or question answering, or set the LoRA rank to 0 for masked-LM.');
      const lora = { rank: args.loraRank, alpha: args.loraAlpha, dropout: args.loraDropout, targets: parseLoraTargets(args.loraTargets) };
      addAdapters(params, config, lora, args.seed);
      config = { ...config, lora };
      const counts = loraCounts(params, loraTrainableNames(buildParamGroups(params, config.numHiddenLayers)));
      const share = (100 * counts.trainable) / counts.total;
      this.emit({ type: 'log', level: 'info', message: `LoRA r=${lora.rank} on ${lora.targets.join(', ')}: ${counts.trainable.toLocaleString('en-US')} trainable parameters (${share.toFixed(2)}% of ${counts.total.toLocaleString('en-US')}; adapters ${counts.adapters.toLocaleString('en-US')}).` });
    }
    this.replaceCurrent({ params, config });
  }

  private encode(args: Pick<TrainingArgs, 'maxLength' | 'packSequences'>): EncodedData {
    const { maxLength, packSequences: pack } = args;
    const loaded = this.requireData();
    if (loaded.encoded?.maxLength !== maxLength || loaded.encoded.pack !== pack) {
      const { prepared, full } = loaded;
      const data = encodePrepared(prepared, this.requireModel().pretrained.tokenizer, {
        maxLength,
        pack,
        full,
        onProgress: (progress) => this.progress(progress),
      });
      loaded.encoded = { maxLength, pack, data };
    }
    return loaded.encoded.data;
  }

  private summary(): ModelSummary {
    const { pretrained, current, report, lineage } = this.requireModel();
    const { sourceId, tensors } = pretrained;
    // The weights as they are now: a run may have given them another task's head.
    const { config, params } = current;
    // The model's own weights: a LoRA run's adapters are counted where they are shown (lora, the run's log).
    let numParams = 0;
    for (const [name, variable] of params) if (!isLoraParam(name)) numParams += variable.size;
    return {
      source: sourceId,
      numLayers: config.numHiddenLayers,
      numLayerGroups: config.numHiddenGroups,
      hiddenSize: config.hiddenSize,
      numHeads: config.numAttentionHeads,
      intermediateSize: config.intermediateSize,
      vocabSize: config.vocabSize,
      maxPositions: maxSequenceLength(config),
      numParams,
      loadReport: {
        missing: this.storedNames(report.missing),
        unexpected: this.storedNames(report.unexpected),
        initialised: this.storedNames(report.initialised),
        tied: this.storedNames(report.tied),
      },
      architectures: config.architectures ?? [],
      id2label: Object.fromEntries(config.id2label.map((label, i) => [String(i), label])),
      lineage,
      heads: architectureOf(params),
      checkpointHeads: checkpointArchitecture(tensors),
      lora: config.lora ?? null,
    };
  }

  /** Parameter names as the loaded model's family saves them (DistilBERT's `pre_classifier`, not the shared pooler). */
  private storedNames(names: readonly string[]): string[] {
    const { pretrained, current } = this.requireModel();
    const { storedName } = FAMILIES[pretrained.config.modelType];
    const architecture = architectureOf(current.params);
    return names.map((name) => storedName(name, architecture));
  }

  /** Puts `next` in place of the current weights (of the loaded model, if any), disposing of the old ones. */
  private replaceCurrent(next: Current): void {
    const model = this.state.model;
    if (!model) return;
    if (model.current.params !== next.params) disposeParams(model.current.params);
    model.current = next;
  }

  private requireModel(): LoadedModel {
    if (!this.state.model) throw new Error('Load a model first.');
    return this.state.model;
  }

  private requireData(purpose = 'training'): LoadedData {
    if (!this.state.data) throw new Error(`Load a dataset before ${purpose}.`);
    return this.state.data;
  }

  private requireTrainer(): Trainer {
    const trainer = this.state.run?.trainer;
    if (!trainer) throw new Error('No training run is in progress.');
    return trainer;
  }

  private ensureIdle(): void {
    if (this.state.run?.trainer) throw new Error('A training run is in progress: pause or stop it first.');
    if (this.state.busy?.kind === 'sweeping') throw new Error('The learning-rate finder is running: wait for it or cancel it first.');
  }
}

/**
 * A lost GPU device (a driver reset, another tab's crash, `device.destroy()`) leaves every tensor of this worker
 * unusable: the page is told as it is of a crashed worker, and starts a new one that offers the run back from its
 * last checkpoint.
 */
export function reportDeviceLoss(device: Pick<GPUDevice, 'lost'>, emit: (event: EngineEvent) => void): void {
  void device.lost.then((info) => emit({ type: 'crashed', message: `The GPU device was lost (${info.message || info.reason})` }));
}

/**
 * WebGPU reports a failed allocation as a GPUOutOfMemoryError on the device's `uncapturederror` event, not as a
 * thrown error: tfjs would carry on with an invalid buffer, and a run on garbage. Such a device is treated as lost:
 * the page restarts the worker and offers the run back from its last checkpoint, with the memory advice. Reported
 * once, however many errors the failing step raises.
 */
export function reportOutOfMemory(device: Pick<GPUDevice, 'addEventListener'>, report: (error: string) => void): void {
  let reported = false;
  device.addEventListener('uncapturederror', (event) => {
    const { error } = event as GPUUncapturedErrorEvent;
    if (reported || typeof GPUOutOfMemoryError === 'undefined' || !(error instanceof GPUOutOfMemoryError)) return;
    reported = true;
    report(error.message || 'out of memory');
  });
}

/** partial without its undefined fields, so spreading it keeps the values underneath. */
function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The request with every file read to its text: the run keeps (and saves) texts, never File handles. A file that
 * cannot fit the parser's limit is refused before it is read (UTF-8 needs at most 3 bytes per UTF-16 unit).
 */
async function readDataFiles(request: DataRequest): Promise<DataSpec> {
  const read = async ({ fileName, text }: DataFile): Promise<TextFile> => {
    if (typeof text === 'string') return { fileName, text };
    const { maxChars } = DEFAULT_PARSE_LIMITS;
    if (text.size / 3 > maxChars) {
      throw new DataError('too-large', `"${fileName}" has ${text.size.toLocaleString('en')} bytes; the limit is ${maxChars.toLocaleString('en')} characters.`, { file: fileName });
    }
    try {
      return { fileName, text: await text.text() };
    } catch (err) {
      throw new DataError('unreadable', `"${fileName}" could not be read (${(err as Error).message}); pick it again.`, { file: fileName });
    }
  };
  return { ...request, train: await read(request.train), validation: request.validation && (await read(request.validation)) };
}
