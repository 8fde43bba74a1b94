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

/** Runs `action` with downloads caught: the link it clicks, and the zip the worker replies with (`names` inside). */
async function downloading(names: string[], action: () => Promise<void>): Promise<{ zip: Uint8Array; click: ReturnType<typeof vi.fn> }> {
  const zip = Uint8Array.from([80, 75, 5, 6]);
  call.mockResolvedValue({ zip, names });
  const click = vi.fn();
  vi.stubGlobal('document', { createElement: () => ({ click }) });
  vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined });
  try {
    await action();
  } finally {
    vi.unstubAllGlobals();
  }
  return { zip, click };
}

describe('exportModel', () => {
  it('asks the worker for the zip, so the page never zips a large model itself, and marks the model downloaded', async () => {
    useStudio.setState({ unexported: true });
    const { zip, click } = await downloading(['model.safetensors', 'config.json'], () => useStudio.getState().exportModel());
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

describe('exportRecipe', () => {
  it('asks the worker for the recipe of the training form’s settings, zipped, and downloads it', async () => {
    useStudio.getState().setArg('llrd', 0.8);
    const { click } = await downloading(['train.py', 'recipe.json'], () => useStudio.getState().exportRecipe());
    expect(call).toHaveBeenCalledWith('recipeZip', { args: useStudio.getState().args });
    expect(call.mock.calls[0][1].args).toMatchObject({ llrd: 0.8 });
    expect(useStudio.getState().recipeZip).toMatchObject({ size: 4, files: ['train.py', 'recipe.json'] });
    expect(useStudio.getState().recipeZip?.name).toMatch(/^bert-studio-recipe-(classifier|mlm)-[\d-]+\.zip$/);
    expect(click).toHaveBeenCalled();
  });
});
