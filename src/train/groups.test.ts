import { describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import { buildParamGroups, decayNames, describeParamGroups, groupIds, groupOf } from './groups';
import { bertParamShapes } from './testing';

describe('buildParamGroups', () => {
  const shapes = bertParamShapes({ numLayers: 2, hidden: 8, intermediate: 16, vocab: 30, head: 3 });
  const groups = buildParamGroups(shapes, 2);

  it('orders groups bottom to top and places every tensor once', () => {
    expect(groups.groups.map((g) => g.id)).toEqual(['embeddings', 'layer.0', 'layer.1', 'pooler', 'head']);
    const members = groups.groups.flatMap((g) => [...g.decay, ...g.noDecay]);
    expect(members.sort()).toEqual([...shapes.keys()].sort());
    expect(groups.numTensors).toBe(shapes.size);
  });

  it('splits decay like the Hugging Face Trainer: no decay for biases and LayerNorm, decay for embeddings', () => {
    const decayed = decayNames(groups);
    for (const name of shapes.keys()) {
      expect(decayed.has(name), name).toBe(!name.includes('bias') && !name.includes('LayerNorm'));
    }
    expect(decayed.has('bert.embeddings.word_embeddings.weight')).toBe(true);
  });

  it('counts tensors and parameters per group', () => {
    const layer0 = groups.groups[1];
    // 6 dense layers (q, k, v, attention output, intermediate, output) and 2 LayerNorms.
    expect(layer0.decay).toHaveLength(6);
    expect(layer0.noDecay).toHaveLength(10);
    expect(layer0.numParams).toBe(4 * (8 * 8 + 8) + (16 * 8 + 16) + (8 * 16 + 8) + 2 * 2 * 8);
    expect(layer0.numDecayParams).toBe(4 * 64 + 2 * 128);
    const head = groups.groups[4];
    expect(head).toMatchObject({ decay: ['classifier.weight'], noDecay: ['classifier.bias'], numParams: 27 });
    const expectedTotal = [...shapes.values()].reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0);
    expect(groups.numParams).toBe(expectedTotal);
    expect(groups.numDecayTensors).toBe(3 + 2 * 6 + 1 + 1);
  });

  it('puts the MLM head in "head" without decay on cls.predictions.bias and leaves out a missing pooler', () => {
    const mlm = buildParamGroups(bertParamShapes({ numLayers: 1, head: 'mlm', pooler: false }), 1);
    expect(mlm.groups.map((g) => g.id)).toEqual(['embeddings', 'layer.0', 'head']);
    const head = mlm.groups[2];
    expect(head.decay).toEqual(['cls.predictions.transform.dense.weight']);
    expect(head.noDecay).toContain('cls.predictions.bias');
  });

  it('prints the rule and the counts', () => {
    const text = describeParamGroups(groups);
    expect(text).toContain('rule: weight decay on tensors with >= 2 dims');
    expect(text).toMatch(new RegExp(`total\\s+${groups.numTensors}\\s+${groups.numParams}\\s`));
    expect(text).toContain(`decayed: ${groups.numDecayTensors} tensors`);
    expect(JSON.parse(JSON.stringify(groups))).toEqual(groups);
  });

  it('rejects names and shapes it cannot place', () => {
    const bad = (name: string, shape: number[], numLayers = 2): (() => void) => () =>
      buildParamGroups(new Map([[name, { shape }]]), numLayers);
    expect(bad('bert.encoder.layer.2.output.dense.weight', [2, 2])).toThrow(/layer 2, but the model has 2 layers/);
    expect(bad('bert.mystery.weight', [2])).toThrow(/no known part/);
    expect(bad('encoder.layer.0.output.dense.weight', [2, 2])).toThrow(/lacks the "bert." prefix/);
    expect(bad('classifier.weight', [2, 0])).toThrow(/bad shape \[2, 0\]/);
    expect(bad('classifier.weight', [2.5])).toThrow(TrainInputError);
    expect(bad('classifier.weight', [2], 0)).toThrow(/numLayers must be an integer >= 1/);
  });
});

describe('groupOf / groupIds', () => {
  it('maps canonical names', () => {
    expect(groupOf('bert.embeddings.LayerNorm.weight', 12)).toBe('embeddings');
    expect(groupOf('bert.encoder.layer.11.attention.self.query.bias', 12)).toBe('layer.11');
    expect(groupOf('bert.pooler.dense.weight', 12)).toBe('pooler');
    expect(groupOf('cls.predictions.bias', 12)).toBe('head');
  });

  it('lists every group bottom to top', () => {
    expect(groupIds(2)).toEqual(['embeddings', 'layer.0', 'layer.1', 'pooler', 'head']);
    expect(() => groupIds(1.5)).toThrow(TrainInputError);
  });
});
