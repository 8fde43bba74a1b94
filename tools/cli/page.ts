// The CLI's page: drives the engine worker through the same protocol as the UI, one command per run.
import { parseDataset } from '../../src/data/parse';
import { detectColumns } from '../../src/data/columns';
import { qaItem } from '../../src/data/qa';
import { startEngineWorker, type EngineClient } from '../../src/worker/client';
import { DEFAULT_MODEL, type BaselineStatus, type EngineEvent, type LrSweepResult, type ModelSpec } from '../../src/worker/protocol';
import type { ColumnFlags, ModelRef } from './args';
import type { CliRequest, CliResult, PredictionLine, TextFile } from './protocol';

function modelSpec(model: ModelRef): ModelSpec {
  if (model.kind === 'hub') return { kind: 'hub', repo: model.repo, endpoint: model.endpoint, revision: model.revision };
  if (model.kind === 'bundled') return { kind: 'bundled', name: DEFAULT_MODEL };
  throw new Error('model folders are served to the page as a local Hub repo');
}

function logEvents(engine: EngineClient): Promise<EngineEvent & { type: 'state' }> {
  let lastProgress = 0;
  return new Promise((resolve) => {
    engine.onEvent((event) => {
      if (event.type === 'step') {
        const m = event.metrics;
        void window.cliLog(
          `step ${m.step}/${m.totalSteps} epoch ${m.epoch.toFixed(2)} loss ${m.loss.toFixed(4)} ` +
            `grad ${m.gradNorm.toFixed(3)} ${m.examplesPerSec.toFixed(1)} ex/s ${m.tokensPerSec.toFixed(0)} tok/s`,
        );
      } else if (event.type === 'eval') {
        const m = event.metrics;
        const extra = m.answers
          ? `exact match ${m.answers.exactMatch.toFixed(4)} F1 ${m.answers.f1.toFixed(4)} over ${m.answers.questions} questions`
          : m.entities
          ? `entity F1 ${m.entities.micro.f1.toFixed(4)} precision ${m.entities.micro.precision.toFixed(4)} recall ${m.entities.micro.recall.toFixed(4)}`
          : m.classification
          ? `accuracy ${m.classification.accuracy.toFixed(4)} macro-F1 ${m.classification.macroF1.toFixed(4)}`
          : m.maskedAccuracy !== undefined
            ? `masked accuracy ${m.maskedAccuracy.toFixed(4)} perplexity ${m.perplexity!.toFixed(2)}`
            : `mse ${m.mse?.toFixed(4)}`;
        void window.cliLog(`eval step ${m.step} epoch ${m.epoch} loss ${m.loss.toFixed(4)} ${extra}${m.isBest ? ' (best)' : ''}`);
      } else if (event.type === 'progress') {
        const now = Date.now();
        if (now - lastProgress > 1000 || event.progress.loaded === event.progress.total) {
          lastProgress = now;
          const total = event.progress.total === undefined ? '' : `/${event.progress.total}`;
          void window.cliLog(`${event.progress.stage} ${event.progress.item ?? ''} ${event.progress.loaded}${total}`);
        }
      } else if (event.type === 'log') {
        void window.cliLog(event.message);
      } else if (event.type === 'baseline' && event.status.state !== 'running') {
        void window.cliLog(baselineLine(event.status));
      } else if (event.type === 'state' && (event.state === 'done' || event.state === 'failed')) {
        resolve(event);
      }
    });
  });
}

function baselineLine(status: Exclude<BaselineStatus, { state: 'running' }>): string {
  if (status.state !== 'done') return `linear baseline ${status.state}${status.state === 'failed' ? `: ${status.message}` : ''}`;
  const r = status.report;
  const scores = r.kind === 'classification'
    ? `accuracy ${r.accuracy!.toFixed(4)} macro-F1 ${r.macroF1!.toFixed(4)}`
    : `rmse ${r.rmse!.toFixed(4)} pearson ${r.pearson!.toFixed(4)}`;
  return `linear baseline: ${scores} (${r.trainRows} of ${r.trainRowsAvailable} training rows, ${r.iterations} iterations, ${r.seconds.toFixed(1)} s)`;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The last export's files, kept here for the Node side to read in chunks (readChunk), with their sizes. */
let exported: Record<string, Uint8Array> = {};

function keep(files: Record<string, Uint8Array>): Record<string, number> {
  exported = files;
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, bytes.length]));
}

function readChunk(name: string, offset: number, length: number): string {
  const bytes = exported[name];
  if (!bytes) throw new Error(`no exported file ${name}`);
  return base64(bytes.subarray(offset, offset + length));
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The model's predictions for every row of `data`, as predict's JSONL records (Hugging Face field names). A
 * question-answering model (`answers`) reads the file as SQuAD JSON or squad-layout rows: each question with its context.
 */
async function predictLines(engine: EngineClient, data: TextFile, flags: ColumnFlags, answers: boolean): Promise<PredictionLine[]> {
  const examples = answers ? questionExamples(data) : columnExamples(data, flags);
  const predictions = await engine.call('predict', { examples });
  return predictions.map((p) => ({
    text: p.text,
    ...(p.pair === undefined ? {} : { text_pair: p.pair }),
    input_ids: p.inputIds,
    token_type_ids: p.tokenTypeIds,
    logits: p.logits,
    label: p.label ?? null,
    ...(p.fillMask ? { fill_mask: p.fillMask } : {}),
    ...(p.entities ? { entities: p.entities.map((e) => ({ entity_group: e.label, start: e.start, end: e.end, word: p.text.slice(e.start, e.end) })) } : {}),
    ...(p.answer !== undefined ? { answer: p.answer && { answer: p.answer.text, start: p.answer.start, end: p.answer.end, score: p.answer.score } } : {}),
  }));
}

function columnExamples(data: TextFile, flags: ColumnFlags): { text: string; pair?: string }[] {
  const dataset = parseDataset(data.text, data.fileName);
  const columns = detectColumns(dataset, { text: flags.text, textPair: flags.textPair ?? null, label: null });
  return dataset.rows.map((row) => ({
    text: String(row[columns.text] ?? ''),
    pair: columns.textPair === undefined ? undefined : String(row[columns.textPair] ?? ''),
  }));
}

function questionExamples(data: TextFile): { text: string; pair: string }[] {
  const dataset = parseDataset(data.text, data.fileName, undefined, { format: 'squad' });
  return dataset.rows.map((row, i) => {
    const { question, context } = qaItem(row, i);
    return { text: question, pair: context };
  });
}

/** --lr auto: the learning-rate finder with the run's settings; its suggestion goes to stderr. */
async function findLr(engine: EngineClient, args: Record<string, unknown>): Promise<LrSweepResult> {
  const { sweep } = await engine.call('findLr', { args });
  const diverged = sweep.divergedLr === null ? 'no divergence' : `diverged at ${sweep.divergedLr.toExponential(2)}`;
  const found = sweep.suggestion ? `suggests ${sweep.suggestion.lr}${sweep.suggestion.capped ? ' (capped below the divergence)' : ''}` : 'found nothing';
  void window.cliLog(`lr finder: ${found} after ${sweep.points.length} steps, ${diverged}`);
  return sweep;
}

async function run(request: CliRequest): Promise<CliResult> {
  const engine = startEngineWorker();
  try {
    const finished = logEvents(engine);
    // auto: the engine's one rule (WebGPU on a hardware adapter, else wasm).
    const info = await engine.call('init', { backend: request.backend === 'auto' ? undefined : request.backend, keepRuns: false });
    void window.cliLog(`backend ${info.backend}${info.adapter ? ` (${info.adapter})` : ''}`);
    const { command } = request;
    const setup = command.kind === 'train' || command.kind === 'export-recipe' ? command : undefined;
    const { summary } = await engine.call('loadModel', { model: modelSpec(command.model), randomInit: setup?.randomInit });
    void window.cliLog(`model ${summary.source}: ${summary.numLayers} layers, hidden ${summary.hiddenSize}, ${summary.numParams} parameters`);

    if (command.kind === 'export-onnx') return { files: keep((await engine.call('export', { format: 'web', quantized: command.quantized })).files) };
    const { data } = request;
    if (!data) throw new Error(`${command.kind} needs --data`);
    // Every family names its heads alike: …ForMaskedLM, …ForTokenClassification (BertForMaskedLM, ElectraFor…).
    const names = summary.architectures;
    const headed = (suffix: string): boolean => names.some((n) => n.endsWith(suffix));
    const task = setup ? setup.task : headed('ForMaskedLM') ? 'mlm' : headed('ForTokenClassification') ? 'ner' : headed('ForQuestionAnswering') ? 'qa' : 'classify';
    if (command.kind === 'predict') return { lines: await predictLines(engine, data, command.columns, task === 'qa') };

    await engine.call('loadData', {
      task,
      train: request.trainData ?? data,
      validation: command.kind === 'eval' ? data : request.valData,
      columns: command.columns,
      regression: setup?.regression,
      // --seed and --val-split shape the train/validation split as well as the run.
      seed: numberOr(setup?.overrides.seed),
      valSplit: numberOr(setup?.overrides.valSplit),
    });
    if (command.kind === 'eval') {
      const metrics = await engine.call('evaluate', null);
      if (!request.trainData) {
        void window.cliLog('eval: pass --train-data FILE to fit the linear baseline on it and score it here beside the model');
        return { metrics };
      }
      return { metrics: { ...metrics, baseline: await engine.call('baseline', null) } };
    }

    const args: Record<string, unknown> = { ...command.overrides };
    if (command.freeze !== undefined) args.freeze = command.freeze;
    const sweep = command.findLr ? await findLr(engine, args) : null;
    if (sweep?.suggestion) args.learningRate = sweep.suggestion.lr;
    else if (sweep) return { error: `--lr auto found no learning rate: ${sweep.problem} Pass a rate with --lr.` };
    if (command.kind === 'export-recipe') return { files: keep((await engine.call('recipe', { args })).files) };
    await engine.call('start', { args });
    const state = await finished;
    void window.cliLog(state.message ?? state.state);
    if (state.state === 'failed') {
      // The engine restored the best (or last good) weights: export them beside the error, unless they are bad too.
      const rescued = await engine.call('export', null).catch(() => null);
      return { error: state.message ?? 'training failed', files: rescued ? keep(rescued.files) : undefined };
    }
    // The export's metrics.json records the baseline once it is fitted; a failure is logged from its event.
    if (command.task === 'classify') await engine.call('baseline', null).catch(() => undefined);
    const { files } = await engine.call('export', null);
    if (Number(args.loraRank ?? 0) > 0) {
      // Beside the merged weights, the adapter alone, for PeftModel.from_pretrained on the untouched checkpoint.
      const adapter = await engine.call('export', { format: 'peft' });
      for (const [name, bytes] of Object.entries(adapter.files)) files[`adapter/${name}`] = bytes;
    }
    if (sweep) files['lr_finder.json'] = new TextEncoder().encode(`${JSON.stringify(sweep, null, 2)}\n`);
    return {
      files: keep(files),
      lines: request.predictData ? await predictLines(engine, request.predictData, command.columns, task === 'qa') : undefined,
    };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    engine.terminate();
  }
}

window.cliEngine = { run, readChunk };
