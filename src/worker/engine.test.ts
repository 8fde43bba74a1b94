import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureModel, toySentimentCsv } from '../../tools/testing/fixtures';
import { startHubServer } from '../../tools/testing/hubServer';
import { Engine } from './engine';
import type { EngineEvent } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Engine', () => {
  it('answers commands out of order with a rejected promise and a message, never a throw', async () => {
    const engine = new Engine(() => undefined, '/');
    await expect(engine.handle({ id: 1, command: 'setLive', params: { learningRate: 1e-4 } })).rejects.toThrow(/No training run/);
    await expect(
      engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'a.csv', text: 'text,label\na,b\n' } } }),
    ).rejects.toThrow(/Load a model first/);
    await expect(engine.handle({ id: 3, command: 'export', params: null })).rejects.toThrow(/Load a model first/);
  });

  it('reports a bad data file as a clear message and keeps the loaded model', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    await expect(
      engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'bad.jsonl', text: '{"text": "a"\n' } } }),
    ).rejects.toThrow(/line 1/i);
    const data = await engine.handle({ id: 3, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    expect(data).toMatchObject({ numRows: 40, labels: ['negative', 'positive'] });
  });

  it('packs the lines of a TXT document into full sequences for MLM unless told not to', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const documents = Array.from({ length: 4 }, (_, d) => Array.from({ length: 10 }, (_, k) => `line ${k} of document ${d}`).join('\n'));
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'mlm', train: { fileName: 'domain.txt', text: documents.join('\n\n') } } });
    const run = async (id: number, packSequences: boolean) => {
      events.length = 0;
      await engine.handle({ id, command: 'start', params: { args: { packSequences, maxLength: 32, maxSteps: 1, batchSize: 4 } } });
      while (!events.some((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'))) await new Promise((r) => setTimeout(r, 10));
      return events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    };
    const packedLogs = await run(3, true);
    const packed = packedLogs.find((m) => m.startsWith('Packed'));
    expect(packed).toMatch(/^Packed 36 training rows into (\d+) sequences of up to 32 tokens\.$/);
    expect(Number(/into (\d+)/.exec(packed!)![1])).toBeLessThan(36);
    expect((await run(4, false)).some((m) => m.startsWith('Packed'))).toBe(false);
  });

  it('cancels a model download and keeps the model loaded before', async () => {
    const hub = await startHubServer({ 'org/base': `${FIXTURES_DIR}/base` }, { chunkBytes: 1024, chunkDelayMs: 20 });
    try {
      const engine = new Engine((event) => {
        if (event.type === 'progress' && event.progress.item === 'model.safetensors' && event.progress.loaded > 0) {
          void engine.handle({ id: 9, command: 'cancelLoad', params: null });
        }
      }, '/');
      // The model loaded first (hidden 16) differs from the one whose download is cancelled (hidden 32).
      await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('no-pooler') } });
      await expect(
        engine.handle({ id: 2, command: 'loadModel', params: { model: { kind: 'hub', repo: 'org/base', endpoint: hub.endpoint } } }),
      ).rejects.toThrow('The download of model.safetensors was cancelled.');
      const { files } = (await engine.handle({ id: 3, command: 'export', params: null })) as { files: Record<string, Uint8Array> };
      expect(JSON.parse(new TextDecoder().decode(files['config.json']))).toMatchObject({ hidden_size: 16 });
      expect(await engine.handle({ id: 4, command: 'cancelLoad', params: null })).toBeNull();
    } finally {
      await hub.close();
    }
  });
});
