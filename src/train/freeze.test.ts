import { describe, expect, it } from 'vitest';
import { TrainInputError } from './errors';
import {
  allTrainable,
  formatFreezeSpec,
  freezeMapAt,
  freezeScheduleFor,
  headOnly,
  parseFreezeSpec,
  suggestFreeze,
  topK,
  trainableParamNames,
  type FreezeMap,
  type FreezeSchedule,
} from './freeze';
import { buildParamGroups, type GroupId } from './groups';
import { bertParamShapes } from './testing';

/** The frozen groups of a map, for compact assertions. */
function frozenOf(map: FreezeMap): string[] {
  return Object.entries(map)
    .filter(([, frozen]) => frozen)
    .map(([id]) => id);
}

describe('presets', () => {
  it('allTrainable freezes nothing and covers every group', () => {
    expect(Object.keys(allTrainable(2))).toEqual(['embeddings', 'layer.0', 'layer.1', 'pooler', 'head']);
    expect(frozenOf(allTrainable(2))).toEqual([]);
  });

  it('headOnly freezes the whole encoder, pooler included', () => {
    expect(frozenOf(headOnly(2))).toEqual(['embeddings', 'layer.0', 'layer.1', 'pooler']);
  });

  it('topK trains the top k layers, pooler and head', () => {
    expect(frozenOf(topK(4, 1))).toEqual(['embeddings', 'layer.0', 'layer.1', 'layer.2']);
    expect(frozenOf(topK(4, 0))).toEqual(['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3']);
    expect(frozenOf(topK(4, 4))).toEqual(['embeddings']);
    expect(() => topK(4, 5)).toThrow(/from 0 to 4/);
    expect(() => topK(4, -1)).toThrow(TrainInputError);
  });
});

describe('freezeMapAt', () => {
  it('returns a fixed map whatever the step', () => {
    const map = topK(3, 1);
    expect(freezeMapAt({ kind: 'fixed', map }, 1000, 7)).toBe(map);
  });

  it('unfreezes one unit from the top per epoch: head, pooler with the top layer, lower layers, embeddings', () => {
    const schedule: FreezeSchedule = { kind: 'gradual', start: headOnly(3), every: 'epoch' };
    const at = (epoch: number): string[] => frozenOf(freezeMapAt(schedule, 123, epoch));
    expect(at(0)).toEqual(['embeddings', 'layer.0', 'layer.1', 'layer.2', 'pooler']);
    expect(at(1)).toEqual(['embeddings', 'layer.0', 'layer.1']);
    expect(at(2)).toEqual(['embeddings', 'layer.0']);
    expect(at(3)).toEqual(['embeddings']);
    expect(at(4)).toEqual([]);
    expect(at(50)).toEqual([]);
  });

  it('counts periods in steps and skips units that start trainable', () => {
    const schedule: FreezeSchedule = { kind: 'gradual', start: topK(4, 2), every: 10 };
    expect(frozenOf(freezeMapAt(schedule, 9, 0))).toEqual(['embeddings', 'layer.0', 'layer.1']);
    expect(frozenOf(freezeMapAt(schedule, 10, 0))).toEqual(['embeddings', 'layer.0']);
    expect(frozenOf(freezeMapAt(schedule, 25, 0))).toEqual(['embeddings']);
    expect(frozenOf(freezeMapAt(schedule, 30, 0))).toEqual([]);
  });

  it('rejects bad steps, periods and maps', () => {
    const start = headOnly(2);
    expect(() => freezeMapAt({ kind: 'gradual', start, every: 0 }, 0, 0)).toThrow(/steps >= 1/);
    expect(() => freezeMapAt({ kind: 'fixed', map: start }, -1, 0)).toThrow(/step must be a whole number/);
    expect(() => freezeMapAt({ kind: 'fixed', map: start }, 0, 0.5)).toThrow(/epoch must be a whole number/);
    const { pooler: _pooler, ...withoutPooler } = start;
    expect(() => freezeMapAt({ kind: 'gradual', start: withoutPooler as FreezeMap, every: 'epoch' }, 0, 1)).toThrow(
      /needs exactly the groups/,
    );
  });
});

describe('parseFreezeSpec', () => {
  it('parses every form', () => {
    expect(parseFreezeSpec('none')).toEqual({ kind: 'none' });
    expect(parseFreezeSpec(' All-Trainable ')).toEqual({ kind: 'none' });
    expect(parseFreezeSpec('head')).toEqual({ kind: 'head' });
    expect(parseFreezeSpec('top:2')).toEqual({ kind: 'top', k: 2 });
    expect(parseFreezeSpec('embeddings, 0,1')).toEqual({ kind: 'groups', frozen: ['embeddings', 'layer.0', 'layer.1'] });
    expect(parseFreezeSpec('pooler')).toEqual({ kind: 'groups', frozen: ['pooler'] });
    expect(parseFreezeSpec('gradual:epoch')).toEqual({ kind: 'gradual', every: 'epoch' });
    expect(parseFreezeSpec('gradual:100')).toEqual({ kind: 'gradual', every: 100 });
  });

  it('round-trips through formatFreezeSpec', () => {
    for (const text of ['none', 'head', 'top:3', 'embeddings,0,11', 'gradual:epoch', 'gradual:50']) {
      expect(formatFreezeSpec(parseFreezeSpec(text))).toBe(text);
    }
  });

  it.each([
    ['', /empty/],
    ['top', /needs a value/],
    ['top:x', /"x" is not a whole number/],
    ['top:-1', /not a whole number/],
    ['gradual:0', /neither "epoch" nor a step count/],
    ['gradual:1.5', /neither/],
    ['bottom:2', /unknown kind "bottom"/],
    ['top:1:2', /too many ":"/],
    ['0,,1', /empty item/],
    ['0,0', /listed twice/],
    ['embeddings,head', /head cannot be frozen/],
    ['encoder', /"encoder" is not a layer index/],
  ])('rejects %j', (spec, message) => {
    try {
      parseFreezeSpec(spec);
    } catch (error) {
      expect(error).toBeInstanceOf(TrainInputError);
      expect((error as TrainInputError).field).toBe('freeze');
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain('Use "none"');
      return;
    }
    throw new Error(`expected ${JSON.stringify(spec)} to be rejected`);
  });
});

describe('freezeScheduleFor', () => {
  it('resolves specs against the layer count', () => {
    expect(freezeScheduleFor({ kind: 'none' }, 2)).toEqual({ kind: 'fixed', map: allTrainable(2) });
    expect(freezeScheduleFor({ kind: 'head' }, 2)).toEqual({ kind: 'fixed', map: headOnly(2) });
    expect(freezeScheduleFor(parseFreezeSpec('top:1'), 2)).toEqual({ kind: 'fixed', map: topK(2, 1) });
    expect(freezeScheduleFor(parseFreezeSpec('gradual:epoch'), 2)).toEqual({ kind: 'gradual', start: headOnly(2), every: 'epoch' });
    const groups = freezeScheduleFor(parseFreezeSpec('embeddings,1'), 3);
    expect(groups.kind === 'fixed' && frozenOf(groups.map)).toEqual(['embeddings', 'layer.1']);
  });

  it('rejects layers the model does not have', () => {
    expect(() => freezeScheduleFor(parseFreezeSpec('0,2'), 2)).toThrow(/cannot freeze layer.2: the model has layers 0 to 1/);
    expect(() => freezeScheduleFor(parseFreezeSpec('top:3'), 2)).toThrow(/from 0 to 2/);
    expect(() => freezeScheduleFor({ kind: 'groups', frozen: ['head' as GroupId] }, 2)).toThrow(/cannot freeze head/);
  });
});

describe('suggestFreeze', () => {
  it('freezes the lower half on small data and nothing on enough data', () => {
    const small = suggestFreeze(200, 12, 768);
    expect(small.spec).toEqual({ kind: 'top', k: 6 });
    expect(small.reason).toContain('layers 0-5');
    expect(suggestFreeze(999, 3, 768).spec).toEqual({ kind: 'top', k: 2 });
    expect(suggestFreeze(1, 1, 768).reason).toContain('freezing the embeddings and training the top layer and the head');
    expect(suggestFreeze(1, 2, 1024).reason).toContain('freezing the embeddings and layer 0 and training the top layer');
    expect(suggestFreeze(1, 12, 768).reason).toContain('freezing the embeddings and layers 0-5 and training the top 6 layers');
    expect(suggestFreeze(1000, 12, 768).spec).toEqual({ kind: 'none' });
  });

  it('lets small models train every layer on any data size', () => {
    expect(suggestFreeze(200, 2, 128)).toMatchObject({ spec: { kind: 'none' }, reason: expect.stringContaining('hidden size 128 ≤ 512') });
    expect(suggestFreeze(200, 8, 512).spec).toEqual({ kind: 'none' });
    expect(suggestFreeze(200, 12, 513).spec).toEqual({ kind: 'top', k: 6 });
  });

  it('rejects bad counts', () => {
    expect(() => suggestFreeze(-1, 12, 768)).toThrow(TrainInputError);
    expect(() => suggestFreeze(10, 0, 768)).toThrow(/numLayers/);
  });
});

describe('trainableParamNames', () => {
  const groups = buildParamGroups(bertParamShapes({ numLayers: 2, head: 2 }), 2);

  it('lists the parameters of unfrozen groups only', () => {
    expect(trainableParamNames(groups, headOnly(2))).toEqual(['classifier.weight', 'classifier.bias']);
    const top = trainableParamNames(groups, topK(2, 1));
    expect(top).toContain('bert.encoder.layer.1.output.LayerNorm.bias');
    expect(top).toContain('bert.pooler.dense.weight');
    expect(top.some((name) => name.startsWith('bert.encoder.layer.0.') || name.startsWith('bert.embeddings.'))).toBe(false);
    expect(trainableParamNames(groups, allTrainable(2))).toHaveLength(groups.numTensors);
  });

  it('rejects a map for another model and a map that freezes everything', () => {
    expect(() => trainableParamNames(groups, allTrainable(3))).toThrow(/for 3 layers, the model has 2/);
    const everything = { ...headOnly(2), head: true };
    expect(() => trainableParamNames(groups, everything)).toThrow(/nothing to train/);
  });
});
