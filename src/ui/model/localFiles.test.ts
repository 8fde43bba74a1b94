import { describe, expect, it } from 'vitest';
import { modelFiles, ModelFilesError, pickModelFiles } from './localFiles';

const entries = (...paths: string[]) => paths.map((path) => ({ path, file: path }));

describe('pickModelFiles', () => {
  it('keeps only the files a BERT model needs, by bare name', () => {
    const picked = pickModelFiles(
      entries('bert/config.json', 'bert/vocab.txt', 'bert/model.safetensors', 'bert/pytorch_model.bin', 'bert/README.md'),
    );
    expect(Object.fromEntries(picked.map((p) => [p.name, p.file]))).toEqual({
      'config.json': 'bert/config.json',
      'vocab.txt': 'bert/vocab.txt',
      'model.safetensors': 'bert/model.safetensors',
    });
  });

  it('accepts tokenizer.json instead of vocab.txt, and dropped files without folders', () => {
    const picked = pickModelFiles(entries('config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors'));
    expect(picked.map((p) => p.name).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('prefers the shallowest copy when subfolders repeat a name', () => {
    const picked = pickModelFiles(entries('m/onnx/config.json', 'm/config.json', 'm/vocab.txt', 'm/model.safetensors'));
    expect(picked.find((p) => p.name === 'config.json')?.file).toBe('m/config.json');
  });

  it('names every missing file', () => {
    expect(() => pickModelFiles(entries('m/README.md'))).toThrow(
      'The model folder lacks config.json, vocab.txt or tokenizer.json, model.safetensors.',
    );
    expect(() => pickModelFiles([])).toThrow(ModelFilesError);
  });

  it('takes a sharded checkpoint: the index and its shards stand in for model.safetensors', () => {
    const picked = pickModelFiles(
      entries('m/config.json', 'm/vocab.txt', 'm/model.safetensors.index.json', 'm/model-00001-of-00002.safetensors', 'm/model-00002-of-00002.safetensors', 'm/README.md'),
    );
    expect(picked.map((p) => p.name).sort()).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
      'vocab.txt',
    ]);
  });

  it('explains that PyTorch-only checkpoints need converting', () => {
    expect(() => pickModelFiles(entries('m/config.json', 'm/vocab.txt', 'm/pytorch_model.bin'))).toThrow(
      /lacks model\.safetensors\. Only safetensors weights can be read/,
    );
  });
});

describe('modelFiles', () => {
  it('names the picked Files themselves, unread: the worker gets them by reference, never a copy', () => {
    const config = new File(['{}'], 'config.json');
    const vocab = new File(['[PAD]'], 'vocab.txt');
    const weights = new File([new Uint8Array(8)], 'model.safetensors');
    const files = modelFiles([config, vocab, weights, new File(['x'], 'README.md')]);
    expect(Object.keys(files).sort()).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    expect(files['model.safetensors']).toBe(weights);
    expect(files['config.json']).toBe(config);
  });
});
