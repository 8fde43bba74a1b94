#!/usr/bin/python3
"""Golden fixture for the studio's ELECTRA family (src/model/electra).

A from-scratch PyTorch ELECTRA following Hugging Face's `modeling_electra` (eager attention) in its own names:
embeddings `embedding_size` wide, `embeddings_project` up to the hidden size, BERT's layers under `electra.`, the
generator's `generator_predictions` (dense to embedding_size, GELU, LayerNorm) and `generator_lm_head` tied to the
word embeddings, and `ElectraClassificationHead` (dense, GELU, out_proj on [CLS]). Float64 from float32 weights.

Usage: /usr/bin/python3 tools/reference/make_electra_fixture.py   (rewrites tools/reference/fixtures/electra)
"""

import json
import math
import os

import torch
import torch.nn.functional as F

from make_fixtures import (BASE_CLASS_LABELS, BASE_MLM_LABELS, BASE_PAIRS, BASE_ROWS, BASE_SEQ, FIXTURES,
                           TOLERANCES, VOCAB, batch_of, f32, gelu, i32, mlm_label_tensor, write_golden,
                           write_safetensors)


def config():
    return {
        'architectures': ['ElectraForMaskedLM'],
        'attention_probs_dropout_prob': 0.1,
        'classifier_dropout': None,
        'embedding_size': 24,
        'hidden_act': 'gelu',
        'hidden_dropout_prob': 0.1,
        'hidden_size': 32,
        'id2label': {'0': 'negative', '1': 'neutral', '2': 'positive'},
        'initializer_range': 0.02,
        'intermediate_size': 64,
        'label2id': {'negative': 0, 'neutral': 1, 'positive': 2},
        'layer_norm_eps': 1e-12,
        'max_position_embeddings': 64,
        'model_type': 'electra',
        'num_attention_heads': 4,
        'num_hidden_layers': 2,
        'pad_token_id': 0,
        'position_embedding_type': 'absolute',
        'summary_activation': 'gelu',
        'summary_last_dropout': 0.1,
        'summary_type': 'first',
        'summary_use_proj': True,
        'transformers_version': '4.44.2',
        'type_vocab_size': 2,
        'vocab_size': len(VOCAB),
    }


def shapes(cfg):
    e, h, i, v = cfg['embedding_size'], cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size']
    out = {
        'electra.embeddings.word_embeddings.weight': [v, e],
        'electra.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], e],
        'electra.embeddings.token_type_embeddings.weight': [cfg['type_vocab_size'], e],
        'electra.embeddings.LayerNorm.weight': [e],
        'electra.embeddings.LayerNorm.bias': [e],
        'electra.embeddings_project.weight': [h, e],
        'electra.embeddings_project.bias': [h],
    }
    for layer in range(cfg['num_hidden_layers']):
        p = f'electra.encoder.layer.{layer}.'
        for lin, (o, n) in [('attention.self.query', (h, h)), ('attention.self.key', (h, h)), ('attention.self.value', (h, h)),
                            ('attention.output.dense', (h, h)), ('intermediate.dense', (i, h)), ('output.dense', (h, i))]:
            out[p + lin + '.weight'] = [o, n]
            out[p + lin + '.bias'] = [o]
        for norm in ('attention.output.LayerNorm', 'output.LayerNorm'):
            out[p + norm + '.weight'] = [h]
            out[p + norm + '.bias'] = [h]
    labels = len(cfg['id2label'])
    out.update({
        'classifier.dense.weight': [h, h], 'classifier.dense.bias': [h],
        'classifier.out_proj.weight': [labels, h], 'classifier.out_proj.bias': [labels],
        'generator_predictions.dense.weight': [e, h], 'generator_predictions.dense.bias': [e],
        'generator_predictions.LayerNorm.weight': [e], 'generator_predictions.LayerNorm.bias': [e],
        'generator_lm_head.bias': [v],  # its weight is the word embeddings (tied, not saved)
    })
    return out


def random_weights(cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    weights = {}
    for name, shape in shapes(cfg).items():
        std, mean = 0.05, 0.0
        if 'LayerNorm' in name:
            std, mean = (0.2, 1.0) if name.endswith('weight') else (0.1, 0.0)
        elif 'embeddings.' in name:
            std = 0.5
        elif name.endswith('query.weight') or name.endswith('key.weight'):
            std = 0.25
        elif name.endswith('weight'):
            std = 0.15
        weights[name] = (mean + std * torch.randn(shape, generator=gen, dtype=torch.float64)).to(torch.float32)
    return weights


def linear(p, prefix, x):
    return x @ p[prefix + '.weight'].T + p[prefix + '.bias']


def norm(p, prefix, x, cfg):
    return F.layer_norm(x, (x.shape[-1],), p[prefix + '.weight'], p[prefix + '.bias'], cfg['layer_norm_eps'])


def layer(p, cfg, prefix, h, extended):
    batch, seq, hidden = h.shape
    heads = cfg['num_attention_heads']
    d = hidden // heads

    def split(x):
        return x.view(batch, seq, heads, d).permute(0, 2, 1, 3)

    q, k, v = (split(linear(p, prefix + 'attention.self.' + n, h)) for n in ('query', 'key', 'value'))
    probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + extended, dim=-1)
    context = (probs @ v).permute(0, 2, 1, 3).reshape(batch, seq, hidden)
    attention = norm(p, prefix + 'attention.output.LayerNorm', linear(p, prefix + 'attention.output.dense', context) + h, cfg)
    inner = gelu(linear(p, prefix + 'intermediate.dense', attention))
    return norm(p, prefix + 'output.LayerNorm', linear(p, prefix + 'output.dense', inner) + attention, cfg), probs


def electra(p, cfg, input_ids, token_type_ids, attention_mask):
    seq = input_ids.shape[1]
    x = (p['electra.embeddings.word_embeddings.weight'][input_ids]
         + p['electra.embeddings.token_type_embeddings.weight'][token_type_ids]
         + p['electra.embeddings.position_embeddings.weight'][:seq])
    x = norm(p, 'electra.embeddings.LayerNorm', x, cfg)
    hidden = [linear(p, 'electra.embeddings_project', x)]  # the encoder's input is HF's hidden_states[0]
    extended = (1.0 - attention_mask[:, None, None, :].to(torch.float64)) * torch.finfo(torch.float32).min
    attentions = []
    for i in range(cfg['num_hidden_layers']):
        h, probs = layer(p, cfg, f'electra.encoder.layer.{i}.', hidden[-1], extended)
        hidden.append(h)
        attentions.append(probs)
    return hidden, attentions


def main():
    torch.use_deterministic_algorithms(True)
    cfg = config()
    weights = random_weights(cfg, seed=7)
    folder = os.path.join(FIXTURES, 'electra')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write('\n')
    with open(os.path.join(folder, 'vocab.txt'), 'w') as f:
        f.write('\n'.join(VOCAB) + '\n')
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump({'do_lower_case': True, 'model_max_length': 64, 'tokenizer_class': 'ElectraTokenizer',
                   'unk_token': '[UNK]', 'sep_token': '[SEP]', 'pad_token': '[PAD]', 'cls_token': '[CLS]',
                   'mask_token': '[MASK]'}, f, indent=2)
        f.write('\n')
    write_safetensors(os.path.join(folder, 'model.safetensors'), {n: w.numpy() for n, w in weights.items()})

    input_ids, token_type_ids, attention_mask = batch_of(BASE_ROWS, BASE_PAIRS, BASE_SEQ)
    p = {n: w.to(torch.float64).requires_grad_() for n, w in weights.items()}
    hidden, attentions = electra(p, cfg, input_ids, token_type_ids, attention_mask)
    # ElectraClassificationHead up to out_proj (dropouts are the identity in eval mode).
    pooled = gelu(linear(p, 'classifier.dense', hidden[-1][:, 0]))
    generated = norm(p, 'generator_predictions.LayerNorm', gelu(linear(p, 'generator_predictions.dense', hidden[-1])), cfg)
    logits = {'mlm': generated @ p['electra.embeddings.word_embeddings.weight'].T + p['generator_lm_head.bias'],
              'classification': linear(p, 'classifier.out_proj', pooled)}
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

    shared = ['electra.embeddings.word_embeddings.weight', 'electra.embeddings.token_type_embeddings.weight',
              'electra.embeddings.LayerNorm.weight', 'electra.embeddings_project.weight',
              'electra.encoder.layer.0.attention.self.query.weight', 'electra.encoder.layer.1.output.LayerNorm.weight']
    mlm_labels = mlm_label_tensor(BASE_MLM_LABELS, *input_ids.shape)
    class_labels = torch.tensor(BASE_CLASS_LABELS)
    losses = {
        'mlm': (F.cross_entropy(logits['mlm'].reshape(-1, len(VOCAB)), mlm_labels.reshape(-1), ignore_index=-100),
                'masked_lm_cross_entropy', mlm_labels,
                shared + ['generator_predictions.dense.weight', 'generator_predictions.LayerNorm.weight', 'generator_lm_head.bias']),
        'classification': (F.cross_entropy(logits['classification'], class_labels), 'cross_entropy', class_labels,
                           shared + ['classifier.dense.weight', 'classifier.out_proj.weight']),
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
    write_golden(folder, 'ELECTRA, embedding 24 projected to hidden 32, 2 layers, 4 heads, in its own names: every '
                 'output, both losses, gradients', folder, tensors, meta)


if __name__ == '__main__':
    main()
