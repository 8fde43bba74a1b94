import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel, toySentimentCsv } from '../../tools/testing/fixtures';
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
});
