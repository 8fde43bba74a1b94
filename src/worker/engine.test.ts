import * as tf from '@tensorflow/tfjs';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureModel, toyNerConll, toySentimentCsv, toySquadJson } from '../../tools/testing/fixtures';
import { startHubServer } from '../../tools/testing/hubServer';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { unzipFiles } from '../io/zip';
import { Engine, reportDeviceLoss, reportOutOfMemory } from './engine';
import { localPeer, type PeerPool } from '../train/parallel';
import { RECIPE_TRAINING_KEYS, type RecipeConfig } from '../train/recipe/config';
import type { DataSummary, EngineCommands, EngineEvent, ModelSpec } from './protocol';

type FindLrResult = EngineCommands['findLr']['result'];

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

  it('reads a picked file (a Blob) in the worker, and refuses one past the size limit before reading it', async () => {
    const engine = new Engine(() => undefined, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const text = toySentimentCsv(40);
    const data = await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: new Blob([text]) } } });
    expect(data).toMatchObject({ numRows: 40, labels: ['negative', 'positive'] });
    let read = false;
    const huge = { size: 2 ** 40, text: async () => ((read = true), '') } as unknown as Blob;
    await expect(engine.handle({ id: 3, command: 'loadData', params: { task: 'classify', train: { fileName: 'huge.csv', text: huge } } })).rejects.toThrow(
      /"huge\.csv" has 1,099,511,627,776 bytes; the limit is 268,435,456 characters/,
    );
    expect(read).toBe(false);
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

  it('finds a learning rate on copies of the weights, streaming its points, and can be cancelled', async () => {
    const events: EngineEvent[] = [];
    let cancelAt: number | null = 3;
    const engine = new Engine((event) => {
      events.push(event);
      if (event.type === 'lrSweep' && events.filter((e) => e.type === 'lrSweep').length === cancelAt) {
        cancelAt = null;
        void engine.handle({ id: 9, command: 'cancelFindLr', params: null });
      }
    }, '/');
    const loaded = (await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } })) as EngineCommands['loadModel']['result'];
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    const args = { batchSize: 8, maxLength: 16 };
    // The first sweep gives the model its classification head, as start would; later ones change nothing.
    const first = (await engine.handle({ id: 3, command: 'findLr', params: { args } })) as FindLrResult;
    expect(first.summary.numParams).not.toBe(loaded.summary.numParams); // the MLM head gave way to a classifier
    const cancelled = first.sweep;
    expect(cancelled).toMatchObject({ outcome: 'stopped', suggestion: null });
    expect(cancelled.points).toHaveLength(3);
    const exported = async (id: number) => ((await engine.handle({ id, command: 'export', params: null })) as { files: Record<string, Uint8Array> }).files;
    const before = await exported(4);
    const tensors = tf.memory().numTensors;
    events.length = 0;
    const sweep = engine.handle({ id: 5, command: 'findLr', params: { args, sweep: { steps: 8 } } });
    await expect(engine.handle({ id: 6, command: 'start', params: { args } })).rejects.toThrow(/learning-rate finder is running/);
    const result = ((await sweep) as FindLrResult).sweep;
    expect(result.outcome).toBe('done');
    expect(events.filter((e) => e.type === 'lrSweep').map((e) => e.point)).toEqual(result.points);
    expect(events.findLast((e) => e.type === 'progress')).toEqual({ type: 'progress', progress: { stage: 'lr-finder', loaded: 8, total: 8 } });
    expect(tf.memory().numTensors).toBe(tensors);
    expect((await exported(7))['model.safetensors']).toEqual(before['model.safetensors']);
  });

  it('fits the arguments a caller leaves out to the model and data, and keeps those it gives', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    const trainedArgs = async (id: number, args: Record<string, unknown>) => {
      events.length = 0;
      await engine.handle({ id, command: 'start', params: { args: { maxSteps: 1, maxLength: 32, ...args } } });
      while (!events.some((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'))) await new Promise((r) => setTimeout(r, 10));
      const { files } = (await engine.handle({ id: id + 1, command: 'export', params: null })) as EngineCommands['export']['result'];
      return JSON.parse(new TextDecoder().decode(files['training_args.json'])) as Record<string, unknown>;
    };
    // The fixture has hidden size 32 (the tiny class) and 36 training rows: 3e-4, every layer trains, 20 epochs.
    expect(await trainedArgs(3, {})).toMatchObject({ learningRate: 3e-4, freeze: 'none', epochs: 20 });
    expect(await trainedArgs(5, { learningRate: 1e-5, freeze: 'embeddings', epochs: 2 })).toMatchObject({ learningRate: 1e-5, freeze: 'embeddings', epochs: 2 });
  });

  it('fits the linear baseline beside a run, once per dataset, cancels it on stop and records it in metrics.json', async () => {
    const statuses: string[] = [];
    const engine = new Engine((event) => {
      if (event.type === 'baseline') statuses.push(event.status.state);
    }, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const load = (id: number, rows: number) =>
      engine.handle({ id, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(rows) } } });

    await load(2, 40);
    const report = (await engine.handle({ id: 3, command: 'baseline', params: null })) as EngineCommands['baseline']['result'];
    expect(report).toMatchObject({ kind: 'classification', trainRows: 36, validationRows: 4 });
    expect(report.accuracy).toBeGreaterThanOrEqual(0.5);
    expect(await engine.handle({ id: 4, command: 'baseline', params: null })).toBe(report);
    expect([statuses[0], statuses.at(-1)]).toEqual(['running', 'done']);
    const reported = statuses.length;
    await engine.handle({ id: 5, command: 'start', params: { args: { maxSteps: 1, batchSize: 4, maxLength: 16 } } });
    while (!(await engine.handle({ id: 6, command: 'export', params: null }).catch(() => null))) await new Promise((r) => setTimeout(r, 10));
    const { files } = (await engine.handle({ id: 7, command: 'export', params: null })) as EngineCommands['export']['result'];
    expect(JSON.parse(new TextDecoder().decode(files['metrics.json'])).baseline).toEqual(JSON.parse(JSON.stringify(report)));
    expect(statuses).toHaveLength(reported); // the run reused the fit

    // Enough rows that the fit takes several slices: stopping the run stops it, and the next asks start over.
    await load(8, 4000);
    statuses.length = 0;
    await engine.handle({ id: 9, command: 'start', params: { args: { maxSteps: 50, batchSize: 4, maxLength: 16 } } });
    await engine.handle({ id: 10, command: 'stop', params: null });
    expect(statuses.at(-1)).toBe('cancelled');
    const refit = (await engine.handle({ id: 11, command: 'baseline', params: null })) as EngineCommands['baseline']['result'];
    expect(refit.trainRows).toBe(3600);
    expect(statuses.at(-1)).toBe('done');
    expect(statuses.filter((s) => s === 'failed')).toEqual([]);
  });

  it('computes every batch in parts with the peers its pool gives the backend, says so, and stops them when the run ends', async () => {
    const events: EngineEvent[] = [];
    const started: { backend: string; disposed: boolean; computed: number }[] = [];
    const pool: PeerPool = {
      size: (backend) => (backend === 'cpu' ? 1 : 0),
      start: (count, config, backend) =>
        Array.from({ length: count }, () => {
          const peer = localPeer(config);
          const record = { backend, disposed: false, computed: 0 };
          started.push(record);
          return {
            compute: (request) => ((record.computed += 1), peer.compute(request)),
            dispose: () => ((record.disposed = true), peer.dispose()),
          };
        }),
    };
    const engine = new Engine((event) => events.push(event), '/', null, pool);
    const info = (await engine.handle({ id: 1, command: 'init', params: { backend: 'cpu' } })) as EngineCommands['init']['result'];
    expect(info.peers).toBe(1);
    await engine.handle({ id: 2, command: 'loadModel', params: { model: fixtureModel('base') } });
    await engine.handle({ id: 3, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    await engine.handle({ id: 4, command: 'start', params: { args: { maxSteps: 3, batchSize: 8, maxLength: 16 } } });
    while (!events.some((e) => e.type === 'state' && e.state === 'done')) await new Promise((r) => setTimeout(r, 10));
    expect(events.some((e) => e.type === 'log' && e.message === 'Each batch is computed in 2 parts at once, on 2 CPU workers.')).toBe(true);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(3);
    expect(started).toEqual([{ backend: 'cpu', disposed: true, computed: 3 }]); // one part of each of the 3 batches
  });

  it('records the chain of runs behind the weights, and restarts from the pretrained ones when asked', async () => {
    const states: string[] = [];
    const lineages: number[] = [];
    const engine = new Engine((event) => {
      if (event.type === 'state') states.push(event.state);
      if (event.type === 'model') lineages.push(event.summary.lineage.length);
    }, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    const args = { maxSteps: 2, batchSize: 4, maxLength: 16 };
    let id = 10;
    const run = async (from?: 'current' | 'pretrained') => {
      const ended = states.length;
      const { summary } = (await engine.handle({ id: id++, command: 'start', params: { args, from } })) as EngineCommands['start']['result'];
      while (!states.slice(ended).includes('done')) await new Promise((r) => setTimeout(r, 10));
      const { files } = (await engine.handle({ id: id++, command: 'export', params: null })) as EngineCommands['export']['result'];
      return { summary, files, runs: JSON.parse(new TextDecoder().decode(files['training_args.json'])).runs };
    };

    const first = await run();
    expect(first.summary.lineage).toEqual([]);
    expect(first.runs).toMatchObject([{ task: 'classify', dataFile: 'toy.csv', outcome: 'done', steps: 2, args: { maxSteps: 2 } }]);
    const continued = await run();
    expect(continued.summary.lineage).toHaveLength(1);
    expect(continued.runs.map((r: { steps: number }) => r.steps)).toEqual([2, 2]);
    expect(continued.files['model.safetensors']).not.toEqual(first.files['model.safetensors']);
    // The same run from the same pretrained weights, seed and data gives the same weights, bit for bit.
    expect(lineages).toEqual([1, 2]); // the page hears of each run that changed the weights
    const restarted = await run('pretrained');
    expect(restarted.summary.lineage).toEqual([]);
    expect(restarted.runs).toHaveLength(1);
    expect(restarted.files['model.safetensors']).toEqual(first.files['model.safetensors']);
  });

  const families = [
    {
      fixture: 'distilbert',
      name: 'DistilBERT',
      loadedAs: 'DistilBertForMaskedLM',
      savedAs: 'DistilBertForSequenceClassification',
      configKeys: { model_type: 'distilbert', dim: 32, n_layers: 2 },
      notKeys: ['hidden_size'],
      tokenizerClass: 'DistilBertTokenizer',
      tensors: ['distilbert.transformer.layer.1.attention.q_lin.weight', 'pre_classifier.weight', 'classifier.weight'],
      prefixes: ['distilbert.', 'pre_classifier.', 'classifier.'],
      absent: ['distilbert.embeddings.token_type_embeddings.weight'],
      // The fixture's classifier is for three labels; the toy data has two.
      initialised: ['classifier.weight', 'classifier.bias'],
    },
    {
      fixture: 'electra',
      name: 'ELECTRA',
      loadedAs: 'ElectraForMaskedLM',
      savedAs: 'ElectraForSequenceClassification',
      configKeys: { model_type: 'electra', embedding_size: 24, hidden_size: 32 },
      notKeys: ['dim'],
      tokenizerClass: 'ElectraTokenizer',
      tensors: ['electra.embeddings_project.weight', 'electra.encoder.layer.1.attention.self.query.weight', 'classifier.dense.weight', 'classifier.out_proj.weight'],
      prefixes: ['electra.', 'classifier.'],
      absent: ['bert.pooler.dense.weight', 'classifier.weight'],
      initialised: ['classifier.out_proj.weight', 'classifier.out_proj.bias'],
    },
  ];
  for (const family of families) {
    it(`fine-tunes the ${family.name} fixture and exports it in its family's own layout, which loads back the same`, async () => {
      const states: string[] = [];
      const logs: string[] = [];
      const engine = new Engine((event) => {
        if (event.type === 'state') states.push(event.state);
        if (event.type === 'log') logs.push(event.message);
      }, '/');
      const loaded = (await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel(family.fixture) } })) as EngineCommands['loadModel']['result'];
      expect(loaded.summary).toMatchObject({ numLayers: 2, hiddenSize: 32, architectures: [family.loadedAs], loadReport: { missing: [], unexpected: [] } });
      await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
      await engine.handle({ id: 3, command: 'start', params: { args: { maxSteps: 4, batchSize: 8, maxLength: 16, learningRate: 1e-3 } } });
      while (!states.includes('done')) await new Promise((r) => setTimeout(r, 10));
      const { files } = (await engine.handle({ id: 4, command: 'export', params: null })) as EngineCommands['export']['result'];
      const config = JSON.parse(new TextDecoder().decode(files['config.json']));
      expect(config).toMatchObject({ ...family.configKeys, architectures: [family.savedAs], id2label: { 0: 'negative', 1: 'positive' } });
      for (const key of family.notKeys) expect(config).not.toHaveProperty(key);
      expect(JSON.parse(new TextDecoder().decode(files['tokenizer_config.json']))).toMatchObject({ tokenizer_class: family.tokenizerClass });
      const names = [...readSafetensors(files['model.safetensors']).tensors.keys()];
      for (const name of family.tensors) expect(names).toContain(name);
      expect(names.filter((name) => !family.prefixes.some((prefix) => name.startsWith(prefix)))).toEqual([]);
      for (const name of family.absent) expect(names).not.toContain(name);
      // The page names parameters as the family saves them, never by the shared encoder's names.
      expect(logs.find((m) => m.startsWith('Newly initialised:'))).toBe(`Newly initialised: ${family.initialised.join(', ')}`);

      const examples = [{ text: 'good great love' }, { text: 'bad hate sad' }];
      const before = (await engine.handle({ id: 5, command: 'predict', params: { examples } })) as EngineCommands['predict']['result'];
      const reopened = new Engine(() => undefined, '/');
      const blobs = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
      await reopened.handle({ id: 1, command: 'loadModel', params: { model: { kind: 'local', files: blobs } } });
      const after = (await reopened.handle({ id: 2, command: 'predict', params: { examples } })) as EngineCommands['predict']['result'];
      expect(after).toEqual(before);
    });
  }

  it('gives a fine-tuned classifier back the checkpoint\'s MLM head for masked-LM, and says so', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    const { summary: loaded } = (await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } })) as EngineCommands['loadModel']['result'];
    expect(loaded.checkpointHeads.mlm).toBe(true);
    const run = async (id: number, task: 'classify' | 'mlm', text: string) => {
      events.length = 0;
      await engine.handle({ id, command: 'loadData', params: { task, train: { fileName: `toy.${task === 'mlm' ? 'txt' : 'csv'}`, text } } });
      const { summary, groups } = (await engine.handle({ id: id + 1, command: 'start', params: { args: { maxSteps: 1, batchSize: 4, maxLength: 16 } } })) as EngineCommands['start']['result'];
      while (!events.some((e) => e.type === 'state' && e.state === 'done')) await new Promise((r) => setTimeout(r, 10));
      return { summary, groups, logs: events.flatMap((e) => (e.type === 'log' ? [e.message] : [])) };
    };
    const classifier = await run(2, 'classify', toySentimentCsv(40));
    expect(classifier.summary).toMatchObject({ architectures: ['BertForSequenceClassification'], heads: { mlm: false, classifier: true } });
    const mlm = await run(4, 'mlm', Array.from({ length: 20 }, (_, k) => `line ${k} of the domain text`).join('\n'));
    expect(mlm.summary).toMatchObject({ architectures: ['BertForMaskedLM'], heads: { mlm: true, classifier: false } });
    expect(mlm.logs.find((m) => m.startsWith('Taken from the pretrained checkpoint'))).toContain('cls.predictions.transform.dense.weight');
    expect(mlm.logs.some((m) => m.startsWith('Newly initialised'))).toBe(false);
    // The freeze map's head group is now the MLM head.
    expect(mlm.groups.groups.at(-1)!.decay).toContain('cls.predictions.transform.dense.weight');
  });

  it('trains ELECTRA for NER and exports ElectraForTokenClassification: a plain classifier, the tags, entity scores and spans', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('electra') } });
    const data = (await engine.handle({ id: 2, command: 'loadData', params: { task: 'ner', train: { fileName: 'toy.conll', text: toyNerConll(40) } } })) as DataSummary;
    expect(data.labels).toEqual(['O', 'B-ANIMAL', 'B-PLACE', 'B-WORK', 'I-ANIMAL', 'I-PLACE', 'I-WORK']);
    await engine.handle({ id: 3, command: 'start', params: { args: { maxSteps: 2, batchSize: 8, maxLength: 16 } } });
    while (!events.some((e) => e.type === 'state' && e.state === 'done')) await new Promise((r) => setTimeout(r, 10));
    const metrics = (await engine.handle({ id: 4, command: 'evaluate', params: null })) as EngineCommands['evaluate']['result'];
    expect(metrics.entities?.micro.support).toBeGreaterThan(0);
    const { files } = (await engine.handle({ id: 5, command: 'export', params: null })) as EngineCommands['export']['result'];
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    expect(config).toMatchObject({ architectures: ['ElectraForTokenClassification'], id2label: { 0: 'O', 6: 'I-WORK' }, label2id: { 'B-ANIMAL': 1 } });
    const names = [...readSafetensors(files['model.safetensors']).tensors.keys()];
    expect(names).toEqual(expect.arrayContaining(['classifier.weight', 'classifier.bias', 'electra.embeddings_project.weight']));
    expect(names.filter((name) => name.startsWith('classifier.dense') || name.startsWith('classifier.out_proj'))).toEqual([]);
    const [prediction] = (await engine.handle({ id: 6, command: 'predict', params: { examples: [{ text: 'the cat sat' }] } })) as EngineCommands['predict']['result'];
    expect(Array.isArray(prediction.entities)).toBe(true);
    await expect(engine.handle({ id: 7, command: 'recipe', params: { args: {} } })).rejects.toThrow(/token classification/);
  });

  it('trains LoRA adapters and the head alone, exports them as PEFT and merged, and opens the adapter again', async () => {
    const logs: string[] = [];
    const states: string[] = [];
    const engine = new Engine((event) => {
      if (event.type === 'state') states.push(event.state);
      if (event.type === 'log') logs.push(event.message);
    }, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    const args = { maxSteps: 6, batchSize: 8, maxLength: 16, learningRate: 1e-2, loraRank: 4, loraTargets: 'query,value,ffn' };
    await engine.handle({ id: 3, command: 'start', params: { args } });
    while (!states.includes('done')) await new Promise((r) => setTimeout(r, 10));
    // base: hidden 32, 2 layers, intermediate 64: adapters 2 × (2 × 4·(32+32) + 2 × 4·(32+64)) = 2,560; pooler 1,056 and
    // a 2-label classifier 66 train beside them.
    expect(logs.find((m) => m.startsWith('LoRA'))).toBe('LoRA r=4 on query, value, ffn: 3,682 trainable parameters (15.20% of 24,226; adapters 2,560).');

    const checkpoint = readSafetensors(readFileSync(join(FIXTURES_DIR, 'base', 'model.safetensors'))).tensors;
    const { files: merged } = (await engine.handle({ id: 4, command: 'export', params: null })) as EngineCommands['export']['result'];
    const exported = readSafetensors(merged['model.safetensors']).tensors;
    expect([...exported.keys()].filter((name) => name.includes('lora'))).toEqual([]);
    const same = (name: string) => (exported.get(name)!.data as Float32Array).every((v, i) => v === checkpoint.get(name)!.data[i]);
    // Frozen weights leave untouched; the adapted ones carry their adapter merged in.
    expect(['bert.encoder.layer.0.attention.self.key.weight', 'bert.encoder.layer.1.attention.output.dense.weight', 'bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.0.output.LayerNorm.weight', 'bert.encoder.layer.0.attention.self.query.bias'].every(same)).toBe(true);
    expect(['bert.encoder.layer.0.attention.self.query.weight', 'bert.encoder.layer.1.output.dense.weight'].some(same)).toBe(false);

    const { files: peft } = (await engine.handle({ id: 5, command: 'export', params: { format: 'peft' } })) as EngineCommands['export']['result'];
    expect(Object.keys(peft).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const adapterConfig = JSON.parse(new TextDecoder().decode(peft['adapter_config.json']));
    expect(adapterConfig).toMatchObject({ peft_type: 'LORA', task_type: 'SEQ_CLS', r: 4, lora_alpha: 16, lora_dropout: 0.1, modules_to_save: ['pooler', 'classifier'], bias: 'none' });
    const pattern = new RegExp(`^${adapterConfig.target_modules}$`);
    expect(['bert.encoder.layer.1.attention.self.query', 'bert.encoder.layer.0.intermediate.dense', 'bert.encoder.layer.0.output.dense'].every((m) => pattern.test(m))).toBe(true);
    expect(['bert.encoder.layer.0.attention.self.key', 'bert.encoder.layer.0.attention.output.dense', 'bert.pooler.dense'].some((m) => pattern.test(m))).toBe(false);
    const adapterTensors = readSafetensors(peft['adapter_model.safetensors']).tensors;
    expect(adapterTensors.get('base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight')?.shape).toEqual([4, 32]);
    expect(adapterTensors.get('base_model.model.bert.encoder.layer.1.output.dense.lora_B.weight')?.shape).toEqual([32, 4]);
    expect(adapterTensors.get('base_model.model.classifier.weight')?.shape).toEqual([2, 32]);
    expect([...adapterTensors.keys()].every((name) => name.startsWith('base_model.model.'))).toBe(true);
    expect(adapterTensors.size).toBe(2 * 2 * 4 + 4);

    const examples = [{ text: 'good great love' }, { text: 'bad hate sad' }];
    const trained = (await engine.handle({ id: 6, command: 'predict', params: { examples } })) as EngineCommands['predict']['result'];
    const scores = (predictions: typeof trained) => predictions.flatMap((p) => p.logits);
    const blobs = (files: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
    // The merged export and the adapter on the untouched checkpoint predict what the trained model did.
    const plain = new Engine(() => undefined, '/');
    await plain.handle({ id: 1, command: 'loadModel', params: { model: { kind: 'local', files: blobs(merged) } } });
    const mergedScores = scores((await plain.handle({ id: 2, command: 'predict', params: { examples } })) as typeof trained);
    const adapted = new Engine(() => undefined, '/');
    await adapted.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const opened = (await adapted.handle({ id: 2, command: 'loadAdapter', params: { files: blobs(peft) } })) as EngineCommands['loadAdapter']['result'];
    expect(opened.summary.lora).toEqual({ rank: 4, alpha: 16, dropout: 0.1, targets: ['query', 'value', 'ffn'] });
    const adapterScores = scores((await adapted.handle({ id: 3, command: 'predict', params: { examples } })) as typeof trained);
    scores(trained).forEach((score, i) => {
      expect(mergedScores[i]).toBeCloseTo(score, 5);
      expect(adapterScores[i]).toBeCloseTo(score, 5);
    });
    // An adapter for other shapes is refused by name, and the model stays as it was.
    const wrong = { ...peft, 'adapter_config.json': new TextEncoder().encode(JSON.stringify({ ...adapterConfig, r: 8 })) };
    await expect(adapted.handle({ id: 4, command: 'loadAdapter', params: { files: blobs(wrong) } })).rejects.toThrow(/lora_A\.weight has shape \[4, 32\] but this model needs \[8, 32\]/);
    expect(scores((await adapted.handle({ id: 5, command: 'predict', params: { examples } })) as typeof trained)).toEqual(adapterScores);
    await expect(engine.handle({ id: 7, command: 'recipe', params: { args } })).rejects.toThrow(/LoRA/);
  });

  it('trains DistilBERT for QA over context windows and exports DistilBertForQuestionAnswering: qa_outputs, EM and F1, answer spans', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('distilbert') } });
    const data = (await engine.handle({ id: 2, command: 'loadData', params: { task: 'qa', train: { fileName: 'toy.json', text: toySquadJson(30) }, valSplit: 0.2 } })) as DataSummary;
    expect(data).toMatchObject({ numRows: 60, columns: { text: 'question', textPair: 'context' } });
    // maxLength 16 leaves each question a few context tokens: every question is cut into windows.
    await engine.handle({ id: 3, command: 'start', params: { args: { maxSteps: 2, batchSize: 8, maxLength: 16 } } });
    while (!events.some((e) => e.type === 'state' && e.state === 'done')) await new Promise((r) => setTimeout(r, 10));
    const cut = events.flatMap((e) => (e.type === 'log' ? [e.message] : [])).find((m) => m.startsWith('Cut '));
    expect(cut).toMatch(/^Cut 48 training questions into (\d+) windows of up to 16 tokens\.$/);
    expect(Number(/into (\d+)/.exec(cut!)![1])).toBeGreaterThan(48);
    const metrics = (await engine.handle({ id: 4, command: 'evaluate', params: null })) as EngineCommands['evaluate']['result'];
    expect(metrics.answers).toMatchObject({ questions: 12, unanswerable: 0 });
    expect(metrics.answers!.f1).toBeGreaterThanOrEqual(metrics.answers!.exactMatch);
    const { files } = (await engine.handle({ id: 5, command: 'export', params: null })) as EngineCommands['export']['result'];
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    expect(config).toMatchObject({ architectures: ['DistilBertForQuestionAnswering'], model_type: 'distilbert' });
    const tensors = readSafetensors(files['model.safetensors']).tensors;
    expect(tensors.get('qa_outputs.weight')?.shape).toEqual([2, config.dim]);
    expect(tensors.get('qa_outputs.bias')?.shape).toEqual([2]);
    expect([...tensors.keys()].filter((name) => name.startsWith('pre_classifier') || name.startsWith('classifier'))).toEqual([]);
    const context = 'the cat sat on the mat . the dog ran in the water .';
    const [prediction] = (await engine.handle({ id: 6, command: 'predict', params: { examples: [{ text: 'who sat on the mat ?', pair: context }] } })) as EngineCommands['predict']['result'];
    if (prediction.answer) expect(context.slice(prediction.answer.start, prediction.answer.end)).toBe(prediction.answer.text);
    expect(prediction.answer).not.toBeUndefined();
    await expect(engine.handle({ id: 7, command: 'recipe', params: { args: {} } })).rejects.toThrow(/question answering/);
  });

  it('exports while a run is paused, with the paused step\'s weights and the history so far', async () => {
    const events: EngineEvent[] = [];
    let pauseSent = false;
    const engine: Engine = new Engine((event) => {
      events.push(event);
      if (event.type === 'step' && !pauseSent) {
        pauseSent = true;
        void engine.handle({ id: 9, command: 'pause', params: null });
      }
    }, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    await engine.handle({ id: 2, command: 'loadData', params: { task: 'classify', train: { fileName: 'toy.csv', text: toySentimentCsv(40) } } });
    await engine.handle({ id: 3, command: 'start', params: { args: { maxSteps: 20, batchSize: 4, maxLength: 16 } } });
    while (!events.some((e) => e.type === 'state' && e.state === 'paused')) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // the step in flight when pause arrived finishes
    const { files } = (await engine.handle({ id: 4, command: 'export', params: null })) as EngineCommands['export']['result'];
    const metrics = JSON.parse(new TextDecoder().decode(files['metrics.json']));
    expect(metrics.outcome).toBe('paused');
    expect(metrics.steps).toBeGreaterThanOrEqual(1);
    expect(metrics.steps).toBeLessThan(20);
    expect(files['model.safetensors'].length).toBeGreaterThan(0);
    await engine.handle({ id: 5, command: 'stop', params: null });
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

  it('loads a sharded checkpoint from the Hub as the same model as its single file', async () => {
    // save_pretrained's layout for a checkpoint past its shard size: two shards and the index naming them.
    const dir = mkdtempSync(join(tmpdir(), 'sharded-'));
    const tensors = [...readSafetensors(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'base', 'model.safetensors')))).tensors];
    const weightMap: Record<string, string> = {};
    for (const shard of [0, 1]) {
      const file = `model-0000${shard + 1}-of-00002.safetensors`;
      const part = new Map(tensors.filter((_, i) => i % 2 === shard).map(([name, entry]) => [name, { shape: entry.shape, data: entry.data as Float32Array }]));
      for (const name of part.keys()) weightMap[name] = file;
      writeFileSync(join(dir, file), writeSafetensors(part));
    }
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
    for (const file of ['config.json', 'vocab.txt', 'tokenizer_config.json']) copyFileSync(join(FIXTURES_DIR, 'base', file), join(dir, file));
    const hub = await startHubServer({ 'org/sharded': dir });
    try {
      const predictions = async (model: ModelSpec) => {
        const engine = new Engine(() => undefined, '/');
        const loaded = (await engine.handle({ id: 1, command: 'loadModel', params: { model } })) as EngineCommands['loadModel']['result'];
        const predicted = await engine.handle({ id: 2, command: 'predict', params: { examples: [{ text: 'the cat sat on the mat' }] } });
        return { summary: loaded.summary, predicted };
      };
      const sharded = await predictions({ kind: 'hub', repo: 'org/sharded', endpoint: hub.endpoint });
      expect(hub.requests.map((r) => r.file)).toEqual(expect.arrayContaining(['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']));
      const single = await predictions(fixtureModel('base'));
      expect(sharded.predicted).toEqual(single.predicted);
      expect({ ...sharded.summary, source: '' }).toEqual({ ...single.summary, source: '' });
    } finally {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells the page when the GPU device is lost, as it would of a crashed worker', async () => {
    const events: EngineEvent[] = [];
    let lose: (info: GPUDeviceLostInfo) => void = () => undefined;
    reportDeviceLoss({ lost: new Promise((resolve) => (lose = resolve)) }, (event) => events.push(event));
    expect(events).toEqual([]);
    lose({ reason: 'destroyed', message: '' } as GPUDeviceLostInfo);
    await Promise.resolve();
    expect(events).toEqual([{ type: 'crashed', message: 'The GPU device was lost (destroyed)' }]);
  });

  it('reports a GPU out-of-memory error once, and no other uncaptured GPU error', () => {
    // Node has no WebGPU: stand-ins for the error classes, on an EventTarget as the device.
    class GPUError extends Error {}
    class GPUOutOfMemoryError extends GPUError {}
    const globals = globalThis as unknown as Record<string, unknown>;
    globals.GPUOutOfMemoryError = GPUOutOfMemoryError;
    try {
      const device = new EventTarget();
      const reports: string[] = [];
      reportOutOfMemory(device as unknown as GPUDevice, (error) => reports.push(error));
      const raise = (error: Error) => device.dispatchEvent(Object.assign(new Event('uncapturederror'), { error }));
      raise(new GPUError('validation: bad binding'));
      expect(reports).toEqual([]);
      raise(new GPUOutOfMemoryError('Not enough memory left to create the buffer'));
      raise(new GPUOutOfMemoryError('a second buffer'));
      expect(reports).toEqual(['Not enough memory left to create the buffer']);
    } finally {
      delete globals.GPUOutOfMemoryError;
    }
  });

  it('writes the recipe of the run start would begin: its settings, steps and split, from the loaded checkpoint', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((event) => events.push(event), '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const documents = Array.from({ length: 4 }, (_, d) => Array.from({ length: 10 }, (_, k) => `line ${k} of document ${d}`).join('\n'));
    const data = (await engine.handle({ id: 2, command: 'loadData', params: { task: 'mlm', train: { fileName: 'domain.txt', text: documents.join('\n\n') } } })) as DataSummary;
    const args = { maxLength: 32, batchSize: 4, epochs: 1, freeze: 'top:1' };
    const { files } = (await engine.handle({ id: 3, command: 'recipe', params: { args } })) as EngineCommands['recipe']['result'];
    const text = (name: string) => new TextDecoder().decode(files[name]);
    const config = JSON.parse(text('recipe.json')) as RecipeConfig;
    const rows = (name: string) => text(name).trimEnd().split('\n').map((line) => JSON.parse(line) as { document: number });
    expect(rows('data/train.jsonl')).toHaveLength(data.numTrain);
    expect(rows('data/validation.jsonl')).toHaveLength(data.numValidation);
    expect(rows('data/train.jsonl')[0]).toMatchObject({ text: 'line 0 of document 0', document: 0 });
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['model/config.json', 'model/model.safetensors', 'model/vocab.txt', 'train.py']));
    expect(config).toMatchObject({ task: 'mlm', labels: null, model: { path: 'model' } });

    // The run those settings start: the same settings in full (suggested ones included), steps and packed sequences.
    await engine.handle({ id: 4, command: 'start', params: { args } });
    while (!events.some((e) => e.type === 'state' && e.state === 'done')) await new Promise((r) => setTimeout(r, 10));
    const step = events.find((e) => e.type === 'step');
    expect(step?.type === 'step' && step.metrics.totalSteps).toBe(config.steps.total);
    const packed = events.find((e) => e.type === 'log' && e.message.startsWith('Packed'));
    expect(packed?.type === 'log' && Number(/into (\d+)/.exec(packed.message)![1])).toBe(config.data.train_examples);
    const { files: exported } = (await engine.handle({ id: 5, command: 'export', params: null })) as EngineCommands['export']['result'];
    const trained = JSON.parse(new TextDecoder().decode(exported['training_args.json'])) as Record<string, unknown>;
    for (const [studio, recipe] of Object.entries(RECIPE_TRAINING_KEYS)) expect(config.training[recipe], studio).toEqual(trained[studio]);
  });

  it('zips the export in the worker, byte for byte the files export gives', async () => {
    const engine = new Engine(() => undefined, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const { files } = (await engine.handle({ id: 2, command: 'export', params: null })) as EngineCommands['export']['result'];
    const { zip, names } = (await engine.handle({ id: 3, command: 'exportZip', params: null })) as EngineCommands['exportZip']['result'];
    expect(names.sort()).toEqual(Object.keys(files).sort());
    const unzipped = unzipFiles(zip);
    for (const name of names) expect(unzipped.get(name), name).toEqual(files[name]);
  });

  it('exports the web folder for transformers.js, with the int8 model when asked, zipped in onnx/', async () => {
    const engine = new Engine(() => undefined, '/');
    await engine.handle({ id: 1, command: 'loadModel', params: { model: fixtureModel('base') } });
    const plain = (await engine.handle({ id: 2, command: 'export', params: { format: 'web' } })) as EngineCommands['export']['result'];
    expect(Object.keys(plain.files).sort()).toEqual(['config.json', 'onnx/model.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
    // Without the int8 model, config.json points transformers.js at model.onnx, which it would not take by default on wasm.
    expect(JSON.parse(new TextDecoder().decode(plain.files['config.json']))['transformers.js_config']).toEqual({ dtype: 'fp32' });
    const { zip, names } = (await engine.handle({ id: 3, command: 'exportZip', params: { format: 'web', quantized: true } })) as EngineCommands['exportZip']['result'];
    expect(names).toEqual(expect.arrayContaining(['onnx/model.onnx', 'onnx/model_quantized.onnx']));
    expect(names).not.toContain('model.safetensors');
    expect(unzipFiles(zip).get('onnx/model.onnx')).toEqual(plain.files['onnx/model.onnx']);
    expect(JSON.parse(new TextDecoder().decode(unzipFiles(zip).get('config.json')))).not.toHaveProperty(['transformers.js_config']);
  });
});
