#!/usr/bin/python3
"""Golden fixture for the studio's DistilBERT family (src/model/distilbert).

A from-scratch PyTorch DistilBERT that follows Hugging Face's `modeling_distilbert` (eager attention) in its own
terms and names — `q_lin`, `sa_layer_norm`, `ffn.lin1`, `pre_classifier`, `vocab_projector` — not BERT's: the
studio maps those names onto its shared encoder, and this reference checks that mapping, DistilBERT's missing token
types and its ReLU pre-classifier end to end. Float64 from float32 weights, as make_fixtures.py.

Usage: /usr/bin/python3 tools/reference/make_distilbert_fixture.py   (rewrites tools/reference/fixtures/distilbert)
"""

import math

import torch
import torch.nn.functional as F

from make_fixtures import VOCAB, gelu, seeded_weights, write_family_fixture

EPS = 1e-12  # every DistilBERT LayerNorm


def config():
    return {
        'activation': 'gelu',
        'architectures': ['DistilBertForMaskedLM'],
        'attention_dropout': 0.1,
        'dim': 32,
        'dropout': 0.1,
        'hidden_dim': 64,
        'id2label': {'0': 'negative', '1': 'neutral', '2': 'positive'},
        'initializer_range': 0.02,
        'label2id': {'negative': 0, 'neutral': 1, 'positive': 2},
        'max_position_embeddings': 64,
        'model_type': 'distilbert',
        'n_heads': 4,
        'n_layers': 2,
        'pad_token_id': 0,
        'qa_dropout': 0.1,
        'seq_classif_dropout': 0.2,
        'sinusoidal_pos_embds': False,
        'tie_weights_': True,
        'transformers_version': '4.44.2',
        'vocab_size': len(VOCAB),
    }


def shapes(cfg):
    d, h, v = cfg['dim'], cfg['hidden_dim'], cfg['vocab_size']
    out = {
        'distilbert.embeddings.word_embeddings.weight': [v, d],
        'distilbert.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], d],
        'distilbert.embeddings.LayerNorm.weight': [d],
        'distilbert.embeddings.LayerNorm.bias': [d],
    }
    for i in range(cfg['n_layers']):
        p = f'distilbert.transformer.layer.{i}.'
        for lin, (o, n) in [('attention.q_lin', (d, d)), ('attention.k_lin', (d, d)), ('attention.v_lin', (d, d)),
                            ('attention.out_lin', (d, d)), ('ffn.lin1', (h, d)), ('ffn.lin2', (d, h))]:
            out[p + lin + '.weight'] = [o, n]
            out[p + lin + '.bias'] = [o]
        for norm in ('sa_layer_norm', 'output_layer_norm'):
            out[p + norm + '.weight'] = [d]
            out[p + norm + '.bias'] = [d]
    out.update({
        'pre_classifier.weight': [d, d], 'pre_classifier.bias': [d],
        'classifier.weight': [len(cfg['id2label']), d], 'classifier.bias': [len(cfg['id2label'])],
        'vocab_transform.weight': [d, d], 'vocab_transform.bias': [d],
        'vocab_layer_norm.weight': [d], 'vocab_layer_norm.bias': [d],
        'vocab_projector.bias': [v],  # its weight is the word embeddings (tied, not saved)
    })
    return out


def random_weights(cfg, seed):
    """Larger than the N(0, 0.02) init, so that a wrong name, a missing ReLU or a token-type term moves the outputs
    by far more than the tolerance."""
    def mean_std(name):
        if 'norm' in name.lower():
            return (1.0, 0.2) if name.endswith('weight') else (0.0, 0.1)
        if 'embeddings' in name:
            return 0.0, 0.5
        if name.endswith('q_lin.weight') or name.endswith('k_lin.weight'):
            return 0.0, 0.25
        return (0.0, 0.1) if name.endswith('weight') else (0.0, 0.05)
    return seeded_weights(shapes(cfg), seed, mean_std)


def linear(p, prefix, x):
    return x @ p[prefix + '.weight'].T + p[prefix + '.bias']


def norm(p, prefix, x):
    return F.layer_norm(x, (x.shape[-1],), p[prefix + '.weight'], p[prefix + '.bias'], EPS)


def attention(p, cfg, prefix, x, mask):
    """MultiHeadSelfAttention: q scaled before the product, masked keys filled with the most negative float."""
    bs, q_length, dim = x.shape
    dim_per_head = dim // cfg['n_heads']

    def shape(t):
        return t.view(bs, -1, cfg['n_heads'], dim_per_head).transpose(1, 2)

    q = shape(linear(p, prefix + 'q_lin', x)) / math.sqrt(dim_per_head)
    k = shape(linear(p, prefix + 'k_lin', x))
    v = shape(linear(p, prefix + 'v_lin', x))
    scores = q @ k.transpose(2, 3)
    masked = (mask == 0).view(bs, 1, 1, -1).expand_as(scores)
    scores = scores.masked_fill(masked, torch.finfo(scores.dtype).min)
    weights = torch.softmax(scores, dim=-1)
    context = (weights @ v).transpose(1, 2).reshape(bs, -1, dim)
    return linear(p, prefix + 'out_lin', context), weights


def distilbert(p, cfg, input_ids, attention_mask):
    seq = input_ids.shape[1]
    x = p['distilbert.embeddings.word_embeddings.weight'][input_ids]
    x = x + p['distilbert.embeddings.position_embeddings.weight'][torch.arange(seq)]
    hidden = [norm(p, 'distilbert.embeddings.LayerNorm', x)]
    attentions = []
    for i in range(cfg['n_layers']):
        prefix = f'distilbert.transformer.layer.{i}.'
        sa, weights = attention(p, cfg, prefix + 'attention.', hidden[-1], attention_mask)
        sa = norm(p, prefix + 'sa_layer_norm', sa + hidden[-1])
        ffn = linear(p, prefix + 'ffn.lin2', gelu(linear(p, prefix + 'ffn.lin1', sa)))
        hidden.append(norm(p, prefix + 'output_layer_norm', ffn + sa))
        attentions.append(weights)
    return hidden, attentions


def pre_classified(p, hidden_state):
    """DistilBertForSequenceClassification up to its dropout: ReLU(pre_classifier(h[:, 0]))."""
    return torch.relu(linear(p, 'pre_classifier', hidden_state[:, 0]))


def mlm_logits(p, hidden_state):
    x = norm(p, 'vocab_layer_norm', gelu(linear(p, 'vocab_transform', hidden_state)))
    return x @ p['distilbert.embeddings.word_embeddings.weight'].T + p['vocab_projector.bias']


def forward(cfg):
    def run(p, input_ids, token_type_ids, attention_mask):
        # token_type_ids go unused: the pair row carries types 0 then 1, which DistilBERT has no embedding for.
        hidden, attentions = distilbert(p, cfg, input_ids, attention_mask)
        pooled = pre_classified(p, hidden[-1])
        return hidden, attentions, pooled, mlm_logits(p, hidden[-1]), linear(p, 'classifier', pooled)
    return run


def main():
    torch.use_deterministic_algorithms(True)
    cfg = config()
    shared = ['distilbert.embeddings.word_embeddings.weight', 'distilbert.embeddings.position_embeddings.weight',
              'distilbert.transformer.layer.0.attention.q_lin.weight', 'distilbert.transformer.layer.1.sa_layer_norm.weight',
              'distilbert.transformer.layer.1.ffn.lin1.weight']
    write_family_fixture(
        'distilbert',
        'DistilBERT, dim 32, 2 layers, 4 heads, in its own names: every output, both losses, gradients '
        '(token types given and ignored)',
        cfg, random_weights(cfg, seed=5), 'DistilBertTokenizer', forward(cfg),
        {'mlm': shared + ['vocab_transform.weight', 'vocab_layer_norm.weight', 'vocab_projector.bias'],
         'classification': shared + ['pre_classifier.weight', 'classifier.weight']})


if __name__ == '__main__':
    main()
