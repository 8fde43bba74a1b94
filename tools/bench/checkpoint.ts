// `npm run bench:checkpoint`: a saved run's checkpoint at bert-base shapes (110M parameters): writing it to files,
// storing them as the worker does (RunStore over an in-memory BlobStore: OPFS and IndexedDB take the same Blobs),
// switching the pointer, and reading it back with every check. Synthetic weights; Node's V8, as Chromium's worker.
import { parameterShapes } from '../../src/model/bert/params';
import { parseBertConfig } from '../../src/model/bert/config';
import { memoryBlobStore } from '../../src/io/blobStore';
import { readCheckpoint, writeCheckpoint, type TrainerCheckpoint } from '../../src/train/checkpoint';
import { RunStore } from '../../src/train/runStore';
import { DEFAULT_TRAINING_ARGS } from '../../src/train/defaults';
import { BERT_BASE, syntheticBertBase } from '../testing/bertBase';

async function main(): Promise<void> {
  const architecture = { pooler: true, mlm: false, classifier: true };
  const shapes = parameterShapes(parseBertConfig(BERT_BASE), architecture);
  const params = syntheticBertBase(architecture);
  const numParams = [...params.values()].reduce((n, p) => n + p.data.length, 0);
  const slots = Object.fromEntries([...params].map(([name, p]) => [name, { step: 100, shape: p.shape, m: p.data, v: p.data }]));
  const checkpoint: TrainerCheckpoint = {
    step: 100,
    params,
    optimizer: { slots },
    best: { metrics: { step: 100, epoch: 1, loss: 0.3, isBest: true }, weights: params },
    earlyStopping: { best: { step: 100, value: 0.3 }, sinceBest: 0 },
    live: { settings: {}, freeze: null },
    history: { steps: [], evals: [] },
  };
  const store = new RunStore(memoryBlobStore());
  const now = new Date().toISOString();
  let record = await store.begin(
    { id: 'bench', createdAt: now, updatedAt: now, model: 'bert-base shapes', dataFile: 'x.csv', task: 'classify', status: 'training', step: 0, totalSteps: 1000, checkpointStep: null, args: DEFAULT_TRAINING_ARGS },
    { 'config.json': new TextEncoder().encode('{}') },
    { task: 'classify', train: { fileName: 'x.csv', text: 'text,label\na,b\n' } },
  );
  const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await work();
    console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return result;
  };
  console.log(`bert-base shapes: ${(numParams / 1e6).toFixed(1)}M parameters`);
  const files = await time('writeCheckpoint (params, moments, best → safetensors + state.json)', () => writeCheckpoint(checkpoint));
  const bytes = Object.values(files).reduce((n, f) => n + f.length, 0);
  console.log(`checkpoint size: ${(bytes / 2 ** 30).toFixed(2)} GiB in ${Object.keys(files).length} files`);
  record = await time('store + switch pointer (first)', () => store.saveCheckpoint(record, 100, files, 'training'));
  record = await time('store + switch pointer (replacing the first)', () => store.saveCheckpoint(record, 200, files, 'training'));
  const stored = await time('load from the store', () => store.load('bench'));
  await time('readCheckpoint with every check', () => readCheckpoint(stored.checkpoint!, shapes));
  console.log(`peak RSS: ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`);
}

void main();
