import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../worker/protocol';
import type { DataSummary } from '../worker/protocol';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));

const { useStudio } = await import('./index');

const good = { train: { fileName: 'good.csv', text: 'text,label\na,x\nb,y\n' } };
const bad = { train: { fileName: 'bad.txt', text: '"unterminated' } };
const summary = { task: 'classify', fileName: 'good.csv', numRows: 2 } as DataSummary;

beforeEach(() => {
  call.mockReset();
  useStudio.setState({ task: 'classify', dataFiles: null, data: null, dataError: null, columnChoice: {}, excludedRows: [], error: null, errorWhere: null });
});

describe('data slice', () => {
  it('keeps the loaded dataset and its settings when a new file fails, and puts the error beside the drop zone', async () => {
    call.mockResolvedValueOnce(summary);
    await useStudio.getState().openData(good);
    useStudio.setState({ columnChoice: { text: 'text' }, excludedRows: [1] });

    call.mockRejectedValueOnce(new Error('"bad.txt" line 1: quoted field unterminated.'));
    await useStudio.getState().openData(bad, 'mlm');
    const state = useStudio.getState();
    expect(state.data).toBe(summary);
    expect(state.dataFiles).toEqual(good);
    expect(state.task).toBe('classify');
    expect(state.columnChoice).toEqual({ text: 'text' });
    expect(state.excludedRows).toEqual([1]);
    expect(state.dataError).toEqual({ message: '"bad.txt" line 1: quoted field unterminated.', where: null });
    expect(state.error).toBeNull(); // not also in the page's banner

    call.mockResolvedValueOnce(summary);
    await useStudio.getState().openData(good);
    expect(useStudio.getState().dataError).toBeNull();
  });

  it('names where the worker found the problem', async () => {
    call.mockRejectedValueOnce(new EngineError({ name: 'DataError', message: 'a label is missing', file: 'bad.csv', row: 12 }));
    await useStudio.getState().openData(bad);
    expect(useStudio.getState().dataError).toEqual({ message: 'a label is missing', where: expect.stringContaining('bad.csv') });
    useStudio.getState().dismissDataError();
    expect(useStudio.getState().dataError).toBeNull();
  });
});
