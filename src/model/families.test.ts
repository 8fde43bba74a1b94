import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { familyOf } from './families';

describe('model families', () => {
  it('refuse an unknown model_type by naming it and the families there are', () => {
    expect(() => familyOf({ model_type: 'gpt2' })).toThrow(ConfigError);
    expect(() => familyOf({ model_type: 'gpt2' })).toThrow('config.json: "model_type" "gpt2" is not a family the studio loads (it loads "bert", "distilbert", "electra", "roberta", "xlm-roberta", "albert")');
    expect(() => familyOf({})).toThrow(/null is not a family/);
    expect(familyOf({ model_type: 'distilbert' }).tokenizerClass).toBe('DistilBertTokenizer');
  });
});
