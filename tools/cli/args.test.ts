import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from './args';

const dir = mkdtempSync(join(tmpdir(), 'cli-args-'));
const data = join(dir, 'toy.csv');
writeFileSync(data, 'text,label\na,b\n');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCliArgs', () => {
  it('reads train flags into training-argument overrides', () => {
    const command = parseCliArgs([
      'train', '--data', data, '--task', 'classify', '--out', 'o', '--model', dir,
      '--lr', '5e-3', '--max-steps', '4', '--schedule', 'cosine', '--freeze', 'top:1',
      '--predict-data', data, '--predict-out', 'p.jsonl',
    ]);
    expect(command).toMatchObject({
      kind: 'train',
      task: 'classify',
      model: { kind: 'dir', path: dir },
      modelDir: dir,
      backend: 'auto',
      freeze: 'top:1',
      overrides: { learningRate: 5e-3, maxSteps: 4, schedule: 'cosine' },
      predict: { data, out: 'p.jsonl' },
    });
  });

  it('reads the LoRA settings, which a LoRA run needs only its rank of', () => {
    const command = parseCliArgs([
      'train', '--data', data, '--task', 'classify', '--out', 'o', '--lora-rank', '8', '--lora-alpha', '32', '--lora-dropout', '0.05', '--lora-targets', 'query,value,ffn',
    ]);
    expect(command).toMatchObject({ overrides: { loraRank: 8, loraAlpha: 32, loraDropout: 0.05, loraTargets: 'query,value,ffn' } });
    expect(() => parseCliArgs(['train', '--data', data, '--task', 'classify', '--out', 'o', '--lora-rank', 'eight'])).toThrow('--lora-rank must be a number, not "eight"');
  });

  it('reads patience, validation share and the MLM switches', () => {
    const command = parseCliArgs([
      'train', '--data', data, '--task', 'mlm', '--out', 'o', '--patience', '0', '--val-split', '0.2', '--whole-word-masking', '--no-pack',
    ]);
    expect(command).toMatchObject({
      overrides: { earlyStoppingPatience: 0, valSplit: 0.2, wholeWordMasking: true, packSequences: false },
    });
    const plain = parseCliArgs(['train', '--data', data, '--task', 'mlm', '--out', 'o']);
    expect(plain).toMatchObject({ overrides: {} });
    expect(parseCliArgs(['train', '--data', data, '--task', 'ner', '--out', 'o'])).toMatchObject({ kind: 'train', task: 'ner' });
    expect(parseCliArgs(['train', '--data', data, '--task', 'qa', '--out', 'o'])).toMatchObject({ kind: 'train', task: 'qa' });
  });

  it('takes --lr auto as a request for the learning-rate finder, not a rate', () => {
    const command = parseCliArgs(['train', '--data', data, '--task', 'classify', '--out', 'o', '--lr', 'auto', '--epochs', '2']);
    expect(command).toMatchObject({ findLr: true, overrides: { epochs: 2 } });
    expect((command as { overrides: object }).overrides).not.toHaveProperty('learningRate');
    expect(parseCliArgs(['train', '--data', data, '--task', 'classify', '--out', 'o', '--lr', '1e-3'])).toMatchObject({
      findLr: false,
      overrides: { learningRate: 1e-3 },
    });
  });

  it('takes eval --train-data as the file the linear baseline is fitted on', () => {
    expect(parseCliArgs(['eval', '--model', dir, '--data', data, '--train-data', data])).toMatchObject({ kind: 'eval', trainData: data });
    expect(parseCliArgs(['eval', '--model', dir, '--data', data])).toMatchObject({ kind: 'eval', trainData: undefined });
  });

  it('takes a model that is not a folder for a Hub repo id', () => {
    const command = parseCliArgs(['predict', '--model', 'org/model', '--data', data, '--out', 'p.jsonl', '--revision', 'v1']);
    expect(command).toMatchObject({ kind: 'predict', model: { kind: 'hub', repo: 'org/model', revision: 'v1' } });
  });

  it('takes export-recipe with the settings of train, and nothing to predict', () => {
    const command = parseCliArgs([
      'export-recipe', '--data', data, '--task', 'mlm', '--out', 'recipe', '--model', 'org/model', '--freeze', 'gradual:epoch', '--llrd', '0.9', '--no-pack',
    ]);
    expect(command).toEqual({
      kind: 'export-recipe', data, task: 'mlm', out: 'recipe', model: { kind: 'hub', repo: 'org/model' }, modelDir: undefined, backend: 'auto',
      columns: {}, valData: undefined, regression: false, freeze: 'gradual:epoch', randomInit: false, findLr: false,
      overrides: { llrd: 0.9, packSequences: false },
    });
    expect(() => parseCliArgs(['export-recipe', '--data', data, '--task', 'mlm', '--out', 'r', '--predict-data', data, '--predict-out', 'p.jsonl'])).toThrow(
      /export-recipe trains nothing to predict with/,
    );
  });

  it('reads export-onnx without a data file, the int8 model in unless --no-quantized', () => {
    expect(parseCliArgs(['export-onnx', '--model', dir, '--out', 'web'])).toEqual({
      kind: 'export-onnx', model: { kind: 'dir', path: dir }, modelDir: dir, backend: 'auto', out: 'web', quantized: true,
    });
    expect(parseCliArgs(['export-onnx', '--model', 'org/model', '--out', 'web', '--no-quantized'])).toMatchObject({ model: { kind: 'hub', repo: 'org/model' }, quantized: false });
  });

  it('answers help without other flags', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['fit', '--data', data], /unknown command "fit"/],
    [['train', '--task', 'classify', '--out', 'o'], /train needs --data/],
    [['train', '--data', join(dir, 'missing.csv'), '--task', 'classify', '--out', 'o'], /missing\.csv: no such file/],
    [['train', '--data', data, '--task', 'pos', '--out', 'o'], /--task must be classify, mlm, ner or qa/],
    [['train', '--data', data, '--task', 'mlm', '--out', 'o', '--lr', 'fast'], /--lr must be a number or "auto", not "fast"/],
    [['train', '--data', data, '--task', 'mlm', '--out', 'o', '--predict-data', data], /--predict-data and --predict-out go together/],
    [['train', '--data', data, '--task', 'mlm', '--out', 'o', '--predict-data', join(dir, 'x.csv'), '--predict-out', 'p'], /x\.csv: no such file/],
    [['eval', '--data', data], /eval needs --model/],
    [['eval', '--data', data, '--model', dir, '--backend', 'tpu'], /--backend must be auto, webgpu, wasm or cpu/],
    [['eval', '--data', data, '--model', data], /must be a folder with config.json/],
    [['eval', '--data', data, '--model', dir, '--epoch', '3'], /Unknown option '--epoch'/],
    [['eval', '--data', data, '--model', dir, '--train-data', join(dir, 't.csv')], /--train-data .*t\.csv: no such file/],
    [['export-onnx', '--out', 'web'], /export-onnx needs --model/],
    [['export-onnx', '--model', dir], /export-onnx needs --out/],
    [['export-onnx', '--model', dir, '--out', 'web', '--data', data, '--quantized'], /Unknown option '--quantized'/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
