import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, toySentimentCsv } from '../../tools/testing/fixtures';
import { memoryBlobStore, type BlobStore } from '../io/blobStore';
import { Engine } from './engine';
import type { EngineCommands, EngineEvent, RunInfo, StepMetrics } from './protocol';
import { RunStore } from '../train/runStore';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARGS = { batchSize: 8, maxLength: 16, epochs: 3, evalEvery: 4, learningRate: 1e-3, seed: 2, earlyStoppingPatience: 20 };
const DATA = { task: 'classify' as const, train: { fileName: 'toy.csv', text: toySentimentCsv(64) } };

/** An engine over `files`, with the events it sent and a way to wait for one. */
function engineOver(files: BlobStore, onEvent: (event: EngineEvent, engine: Engine) => void = () => undefined) {
  const events: EngineEvent[] = [];
  let id = 1;
  const engine: Engine = new Engine((event) => {
    events.push(event);
    onEvent(event, engine);
  }, '/', Promise.resolve(new RunStore(files)));
  const call = <K extends keyof EngineCommands>(command: K, params: EngineCommands[K]['params']) =>
    engine.handle({ id: id++, command, params } as never) as Promise<EngineCommands[K]['result']>;
  const until = async (test: (e: EngineEvent) => boolean) => {
    while (!events.some(test)) await new Promise((r) => setTimeout(r, 5));
  };
  const losses = () => events.flatMap((e) => (e.type === 'step' ? [e.metrics] : [])).map((m: StepMetrics) => [m.step, m.loss]);
  return { engine, events, call, until, losses };
}

const ended = (e: EngineEvent) => e.type === 'state' && (e.state === 'done' || e.state === 'failed');

describe('saved runs', () => {
  it('survive a crash: a new engine lists the run and resumes it with the losses of the uninterrupted run', async () => {
    const whole = engineOver(memoryBlobStore());
    await whole.call('loadModel', { model: fixtureModel('base') });
    await whole.call('loadData', DATA);
    await whole.call('start', { args: ARGS });
    await whole.until(ended);

    // The same run, abandoned after step 10 as a closed tab would (the engine just stops being driven).
    const files = memoryBlobStore();
    const crashed = engineOver(files, (event, engine) => {
      if (event.type === 'step' && event.metrics.step === 10) void engine.handle({ id: 99, command: 'pause', params: null });
    });
    await crashed.call('loadModel', { model: fixtureModel('base') });
    await crashed.call('loadData', DATA);
    await crashed.call('start', { args: ARGS });
    await crashed.until((e) => e.type === 'run' && e.run.status === 'paused');

    const reloaded = engineOver(files);
    const { runs, storage } = await reloaded.call('listRuns', null);
    expect(storage).toBe('memory');
    expect(runs).toHaveLength(1);
    const run: RunInfo = runs[0];
    expect(run).toMatchObject({ status: 'paused', checkpointStep: 10, resumable: true, dataFile: 'toy.csv', task: 'classify' });
    expect(run.bytes).toBeGreaterThan(0);

    const opened = await reloaded.call('resumeRun', { id: run.id });
    expect(opened.data.numRows).toBe(64);
    expect(opened.history.steps).toHaveLength(10);
    await reloaded.until(ended);
    const total = whole.losses().length;
    expect(reloaded.losses()).toEqual(whole.losses().slice(10));
    expect(total).toBeGreaterThan(20);

    const [done] = (await reloaded.call('listRuns', null)).runs;
    expect(done).toMatchObject({ id: run.id, status: 'done', step: total, resumable: false });
    const exportOf = async (e: ReturnType<typeof engineOver>) => (await e.call('export', null)).files['model.safetensors'];
    expect(await exportOf(reloaded)).toEqual(await exportOf(whole));

    // Reopened later, the run brings back the weights it ended with and its history, without training.
    const later = engineOver(files);
    const reopened = await later.call('openRun', { id: run.id });
    expect(reopened.history.steps).toHaveLength(total);
    expect(await exportOf(later)).toEqual(await exportOf(whole));

    await later.call('deleteRun', { id: run.id });
    expect((await later.call('listRuns', null)).runs).toEqual([]);
  });

  it('stay at their last checkpoint when the GPU device is lost: nothing the failing steps produce is written', async () => {
    const files = memoryBlobStore();
    const lost = engineOver(files, (event, engine) => {
      // What the device's lost (or out-of-memory) event does; the steps after it are what a dead device computes.
      if (event.type === 'step' && event.metrics.step === 10) (engine as unknown as { interrupt(e: EngineEvent): void }).interrupt({ type: 'crashed', message: 'lost' });
    });
    await lost.call('loadModel', { model: fixtureModel('base') });
    await lost.call('loadData', DATA);
    await lost.call('start', { args: ARGS });
    await lost.until((e) => e.type === 'log' && /lost GPU device/.test(e.message));
    expect(lost.events.some((e) => e.type === 'step' && e.metrics.step > 10)).toBe(true);
    expect(lost.events.some(ended)).toBe(false);
    const [run] = (await engineOver(files).call('listRuns', null)).runs;
    expect(run).toMatchObject({ status: 'training', checkpointStep: 8, resumable: true });
  });

  it('refuse a dataset that changed in storage, and list a run whose record is unreadable as damaged', async () => {
    const files = memoryBlobStore();
    const first = engineOver(files);
    await first.call('loadModel', { model: fixtureModel('base') });
    await first.call('loadData', DATA);
    await first.call('start', { args: { ...ARGS, maxSteps: 4 } });
    await first.until(ended);
    const [run] = (await first.call('listRuns', null)).runs;
    await files.write(`runs/${run.id}/data.json`, JSON.stringify({ ...DATA, train: { fileName: 'toy.csv', text: toySentimentCsv(63) } }));
    await expect(first.call('openRun', { id: run.id })).rejects.toThrow(/does not match the one the run trained on/);
    await files.write(`runs/${run.id}/meta.json`, '{');
    const [damaged] = (await first.call('listRuns', null)).runs;
    expect(damaged).toMatchObject({ id: run.id, status: 'damaged', resumable: false });
    expect(damaged.message).toMatch(/meta.json is not valid JSON/);
  });

  it('keep the previous checkpoint when a save is interrupted before the pointer switch', async () => {
    const files = memoryBlobStore();
    let failWrites = false;
    const flaky: BlobStore = {
      ...files,
      write: async (path, data) => {
        if (failWrites && path.endsWith('moments.safetensors')) throw new Error('QuotaExceededError');
        return files.write(path, data);
      },
    };
    const engine = engineOver(flaky, (event) => {
      if (event.type === 'run' && event.run.checkpointStep === 4) failWrites = true;
    });
    await engine.call('loadModel', { model: fixtureModel('base') });
    await engine.call('loadData', DATA);
    await engine.call('start', { args: { ...ARGS, maxSteps: 12 } });
    await engine.until(ended);
    expect(engine.events.some((e) => e.type === 'log' && /checkpoint at step 8 was not saved: QuotaExceededError/.test(e.message))).toBe(true);
    const [run] = (await engine.call('listRuns', null)).runs;
    expect(run).toMatchObject({ status: 'done', checkpointStep: 4, step: 12 });
    const folders = new Set((await files.list(`runs/${run.id}`)).filter((f) => f.path.includes('/ckpt-')).map((f) => f.path.split('/')[2]));
    expect([...folders]).toEqual(['ckpt-4']);
  });
});
