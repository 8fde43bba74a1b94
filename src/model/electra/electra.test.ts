import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../tools/testing/fixtures';
import { readSafetensors } from '../../io/safetensors';
import { parameterShapes } from '../bert/params';
import { ConfigError } from '../errors';
import { electraConfigToJson, parseElectraConfig } from './config';
import { bertName, electraName } from './weights';

const fixture = (file: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'electra', file)));
const configJson = (): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fixture('config.json')));

describe('ELECTRA config', () => {
  it('reads embedding_size beside the BERT keys, with a GELU classification head that drops [CLS] out first', () => {
    expect(parseElectraConfig(configJson())).toMatchObject({
      modelType: 'electra',
      embeddingSize: 24,
      hiddenSize: 32,
      typeVocabSize: 2,
      poolerAct: 'gelu',
      poolerInputDropout: true,
      mlmAct: 'gelu',
    });
  });

  it("takes HF ElectraConfig's defaults (electra-small) where the file is silent, and refuses a bad embedding_size", () => {
    expect(parseElectraConfig({ model_type: 'electra' })).toMatchObject({ embeddingSize: 128, hiddenSize: 256, numAttentionHeads: 4, intermediateSize: 1024, numHiddenLayers: 12 });
    expect(() => parseElectraConfig({ model_type: 'electra', embedding_size: 0 })).toThrow(ConfigError);
    expect(() => parseElectraConfig({ model_type: 'electra', embedding_size: 0 })).toThrow(/"embedding_size" must be a positive integer/);
  });

  it('writes config.json back as it read it', () => {
    expect(electraConfigToJson(parseElectraConfig(configJson()))).toEqual(configJson());
  });
});

describe('ELECTRA tensor names', () => {
  it("map every tensor of the checkpoint onto the shared names and shapes, and back", () => {
    const tensors = readSafetensors(fixture('model.safetensors')).tensors;
    const shapes = parameterShapes(parseElectraConfig(configJson()), { pooler: true, mlm: true, classifier: true });
    for (const [stored, entry] of tensors) {
      expect(shapes.get(bertName(stored)), stored).toEqual(entry.shape);
      expect(electraName(bertName(stored))).toBe(stored);
    }
    // ElectraForTokenClassification's classifier is a plain linear layer, saved as such beside no pooler.
    for (const stored of ['classifier.weight', 'classifier.bias']) {
      expect(electraName(bertName(stored), { pooler: false, mlm: false, classifier: true })).toBe(stored);
    }
    expect(tensors.size).toBe(shapes.size);
  });

  it('take an ElectraModel without the prefix, and leave a discriminator head unexpected', () => {
    expect(bertName('embeddings_project.weight')).toBe('bert.embeddings.project.weight');
    expect(bertName('encoder.layer.0.output.dense.bias')).toBe('bert.encoder.layer.0.output.dense.bias');
    expect(bertName('discriminator_predictions.dense.weight')).toBe('discriminator_predictions.dense.weight');
  });
});
