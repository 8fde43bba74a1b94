import { describe, expect, it } from 'vitest';
import { headNotice } from './headNotice';

const heads = (mlm: boolean) => ({ pooler: !mlm, mlm, classifier: !mlm });

describe('headNotice', () => {
  it('says nothing when the task is classification or the weights have an MLM head', () => {
    expect(headNotice('classify', { heads: heads(false), checkpointHeads: heads(false), source: 'm' })).toBeNull();
    expect(headNotice('mlm', { heads: heads(true), checkpointHeads: heads(false), source: 'm' })).toBeNull();
  });

  it('names the checkpoint the MLM head comes from, or warns that it starts at random', () => {
    expect(headNotice('mlm', { heads: heads(false), checkpointHeads: heads(true), source: 'bert-tiny-en' })).toContain('takes the MLM head from the pretrained checkpoint bert-tiny-en');
    expect(headNotice('mlm', { heads: heads(false), checkpointHeads: heads(false), source: 'hub:x' })).toContain('starts one from random weights');
  });
});
