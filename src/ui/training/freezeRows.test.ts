import { describe, expect, it } from 'vitest';
import { allTrainable, headOnly, topK } from '../../train/freeze';
import { buildParamGroups } from '../../train/groups';
import { bertParamShapes } from '../../train/testing';
import { checkSpec, displayOrder, freezeRows, presetOf, presetSpec, trainableCount, type FreezeRowsInput } from './freezeRows';

const HIDDEN = 8;
const mlmGroups = buildParamGroups(bertParamShapes({ numLayers: 3, hidden: HIDDEN, head: 'mlm', pooler: false }), 3);
const classifierGroups = buildParamGroups(bertParamShapes({ numLayers: 3, hidden: HIDDEN, head: 2 }), 3);

const input = (overrides: Partial<FreezeRowsInput>): FreezeRowsInput => ({
  numLayers: 3,
  hiddenSize: HIDDEN,
  vocabSize: 30,
  task: 'classify',
  groups: classifierGroups,
  map: allTrainable(3),
  llrd: 1,
  headLrMultiplier: 1,
  numLabels: 2,
  liveFrozen: null,
  ...overrides,
});

describe('displayOrder', () => {
  it('stacks head, pooler, layers top-down, embeddings; MLM has no pooler', () => {
    expect(displayOrder(3, 'classify')).toEqual(['head', 'pooler', 'layer.2', 'layer.1', 'layer.0', 'embeddings']);
    expect(displayOrder(2, 'mlm')).toEqual(['head', 'layer.1', 'layer.0', 'embeddings']);
    expect(displayOrder(2, 'ner')).toEqual(['head', 'layer.1', 'layer.0', 'embeddings']);
    expect(displayOrder(2, 'qa')).toEqual(['head', 'layer.1', 'layer.0', 'embeddings']);
  });
});

describe('freezeRows', () => {
  it('reads sizes from the groups, locks the head and follows the map', () => {
    const rows = freezeRows(input({ map: topK(3, 1) }));
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(rows.map((row) => row.label)).toEqual(['Classifier head', 'Pooler', 'Layer 2', 'Layer 1', 'Layer 0', 'Embeddings']);
    expect(byId.head).toMatchObject({ locked: true, frozen: false, numParams: HIDDEN * 2 + 2, isNew: false });
    expect(byId['layer.2'].frozen).toBe(false);
    expect(byId['layer.1'].frozen).toBe(true);
    expect(byId.embeddings.frozen).toBe(true);
    expect(byId['layer.0'].numParams).toBe(classifierGroups.groups.find((g) => g.id === 'layer.0')!.numParams);
    expect(rows.every((row) => row.frozenNow === null)).toBe(true);
  });

  it('marks a classifier and pooler the MLM checkpoint lacks as new, sized for the data\'s labels', () => {
    const rows = freezeRows(input({ groups: mlmGroups, numLabels: 5 }));
    expect(rows[0]).toMatchObject({ id: 'head', numParams: HIDDEN * 5 + 5, isNew: true });
    expect(rows[1]).toMatchObject({ id: 'pooler', numParams: HIDDEN * HIDDEN + HIDDEN, isNew: true });
    expect(rows[2]).toMatchObject({ id: 'layer.2', isNew: false });
  });

  it('sizes a QA head as qa_outputs (a start and an end logit), new on a checkpoint without one, with no pooler', () => {
    const rows = freezeRows(input({ task: 'qa', groups: classifierGroups, numLabels: null }));
    expect(rows[0]).toMatchObject({ id: 'head', label: 'Answer span head (qa_outputs)', numParams: HIDDEN * 2 + 2, isNew: true });
    expect(rows.map((row) => row.id)).not.toContain('pooler');
  });

  it('calls a classifier with other labels new, and leaves the head size unknown before data loads', () => {
    expect(freezeRows(input({ numLabels: 3 }))[0]).toMatchObject({ numParams: HIDDEN * 3 + 3, isNew: true });
    expect(freezeRows(input({ groups: mlmGroups, numLabels: null }))[0]).toMatchObject({ numParams: null, isNew: true });
  });

  it('keeps the MLM head of an MLM checkpoint', () => {
    const rows = freezeRows(input({ groups: mlmGroups, task: 'mlm', numLabels: null }));
    expect(rows[0]).toMatchObject({ label: 'MLM head', isNew: false, numParams: mlmGroups.groups.at(-1)!.numParams });
    expect(rows.map((row) => row.id)).not.toContain('pooler');
  });

  it('sizes the MLM head a fine-tuned classifier lacks as the MLM head, not as its classifier', () => {
    const rows = freezeRows(input({ groups: classifierGroups, task: 'mlm', numLabels: null }));
    // transform dense + bias, LayerNorm, decoder bias over the vocabulary: what the MLM checkpoint's head holds.
    expect(rows[0]).toMatchObject({ label: 'MLM head', isNew: true, numParams: HIDDEN * HIDDEN + 3 * HIDDEN + 30 });
    expect(rows[0].numParams).toBe(mlmGroups.groups.at(-1)!.numParams);
  });

  it('gives each group its LR multiplier relative to the base rate', () => {
    const rows = freezeRows(input({ llrd: 0.5, headLrMultiplier: 10 }));
    const multipliers = Object.fromEntries(rows.map((row) => [row.id, row.lrMultiplier]));
    expect(multipliers).toEqual({ head: 10, pooler: 1, 'layer.2': 0.5, 'layer.1': 0.25, 'layer.0': 0.125, embeddings: 0.0625 });
  });

  it('shows what the running step actually froze', () => {
    const rows = freezeRows(input({ map: headOnly(3), liveFrozen: ['embeddings', 'layer.0'] }));
    expect(rows.filter((row) => row.frozenNow).map((row) => row.id)).toEqual(['layer.0', 'embeddings']);
    expect(rows.filter((row) => row.frozen).map((row) => row.id)).toEqual(['pooler', 'layer.2', 'layer.1', 'layer.0', 'embeddings']);
  });

  it('rejects bad LR settings with the engine\'s error', () => {
    expect(() => freezeRows(input({ llrd: 0 }))).toThrow(/llrd must be in \(0, 1\]/);
  });
});

describe('trainableCount', () => {
  it('sums the trainable and all known group sizes', () => {
    const rows = freezeRows(input({ map: headOnly(3) }));
    const { trainable, total } = trainableCount(rows);
    expect(total).toBe(classifierGroups.numParams);
    expect(trainable).toBe(HIDDEN * 2 + 2);
  });

  it('skips groups of unknown size', () => {
    const rows = freezeRows(input({ groups: mlmGroups, numLabels: null }));
    expect(trainableCount(rows).total).toBe(rows.reduce((n, row) => n + (row.numParams ?? 0), 0));
  });
});

describe('presets', () => {
  it('write the --freeze grammar and read it back', () => {
    expect(presetSpec({ kind: 'all' })).toBe('none');
    expect(presetSpec({ kind: 'head' })).toBe('head');
    expect(presetSpec({ kind: 'top', k: 2 })).toBe('top:2');
    expect(presetSpec({ kind: 'gradual', every: 'epoch' })).toBe('gradual:epoch');
    expect(presetSpec({ kind: 'gradual', every: 50 })).toBe('gradual:50');
    expect(['none', 'all-trainable', 'head', 'top:2', 'gradual:50', 'gradual:epoch', 'embeddings,0'].map(presetOf)).toEqual([
      { kind: 'all' },
      { kind: 'all' },
      { kind: 'head' },
      { kind: 'top', k: 2 },
      { kind: 'gradual', every: 50 },
      { kind: 'gradual', every: 'epoch' },
      { kind: 'custom' },
    ]);
    expect(presetOf('top:')).toBeNull();
  });
});

describe('checkSpec', () => {
  it('says what each kind of spec freezes', () => {
    expect(checkSpec('none', 4)).toEqual({ ok: true, summary: 'Every layer trains.' });
    expect(checkSpec('head', 4)).toMatchObject({ summary: expect.stringMatching(/^Only the head trains/) });
    expect(checkSpec('top:2', 4)).toEqual({ ok: true, summary: 'The top 2 layers, the pooler and the head train; the embeddings and layers 0–1 are frozen.' });
    expect(checkSpec('top:1', 2)).toMatchObject({ summary: 'The top 1 layer, the pooler and the head train; the embeddings and layer 0 are frozen.' });
    expect(checkSpec('top:4', 4)).toMatchObject({ summary: 'Every layer trains; only the embeddings are frozen.' });
    expect(checkSpec('gradual:25', 4)).toMatchObject({ summary: expect.stringMatching(/every 25 steps\.$/) });
    expect(checkSpec('embeddings,0,2', 4)).toEqual({ ok: true, summary: 'Frozen: the embeddings, layers 0, 2; everything else trains.' });
  });

  it('reports malformed specs and layers the model does not have', () => {
    expect(checkSpec('top:x', 4)).toMatchObject({ ok: false, error: expect.stringMatching(/bad freeze spec/) });
    expect(checkSpec('7', 4)).toMatchObject({ ok: false, error: expect.stringMatching(/layers 0 to 3/) });
    expect(checkSpec('top:9', 4)).toMatchObject({ ok: false });
  });
});
