#!/usr/bin/python3
"""Golden fixture for the studio's ALBERT family (src/model/albert).

A from-scratch PyTorch ALBERT following Hugging Face's `modeling_albert` (eager attention) in its own names:
factorised embeddings `embedding_size` wide (word, token type, absolute position, LayerNorm), the encoder's
`embedding_hidden_mapping_in` up to the hidden size, one set of layer weights
(`albert_layer_groups.0.albert_layers.0`) run by all `num_hidden_layers` layers (attention with its own dense and
LayerNorm, `ffn`, `ffn_output` with no dropout, `full_layer_layer_norm`), `albert.pooler` + tanh, the
`classifier`, and `predictions` (dense to embedding_size, hidden_act, LayerNorm, decoder tied to the word
embeddings). hidden_act is gelu_new, as the published checkpoints. Float64 from float32 weights.

The tokenizer is a tiny Unigram `tokenizer.json` with ALBERT's specials (<pad> 0, <unk> 1, [CLS] 2, [SEP] 3,
[MASK] last) and pair layout (`[CLS] A [SEP] B [SEP]`, B of token type 1: ALBERT keeps BERT's segments).

Usage: /usr/bin/python3 tools/reference/make_albert_fixture.py   (rewrites tools/reference/fixtures/albert)
"""

import json
import math
import os

import torch

from family_reference import linear, norm, random_weights
from make_fixtures import FIXTURES, IGNORE_INDEX, base_config, write_family_golden, write_safetensors
from make_roberta_fixture import CLASS_LABELS, MLM_LABELS, ROWS, SEQ, unigram_tokenizer, write_json, xlm_tokens

SPECIALS = ['<pad>', '<unk>', '[CLS]', '[SEP]']


def config(vocab_size):
    """make_fixtures' base config as an ALBERT: embeddings narrower than the hidden size, 3 layers sharing one set."""
    cfg = base_config(architectures=['AlbertForMaskedLM'], model_type='albert', vocab_size=vocab_size, embedding_size=24,
                      num_hidden_layers=3, num_hidden_groups=1, inner_group_num=1, hidden_act='gelu_new',
                      classifier_dropout_prob=0.1, bos_token_id=2, eos_token_id=3, pad_token_id=0)
    del cfg['classifier_dropout']  # ALBERT's is classifier_dropout_prob
    return cfg


def shapes(cfg):
    e, h, i, v = cfg['embedding_size'], cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size']
    layer = 'albert.encoder.albert_layer_groups.0.albert_layers.0.'
    out = {
        'albert.embeddings.word_embeddings.weight': [v, e],
        'albert.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], e],
        'albert.embeddings.token_type_embeddings.weight': [cfg['type_vocab_size'], e],
        'albert.embeddings.LayerNorm.weight': [e],
        'albert.embeddings.LayerNorm.bias': [e],
        'albert.encoder.embedding_hidden_mapping_in.weight': [h, e],
        'albert.encoder.embedding_hidden_mapping_in.bias': [h],
    }
    for lin, (o, n) in [('attention.query', (h, h)), ('attention.key', (h, h)), ('attention.value', (h, h)),
                        ('attention.dense', (h, h)), ('ffn', (i, h)), ('ffn_output', (h, i))]:
        out[layer + lin + '.weight'] = [o, n]
        out[layer + lin + '.bias'] = [o]
    for layer_norm in ('attention.LayerNorm', 'full_layer_layer_norm'):
        out[layer + layer_norm + '.weight'] = [h]
        out[layer + layer_norm + '.bias'] = [h]
    labels = len(cfg['id2label'])
    out.update({
        'albert.pooler.weight': [h, h], 'albert.pooler.bias': [h],
        'classifier.weight': [labels, h], 'classifier.bias': [labels],
        'predictions.dense.weight': [e, h], 'predictions.dense.bias': [e],
        'predictions.LayerNorm.weight': [e], 'predictions.LayerNorm.bias': [e],
        'predictions.bias': [v],  # the decoder's weight is the word embeddings and its bias this one (tied, not saved)
    })
    return out


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def albert_layer(p, cfg, prefix, h, extended):
    """AlbertLayer: AlbertAttention (its own dense and LayerNorm), then ffn, activation, ffn_output, LayerNorm."""
    batch, seq, hidden = h.shape
    heads = cfg['num_attention_heads']
    d = hidden // heads

    def split(x):
        return x.view(batch, seq, heads, d).permute(0, 2, 1, 3)

    q, k, v = (split(linear(p, prefix + 'attention.' + n, h)) for n in ('query', 'key', 'value'))
    probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + extended, dim=-1)
    context = (probs @ v).permute(0, 2, 1, 3).reshape(batch, seq, hidden)
    attention = norm(p, prefix + 'attention.LayerNorm', h + linear(p, prefix + 'attention.dense', context), cfg)
    ffn = linear(p, prefix + 'ffn_output', gelu_new(linear(p, prefix + 'ffn', attention)))
    return norm(p, prefix + 'full_layer_layer_norm', ffn + attention, cfg), probs


def forward(cfg):
    def run(p, input_ids, token_type_ids, attention_mask):
        seq = input_ids.shape[1]
        x = (p['albert.embeddings.word_embeddings.weight'][input_ids]
             + p['albert.embeddings.token_type_embeddings.weight'][token_type_ids]
             + p['albert.embeddings.position_embeddings.weight'][:seq])
        x = norm(p, 'albert.embeddings.LayerNorm', x, cfg)
        hidden = [linear(p, 'albert.encoder.embedding_hidden_mapping_in', x)]  # AlbertTransformer's hidden_states[0]
        extended = (1.0 - attention_mask[:, None, None, :].to(torch.float64)) * torch.finfo(torch.float32).min
        attentions = []
        layers, groups = cfg['num_hidden_layers'], cfg['num_hidden_groups']
        for i in range(layers):
            group = int(i / (layers / groups))
            h, probs = albert_layer(p, cfg, f'albert.encoder.albert_layer_groups.{group}.albert_layers.0.', hidden[-1], extended)
            hidden.append(h)
            attentions.append(probs)
        pooled = torch.tanh(linear(p, 'albert.pooler', hidden[-1][:, 0]))
        transformed = norm(p, 'predictions.LayerNorm', gelu_new(linear(p, 'predictions.dense', hidden[-1])), cfg)
        mlm = transformed @ p['albert.embeddings.word_embeddings.weight'].T + p['predictions.bias']
        return hidden, attentions, pooled, mlm, linear(p, 'classifier', pooled)
    return run


def batch(ids):
    """The rows as ALBERT lays out a pair ([CLS] A [SEP] B [SEP], B of type 1), padded with <pad>."""
    input_ids, types, mask = [], [], []
    for row in ROWS:
        first = ['[CLS]'] + xlm_tokens(row[0]) + ['[SEP]']
        second = xlm_tokens(row[1]) + ['[SEP]'] if len(row) > 1 else []
        pad = SEQ - len(first) - len(second)
        input_ids.append([ids[t.replace('<mask>', '[MASK]')] for t in first + second] + [ids['<pad>']] * pad)
        types.append([0] * len(first) + [1] * len(second) + [0] * pad)
        mask.append([1] * (len(first) + len(second)) + [0] * pad)
    as_tensor = lambda x: torch.tensor(x, dtype=torch.int64)  # noqa: E731
    return as_tensor(input_ids), as_tensor(types), as_tensor(mask)


GRADIENTS_SHARED = [
    'albert.embeddings.word_embeddings.weight', 'albert.embeddings.position_embeddings.weight',
    'albert.embeddings.token_type_embeddings.weight', 'albert.embeddings.LayerNorm.weight',
    'albert.encoder.embedding_hidden_mapping_in.weight',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.attention.value.bias',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.attention.LayerNorm.weight',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn_output.weight',
    'albert.encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.bias',
]
GRADIENTS = {
    'mlm': GRADIENTS_SHARED + ['predictions.dense.weight', 'predictions.LayerNorm.weight', 'predictions.bias'],
    'classification': GRADIENTS_SHARED + ['albert.pooler.weight', 'albert.pooler.bias', 'classifier.weight'],
}


def main():
    torch.use_deterministic_algorithms(True)
    ids, tokenizer = unigram_tokenizer(SPECIALS, '[CLS]', '[SEP]', '<unk>', '[MASK]', pair_types=1)
    cfg = config(len(ids))
    weights = random_weights(shapes(cfg), seed=13)
    folder = os.path.join(FIXTURES, 'albert')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write('\n')
    write_json(os.path.join(folder, 'tokenizer.json'), tokenizer)
    write_json(os.path.join(folder, 'tokenizer_config.json'), {
        'tokenizer_class': 'AlbertTokenizer', 'do_lower_case': True, 'keep_accents': False, 'remove_space': True,
        'model_max_length': cfg['max_position_embeddings'], 'bos_token': '[CLS]', 'eos_token': '[SEP]',
        'cls_token': '[CLS]', 'sep_token': '[SEP]', 'pad_token': '<pad>', 'unk_token': '<unk>', 'mask_token': '[MASK]'})
    write_safetensors(os.path.join(folder, 'model.safetensors'), {n: w.numpy() for n, w in weights.items()})
    inputs = batch(ids)
    mlm_labels = torch.full(inputs[0].shape, IGNORE_INDEX, dtype=torch.int64)
    for (r, c), word in MLM_LABELS.items():
        mlm_labels[r, c] = ids['▁' + word]
    write_family_golden(
        folder,
        'ALBERT, embedding 24 projected to hidden 32, 3 layers sharing one set of weights, 4 heads, gelu_new, in its own '
        'names: every output, both losses, gradients',
        weights, forward(cfg), inputs, mlm_labels, torch.tensor(CLASS_LABELS), GRADIENTS)


if __name__ == '__main__':
    main()
