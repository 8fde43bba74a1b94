import { describe, expect, it } from 'vitest';
import { DataError } from '../data/errors';
import { ModelSourceError } from '../io/modelSourceError';
import { SafetensorsError } from '../io/safetensors';
import { ZipError } from '../io/zip';
import { ConfigError, ModelInputError, WeightsError } from '../model/errors';
import { FAMILIES } from '../model/families';
import { TokenizerError } from '../tokenizer/errors';
import { CheckpointError } from '../train/checkpoint';
import { EvaluationCancelled } from '../train/evaluate';
import { MemoryError } from '../train/memory';
import { RunStoreError } from '../train/runStore';
import { TrainInputError } from '../train/errors';
import { EngineClient, type WorkerLike } from './client';
import { describeWhere, EngineError, SUPPORTED_FAMILIES, toWire, type WorkerMessage } from './protocol';

describe('errors across the worker boundary', () => {
  it('keep the class, the code and the place through structured cloning', () => {
    const errors = [
      new DataError('malformed', 'line 3 is not JSON', { line: 3 }),
      new WeightsError('not-finite', 'holds NaN', 'bert.pooler.dense.weight'),
      new TrainInputError('learning rate must be > 0', 'learningRate'),
      new ModelSourceError('bad-size', 'ended early', { file: 'model.safetensors' }),
    ];
    const received = errors.map((err) => new EngineError(structuredClone(toWire(err))));
    expect(received.map((e) => [e.name, e.wire.code, describeWhere(e.wire)])).toEqual([
      ['DataError', 'malformed', 'line 3'],
      ['WeightsError', 'not-finite', 'tensor bert.pooler.dense.weight'],
      ['TrainInputError', 'bad-argument', 'field learningRate'],
      ['ModelSourceError', 'bad-size', 'model.safetensors'],
    ]);
    expect(received[0]).toBeInstanceOf(Error);
    expect(received[0].message).toBe('line 3 is not JSON');
  });

  it('carry a code from every error class the engine throws', () => {
    const errors: Error[] = [
      new ConfigError('hidden_size', 'must be a positive integer'),
      new ModelInputError('inputIds', 'out of range'),
      new TokenizerError('bad-vocab', 'vocab.txt is empty'),
      new SafetensorsError('header-length', 'header too long'),
      new ZipError('unsafe-path', 'entry climbs out', '../x'),
      new MemoryError('no batch fits'),
      new CheckpointError('wrong shape', 'params.safetensors'),
      new EvaluationCancelled(),
      new RunStoreError('unreadable', 'run-1'),
    ];
    const codes = errors.map((err) => toWire(err).code);
    expect(codes).toEqual(['bad-config', 'bad-input', 'bad-vocab', 'header-length', 'unsafe-path', 'too-large', 'bad-checkpoint', 'cancelled', 'bad-run']);
  });

  it('say a table row 1-based, beside its file', () => {
    expect(describeWhere({ file: 'reviews.csv', row: 11 })).toBe('reviews.csv, row 12');
    expect(describeWhere({})).toBeNull();
  });

  it('turn anything thrown into a message', () => {
    expect(toWire('plain string')).toEqual({ name: 'Error', message: 'plain string' });
    expect(toWire(Object.assign(new Error('x'), { row: Number.NaN, code: 5 }))).toEqual({ name: 'Error', message: 'x' });
  });

  it('reach the caller of a failed command as an EngineError', async () => {
    let receive: (event: MessageEvent<WorkerMessage>) => void = () => undefined;
    const worker = {
      postMessage: (message: { id: number }) => {
        const error = toWire(new DataError('unknown-label', 'row 5 has the label "maybe"', { row: 4 }));
        queueMicrotask(() => receive({ data: structuredClone({ kind: 'reply', id: message.id, ok: false, error }) } as MessageEvent<WorkerMessage>));
      },
      addEventListener: (type: string, listener: (event: MessageEvent<WorkerMessage>) => void) => {
        if (type === 'message') receive = listener;
      },
      terminate: () => undefined,
    } as unknown as WorkerLike;
    const failure = await new EngineClient(worker).call('evaluate', null).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure).toMatchObject({ name: 'DataError', message: 'row 5 has the label "maybe"', wire: { code: 'unknown-label', row: 4 } });
  });
});

describe('the families the page lists', () => {
  it('are those the engine loads', () => {
    expect(SUPPORTED_FAMILIES.map((family) => family.modelType)).toEqual(Object.keys(FAMILIES));
  });
});
