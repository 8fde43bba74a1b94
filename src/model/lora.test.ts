import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addAdapters, adaptedLayers, dropAdapters, foldAdapters, mergedValues, parseLoraTargets, type LoraSettings } from './lora';
import { linear } from './nn';
import type { Params } from './params';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings: LoraSettings = { rank: 2, alpha: 6, dropout: 0, targets: ['query', 'ffn'] };

function layerParams(): Params {
  const params: Params = new Map();
  const add = (name: string, shape: number[]) => params.set(name, tf.variable(tf.randomNormal(shape, 0, 1, 'float32', name.length)));
  for (const layer of adaptedLayers({ numHiddenGroups: 1 }, ['query', 'key', 'value', 'attention.output', 'ffn'])) {
    const [out, inp] = layer.endsWith('intermediate.dense') ? [8, 4] : layer.endsWith('.output.dense') && !layer.includes('attention') ? [4, 8] : [4, 4];
    add(`${layer}.weight`, [out, inp]);
    add(`${layer}.bias`, [out]);
  }
  return params;
}

describe('LoRA adapters', () => {
  it('reads targets in a fixed order and names what it does not know', () => {
    expect(parseLoraTargets(' ffn, query ,value')).toEqual(['query', 'value', 'ffn']);
    expect(() => parseLoraTargets('query,mlp')).toThrow('has "mlp"; the targets are query, key, value, attention.output, ffn');
    expect(() => parseLoraTargets(' , ')).toThrow(/names no target/);
  });

  it('puts A [r, in] and a zero B [out, r] on the targeted layers only, so the model starts unchanged, and frees them all', () => {
    const params = layerParams();
    const before = tf.memory().numTensors;
    const added = addAdapters(params, { numHiddenGroups: 1 } as never, settings, 3);
    expect(added).toEqual([
      'bert.encoder.layer.0.attention.self.query.lora_A.weight', 'bert.encoder.layer.0.attention.self.query.lora_B.weight',
      'bert.encoder.layer.0.intermediate.dense.lora_A.weight', 'bert.encoder.layer.0.intermediate.dense.lora_B.weight',
      'bert.encoder.layer.0.output.dense.lora_A.weight', 'bert.encoder.layer.0.output.dense.lora_B.weight',
    ]);
    expect(tf.memory().numTensors).toBe(before + added.length);
    expect(params.get('bert.encoder.layer.0.intermediate.dense.lora_A.weight')!.shape).toEqual([2, 4]);
    expect(params.get('bert.encoder.layer.0.intermediate.dense.lora_B.weight')!.shape).toEqual([8, 2]);
    tf.tidy(() => {
      // PEFT's kaiming_uniform_(a=√5): |A| ≤ 1/√in.
      expect(Math.max(...params.get('bert.encoder.layer.0.output.dense.lora_A.weight')!.abs().dataSync())).toBeLessThanOrEqual(1 / Math.sqrt(8));
      const x = tf.randomNormal([3, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
      const prefix = 'bert.encoder.layer.0.attention.self.query';
      const context = { lora: settings, opts: { training: false } };
      expect(linear(params, prefix, x, context).arraySync()).toEqual(linear(params, prefix, x).arraySync());
    });
    dropAdapters(params);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adds (α/r)·B·A·x to the layer, and merging it into W gives the same layer without the adapter', async () => {
    const params = layerParams();
    addAdapters(params, { numHiddenGroups: 1 } as never, settings, 3);
    const prefix = 'bert.encoder.layer.0.intermediate.dense';
    params.get(`${prefix}.lora_B.weight`)!.assign(tf.randomNormal([8, 2], 0, 1, 'float32', 5));
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
    const [a, b, w, bias] = ['lora_A.weight', 'lora_B.weight', 'weight', 'bias'].map((n) => params.get(`${prefix}.${n}`)!);
    const expected = tf.add(tf.add(tf.matMul(x, w, false, true), bias), tf.mul(tf.matMul(tf.matMul(x, a, false, true), b, false, true), 3));
    const adapted = linear(params, prefix, x, { lora: settings, opts: { training: false } });
    expect(tf.max(tf.abs(tf.sub(adapted, expected))).dataSync()[0]).toBeLessThan(1e-5);

    const merged = await mergedValues(params, settings);
    expect([...merged.keys()].some((name) => name.includes('lora'))).toBe(false);
    foldAdapters(params, settings);
    expect([...params.keys()].some((name) => name.includes('lora'))).toBe(false);
    expect(params.get(`${prefix}.weight`)!.dataSync()).toEqual(merged.get(`${prefix}.weight`)!.data);
    expect(tf.max(tf.abs(tf.sub(linear(params, prefix, x), expected))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
