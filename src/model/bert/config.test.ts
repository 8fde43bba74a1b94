import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bertConfigToJson, parseBertConfig, resolveProblemType } from './config';
import { ConfigError } from '../errors';

const fixtureConfig = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../../tools/reference/fixtures', name, 'config.json'), 'utf8'));

const bert = (patch: Record<string, unknown>): Record<string, unknown> => ({ model_type: 'bert', ...patch });

function configError(json: unknown): ConfigError {
  try {
    parseBertConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${JSON.stringify(json)}`);
}

describe('parseBertConfig', () => {
  it('reads every field of an HF config.json', () => {
    const config = parseBertConfig(fixtureConfig('base'));
    expect(config).toMatchObject({
      vocabSize: 120,
      hiddenSize: 32,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      intermediateSize: 64,
      hiddenAct: 'gelu',
      hiddenDropoutProb: 0.1,
      attentionProbsDropoutProb: 0.1,
      maxPositionEmbeddings: 64,
      typeVocabSize: 2,
      initializerRange: 0.02,
      layerNormEps: 1e-12,
      padTokenId: 0,
      positionEmbeddingType: 'absolute',
      id2label: ['negative', 'neutral', 'positive'],
      label2id: { negative: 0, neutral: 1, positive: 2 },
      numLabels: 3,
      problemType: null,
      architectures: ['BertForMaskedLM'],
      classifierDropout: null,
    });
    expect(config.extras).toEqual({ torch_dtype: 'float32', transformers_version: '4.44.2', use_cache: true });
  });

  it('applies HF BertConfig defaults to a bare config', () => {
    const config = parseBertConfig({ model_type: 'bert' });
    expect(config).toMatchObject({
      vocabSize: 30522,
      hiddenSize: 768,
      numHiddenLayers: 12,
      numAttentionHeads: 12,
      intermediateSize: 3072,
      hiddenAct: 'gelu',
      maxPositionEmbeddings: 512,
      layerNormEps: 1e-12,
      id2label: ['LABEL_0', 'LABEL_1'],
      numLabels: 2,
      architectures: null,
      extras: {},
    });
  });

  it('derives labels from num_labels alone, and accepts a regression problem type', () => {
    const config = parseBertConfig({ model_type: 'bert', num_labels: 1, problem_type: 'regression' });
    expect(config.id2label).toEqual(['LABEL_0']);
    expect(config.numLabels).toBe(1);
    expect(config.problemType).toBe('regression');
  });

  it('accepts gelu_new and relu, pad_token_id null and a numeric classifier_dropout', () => {
    const config = parseBertConfig({ model_type: 'bert', hidden_act: 'relu', pad_token_id: null, classifier_dropout: 0.2 });
    expect([config.hiddenAct, config.padTokenId, config.classifierDropout]).toEqual(['relu', null, 0.2]);
    expect(parseBertConfig({ model_type: 'bert', hidden_act: 'gelu_new' }).hiddenAct).toBe('gelu_new');
  });

  it.each([
    ['null', null, '(root)'],
    ['an array', [], '(root)'],
    ['a string', 'bert', '(root)'],
    ['no model_type', {}, 'model_type'],
    ['another model_type', { model_type: 'roberta' }, 'model_type'],
    ['a string size', bert({ vocab_size: '30522' }), 'vocab_size'],
    ['a zero size', bert({ hidden_size: 0 }), 'hidden_size'],
    ['a fractional layer count', bert({ num_hidden_layers: 1.5 }), 'num_hidden_layers'],
    ['heads that do not divide hidden_size', bert({ hidden_size: 10, num_attention_heads: 4 }), 'hidden_size'],
    ['an unknown activation', bert({ hidden_act: 'swish' }), 'hidden_act'],
    ['a dropout of 1', bert({ hidden_dropout_prob: 1 }), 'hidden_dropout_prob'],
    ['a negative dropout', bert({ attention_probs_dropout_prob: -0.1 }), 'attention_probs_dropout_prob'],
    ['a classifier dropout above 1', bert({ classifier_dropout: 1.5 }), 'classifier_dropout'],
    ['a zero layer_norm_eps', bert({ layer_norm_eps: 0 }), 'layer_norm_eps'],
    ['a negative initializer_range', bert({ initializer_range: -0.02 }), 'initializer_range'],
    ['a pad id outside the vocabulary', bert({ vocab_size: 10, pad_token_id: 10 }), 'pad_token_id'],
    ['relative positions', bert({ position_embedding_type: 'relative_key' }), 'position_embedding_type'],
    ['id2label as a list', bert({ id2label: ['a', 'b'] }), 'id2label'],
    ['id2label with a gap', bert({ id2label: { 0: 'a', 2: 'b' } }), 'id2label'],
    ['id2label with a padded key', bert({ id2label: { '00': 'a' } }), 'id2label'],
    ['id2label with a number label', bert({ id2label: { 0: 1 } }), 'id2label'],
    ['id2label with a duplicate', bert({ id2label: { 0: 'a', 1: 'a' } }), 'id2label'],
    ['an empty id2label', bert({ id2label: {} }), 'id2label'],
    ['label2id that is not the inverse', bert({ id2label: { 0: 'a', 1: 'b' }, label2id: { a: 1, b: 0 } }), 'label2id'],
    ['label2id with string ids', bert({ id2label: { 0: 'a' }, label2id: { a: '0' } }), 'label2id'],
    ['num_labels disagreeing with id2label', bert({ id2label: { 0: 'a' }, num_labels: 3 }), 'num_labels'],
    ['an unknown problem_type', bert({ problem_type: 'ranking' }), 'problem_type'],
    ['architectures as a string', bert({ architectures: 'BertModel' }), 'architectures'],
    ['a decoder', bert({ is_decoder: true }), 'is_decoder'],
    ['cross-attention', bert({ add_cross_attention: true }), 'add_cross_attention'],
    ['untied word embeddings', bert({ tie_word_embeddings: false }), 'tie_word_embeddings'],
    // Sizes past the caps are refused before anything is allocated from them (3e6 labels took 10 s and 1 GB).
    ['3 million labels', bert({ num_labels: 3_000_000 }), 'num_labels'],
    ['10 million labels', bert({ num_labels: 10_000_000 }), 'num_labels'],
    ['an id2label of 20,000 labels', bert({ id2label: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [i, `l${i}`])) }), 'id2label'],
    ['1000 layers', bert({ num_hidden_layers: 1000 }), 'num_hidden_layers'],
    ['a 2-million-token vocabulary', bert({ vocab_size: 2_000_000 }), 'vocab_size'],
    ['a hidden size of 100,000', bert({ hidden_size: 100_000, num_attention_heads: 1 }), 'hidden_size'],
  ])('rejects %s, naming the field', (_, json, field) => {
    const error = configError(json);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});

describe('bertConfigToJson', () => {
  it('round-trips through parseBertConfig, keeping the extras', () => {
    const config = parseBertConfig(fixtureConfig('regression'));
    expect(parseBertConfig(bertConfigToJson(config))).toEqual(config);
  });

  it('writes HF keys, sorted, with string id2label keys', () => {
    const json = bertConfigToJson(parseBertConfig(fixtureConfig('base')));
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
    expect(json).toMatchObject({
      model_type: 'bert',
      hidden_size: 32,
      id2label: { 0: 'negative', 1: 'neutral', 2: 'positive' },
      torch_dtype: 'float32',
    });
    expect(json).not.toHaveProperty('problem_type');
  });
});

describe('resolveProblemType', () => {
  it('follows HF: explicit type, else regression for one label, else single-label', () => {
    expect(resolveProblemType(parseBertConfig({ model_type: 'bert', num_labels: 1 }))).toBe('regression');
    expect(resolveProblemType(parseBertConfig({ model_type: 'bert', num_labels: 4 }))).toBe('single_label_classification');
    const multi = parseBertConfig({ model_type: 'bert', problem_type: 'multi_label_classification' });
    expect(resolveProblemType(multi)).toBe('multi_label_classification');
  });
});
