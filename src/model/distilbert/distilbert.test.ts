import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../tools/testing/fixtures';
import { readSafetensors } from '../../io/safetensors';
import { ConfigError } from '../errors';
import { distilBertConfigToJson, parseDistilBertConfig } from './config';
import { bertName, distilBertName } from './weights';

const fixtureJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES_DIR, 'distilbert', file), 'utf8'));

describe('DistilBERT config', () => {
  it("reads DistilBERT's keys into the shared encoder config: no token types, a ReLU pooler, eps 1e-12", () => {
    const config = parseDistilBertConfig(fixtureJson('config.json'));
    expect(config).toMatchObject({
      modelType: 'distilbert',
      hiddenSize: 32,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      intermediateSize: 64,
      hiddenAct: 'gelu',
      typeVocabSize: 0,
      layerNormEps: 1e-12,
      poolerAct: 'relu',
      classifierDropout: 0.2,
      id2label: ['negative', 'neutral', 'positive'],
    });
    expect(config.extras).toMatchObject({ qa_dropout: 0.1, tie_weights_: true });
  });

  it("takes HF DistilBertConfig's defaults where the file is silent", () => {
    const config = parseDistilBertConfig({ model_type: 'distilbert' });
    expect(config).toMatchObject({ hiddenSize: 768, numHiddenLayers: 6, numAttentionHeads: 12, intermediateSize: 3072, classifierDropout: 0.2, vocabSize: 30522 });
  });

  it("names DistilBERT's own key in a refusal, and refuses fixed sinusoidal positions", () => {
    expect(() => parseDistilBertConfig({ model_type: 'distilbert', dim: 30, n_heads: 4 })).toThrow(ConfigError);
    expect(() => parseDistilBertConfig({ model_type: 'distilbert', dim: 30, n_heads: 4 })).toThrow(/^config\.json: "dim" \(30\) must be a multiple of num_attention_heads/);
    expect(() => parseDistilBertConfig({ model_type: 'distilbert', n_layers: 0 })).toThrow(/"n_layers" must be a positive integer/);
    expect(() => parseDistilBertConfig({ model_type: 'distilbert', sinusoidal_pos_embds: true })).toThrow(/"sinusoidal_pos_embds"/);
  });

  it('writes config.json back in its own keys, equal to what it read', () => {
    const json = fixtureJson('config.json');
    const written = distilBertConfigToJson(parseDistilBertConfig(json));
    expect(written).toEqual(json);
    expect(Object.keys(written)).toEqual(Object.keys(written).sort());
    expect(written).not.toHaveProperty('hidden_size');
  });
});

describe('DistilBERT tensor names', () => {
  it("map every tensor of a DistilBERT checkpoint onto BERT's and back", () => {
    const stored = [...readSafetensors(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'distilbert', 'model.safetensors')))).tensors.keys()];
    const shared = stored.map(bertName);
    expect(shared.every((name) => name.startsWith('bert.') || name.startsWith('cls.') || name.startsWith('classifier.'))).toBe(true);
    expect(new Set(shared).size).toBe(stored.length);
    expect(shared.map(distilBertName)).toEqual(stored);
  });

  it('names each module as modeling_distilbert does', () => {
    expect(bertName('distilbert.transformer.layer.3.attention.q_lin.weight')).toBe('bert.encoder.layer.3.attention.self.query.weight');
    expect(bertName('transformer.layer.0.ffn.lin2.bias')).toBe('bert.encoder.layer.0.output.dense.bias');
    expect(bertName('distilbert.transformer.layer.1.output_layer_norm.weight')).toBe('bert.encoder.layer.1.output.LayerNorm.weight');
    expect(bertName('pre_classifier.weight')).toBe('bert.pooler.dense.weight');
    expect(bertName('vocab_projector.bias')).toBe('cls.predictions.bias');
    expect(bertName('distilbert.embeddings.position_ids')).toBe('bert.embeddings.position_ids');
    expect(bertName('qa_outputs.weight')).toBe('qa_outputs.weight'); // another head: reported unexpected
    expect(distilBertName('bert.encoder.layer.2.attention.output.LayerNorm.bias')).toBe('distilbert.transformer.layer.2.sa_layer_norm.bias');
  });
});
