#!/usr/bin/python3
"""Golden fixture for the studio's DistilBERT family (src/model/distilbert).

A from-scratch PyTorch DistilBERT that follows Hugging Face's `modeling_distilbert` (eager attention) in its own
terms and names — `q_lin`, `sa_layer_norm`, `ffn.lin1`, `pre_classifier`, `vocab_projector` — not BERT's: the
studio maps those names onto its shared encoder, and this reference checks that mapping, DistilBERT's missing token
types and its ReLU pre-classifier end to end. Float64 from float32 weights, as make_fixtures.py.

Usage: /usr/bin/python3 tools/reference/make_distilbert_fixture.py   (rewrites tools/reference/fixtures/distilbert)
"""

import json
import math
import os

import torch
import torch.nn.functional as F

from make_fixtures import (BASE_CLASS_LABELS, BASE_MLM_LABELS, BASE_PAIRS, BASE_ROWS, BASE_SEQ, FIXTURES,
                           TOLERANCES, VOCAB, batch_of, f32, gelu, i32, mlm_label_tensor, write_golden,
                           write_safetensors)

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
    gen = torch.Generator().manual_seed(seed)
    weights = {}
    for name, shape in shapes(cfg).items():
        std, mean = 0.05, 0.0
        if 'norm' in name.lower():
            std, mean = (0.2, 1.0) if name.endswith('weight') else (0.1, 0.0)
        elif 'embeddings' in name:
            std = 0.5
        elif name.endswith('q_lin.weight') or name.endswith('k_lin.weight'):
            std = 0.25
        elif name.endswith('weight'):
            std = 0.1
        weights[name] = (mean + std * torch.randn(shape, generator=gen, dtype=torch.float64)).to(torch.float32)
    return weights


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


def main():
    torch.use_deterministic_algorithms(True)
    cfg = config()
    weights = random_weights(cfg, seed=5)
    folder = os.path.join(FIXTURES, 'distilbert')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write('\n')
    with open(os.path.join(folder, 'vocab.txt'), 'w') as f:
        f.write('\n'.join(VOCAB) + '\n')
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump({'do_lower_case': True, 'model_max_length': 64, 'tokenizer_class': 'DistilBertTokenizer',
                   'unk_token': '[UNK]', 'sep_token': '[SEP]', 'pad_token': '[PAD]', 'cls_token': '[CLS]',
                   'mask_token': '[MASK]'}, f, indent=2)
        f.write('\n')
    write_safetensors(os.path.join(folder, 'model.safetensors'), {n: w.numpy() for n, w in weights.items()})

    # The pair row carries token types 0 then 1, which DistilBERT has no embedding for and must ignore.
    input_ids, token_type_ids, attention_mask = batch_of(BASE_ROWS, BASE_PAIRS, BASE_SEQ)
    p = {n: w.to(torch.float64).requires_grad_() for n, w in weights.items()}
    hidden, attentions = distilbert(p, cfg, input_ids, attention_mask)
    pooled = pre_classified(p, hidden[-1])
    logits = {'mlm': mlm_logits(p, hidden[-1]), 'classification': linear(p, 'classifier', pooled)}
    tensors = {'input_ids': i32(input_ids), 'token_type_ids': i32(token_type_ids), 'attention_mask': i32(attention_mask),
               'pooled_output': f32(pooled), 'mlm_logits': f32(logits['mlm']),
               'classification_logits': f32(logits['classification'])}
    outputs = {'hidden_states': [], 'attentions': [], 'pooled_output': 'pooled_output', 'mlm_logits': 'mlm_logits',
               'classification_logits': 'classification_logits'}
    for i, h in enumerate(hidden):
        tensors[f'hidden_states.{i}'] = f32(h)
        outputs['hidden_states'].append(f'hidden_states.{i}')
    for i, a in enumerate(attentions):
        tensors[f'attentions.{i}'] = f32(a)
        outputs['attentions'].append(f'attentions.{i}')

    shared = ['distilbert.embeddings.word_embeddings.weight', 'distilbert.embeddings.position_embeddings.weight',
              'distilbert.transformer.layer.0.attention.q_lin.weight', 'distilbert.transformer.layer.1.sa_layer_norm.weight',
              'distilbert.transformer.layer.1.ffn.lin1.weight']
    mlm_labels = mlm_label_tensor(BASE_MLM_LABELS, *input_ids.shape)
    class_labels = torch.tensor(BASE_CLASS_LABELS)
    losses = {
        'mlm': (F.cross_entropy(logits['mlm'].reshape(-1, len(VOCAB)), mlm_labels.reshape(-1), ignore_index=-100),
                'masked_lm_cross_entropy', mlm_labels, shared + ['vocab_transform.weight', 'vocab_layer_norm.weight', 'vocab_projector.bias']),
        'classification': (F.cross_entropy(logits['classification'], class_labels), 'cross_entropy', class_labels,
                           shared + ['pre_classifier.weight', 'classifier.weight']),
    }
    loss_json = {}
    for head, (loss, kind, labels, names) in losses.items():
        tensors[f'{head}_labels'] = i32(labels)
        grads = torch.autograd.grad(loss, [p[n] for n in names], retain_graph=True)
        for name, g in zip(names, grads):
            tensors[f'grad.{head}.{name}'] = f32(g)
        loss_json[head] = {'kind': kind, 'labels': f'{head}_labels', 'value': loss.item(),
                           'gradients': {name: f'grad.{head}.{name}' for name in names}}
    batch, seq = input_ids.shape
    meta = {'heads': {'mlm': True, 'classification': True},
            'inputs': {'batch_size': batch, 'seq_len': seq, 'input_ids': 'input_ids',
                       'token_type_ids': 'token_type_ids', 'attention_mask': 'attention_mask'},
            'outputs': outputs, 'losses': loss_json, 'tolerances': TOLERANCES}
    write_golden(folder, 'DistilBERT, dim 32, 2 layers, 4 heads, in its own names: every output, both losses, '
                 'gradients (token types given and ignored)', folder, tensors, meta)


if __name__ == '__main__':
    main()
