import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ZipError } from '../io/zip';
import type { ProgressCallback } from '../progress';

const call = vi.fn();
vi.mock('./engine', () => ({ engine: () => ({ call }), onEngineEvent: () => {}, restartEngine: () => {} }));
const unzipInWorker = vi.fn();
vi.mock('../io/unzipInWorker', () => ({ unzipInWorker }));

const { useStudio } = await import('./index');

beforeEach(() => {
  call.mockReset();
  unzipInWorker.mockReset();
  useStudio.getState().dismissError();
});

describe('importZip', () => {
  it('unzips in a worker, shows its progress, and loads the files as a local model', async () => {
    const config = new Blob(['{}']);
    unzipInWorker.mockImplementation(async (_zip: Blob, onProgress: ProgressCallback) => {
      onProgress({ stage: 'unzip', item: 'config.json', loaded: 2, total: 2 });
      expect(useStudio.getState().progress).toMatchObject({ stage: 'unzip', loaded: 2 });
      return new Map([['config.json', config]]);
    });
    call.mockResolvedValue({ summary: { source: 'm.zip' }, groups: null });
    const zip = new Blob([Uint8Array.from([80, 75, 5, 6])]);
    await useStudio.getState().importZip(zip, 'm.zip');
    expect(unzipInWorker).toHaveBeenCalledWith(zip, expect.any(Function));
    expect(call).toHaveBeenCalledWith('loadModel', { model: { kind: 'local', files: { 'config.json': config } } });
    expect(useStudio.getState().log.at(-1)).toBe('Opened m.zip as a local model.');
  });

  it("shows the worker's refusal and loads nothing", async () => {
    unzipInWorker.mockRejectedValue(new ZipError('too-large', 'model.safetensors declares 1 GiB from 1017 compressed bytes', 'model.safetensors'));
    await useStudio.getState().importZip(new Blob([new Uint8Array(4)]), 'bomb.zip');
    expect(useStudio.getState().error).toMatch(/model\.safetensors declares 1 GiB/);
    expect(call).not.toHaveBeenCalled();
  });
});

describe('exportModel', () => {
  it('asks the worker for the zip, so the page never zips a large model itself, and marks the model downloaded', async () => {
    const zip = Uint8Array.from([80, 75, 5, 6]);
    call.mockResolvedValue({ zip, names: ['model.safetensors', 'config.json'] });
    const click = vi.fn();
    vi.stubGlobal('document', { createElement: () => ({ click }) });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined });
    useStudio.setState({ unexported: true });
    await useStudio.getState().exportModel();
    vi.unstubAllGlobals();
    expect(call).toHaveBeenCalledWith('exportZip', { format: 'transformers' });
    expect(useStudio.getState().exportZip).toMatchObject({ bytes: zip, files: ['model.safetensors', 'config.json'], format: 'transformers' });
    expect(click).toHaveBeenCalled();
    expect(useStudio.getState().unexported).toBe(false);
  });

  it('exports for the web in the worker too, but leaves the model counted as not downloaded', async () => {
    const zip = Uint8Array.from([80, 75, 5, 6]);
    call.mockResolvedValue({ zip, names: ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'] });
    const link = { click: vi.fn(), download: '' };
    vi.stubGlobal('document', { createElement: () => link });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined });
    useStudio.setState({ unexported: true });
    await useStudio.getState().exportForWeb(true);
    vi.unstubAllGlobals();
    expect(call).toHaveBeenCalledWith('exportZip', { format: 'web', quantized: true });
    expect(useStudio.getState().exportZip).toMatchObject({ files: ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'], format: 'web' });
    expect(link.download).toMatch(/^bert-studio-\w+-web-[\d-]+\.zip$/);
    expect(link.click).toHaveBeenCalled();
    expect(useStudio.getState().unexported).toBe(true);
  });
});
