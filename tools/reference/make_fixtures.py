#!/usr/bin/python3
"""Golden fixtures for BERT Studio's tfjs BERT (src/model/).

A from-scratch PyTorch BERT that follows Hugging Face's `modeling_bert` (eager attention) step by step,
tiny seeded random checkpoints in HF layout, and their expected outputs, losses and gradients. The tests
(Node and Chromium) read only the files this writes; they never need Python.

Usage (Debian's torch 1.13 lives only under /usr/bin/python3):
  /usr/bin/python3 tools/reference/make_fixtures.py
      rewrites every fixture under tools/reference/fixtures/
  /usr/bin/python3 tools/reference/make_fixtures.py --from public/models/X --sentences-ids ids.json --out DIR
      golden outputs of any HF-layout checkpoint (config.json + model.safetensors) for the given input ids:
      ids.json is [[101, 2023, ...], ...] (rows padded here with pad_token_id) or
      {"input_ids": [[...]], "token_type_ids": [[...]], "attention_mask": [[...]]}.

Outputs of a fixture folder: golden.safetensors (inputs and expected tensors) and golden.json (which
tensor means what, scalar losses, tolerances, and the checkpoint folder relative to golden.json).
The reference computes in float64 from the float32 weights, so the measured error is the tfjs error alone.
"""

import argparse
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')
TOLERANCES = {'forward_max_abs': 1e-4, 'gradient_max_rel': 1e-3}
IGNORE_INDEX = -100

# ---------------------------------------------------------------------------------------------------------
# safetensors, by hand: 8-byte little-endian header length, JSON header, raw little-endian data.

NUMPY_DTYPES = {'F32': np.float32, 'F16': np.float16, 'I32': np.int32, 'I64': np.int64}


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    header.pop('__metadata__', None)
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        start, end = info['data_offsets']
        raw = body[start:end]
        if info['dtype'] == 'BF16':
            bits = np.frombuffer(raw, dtype='<u2').astype(np.uint32) << 16
            array = bits.view(np.float32)
        elif info['dtype'] in NUMPY_DTYPES:
            array = np.frombuffer(raw, dtype=np.dtype(NUMPY_DTYPES[info['dtype']]).newbyteorder('<'))
        else:
            raise ValueError(f'{path}: tensor {name} has unsupported dtype {info["dtype"]}')
        tensors[name] = array.reshape(info['shape']).copy()
    return tensors


def write_safetensors(path, tensors):
    """tensors: name -> numpy array (float32 or int32)."""
    header = {'__metadata__': {'format': 'pt'}}
    chunks = []
    offset = 0
    for name, array in tensors.items():
        dtype = {np.dtype(np.float32): 'F32', np.dtype(np.int32): 'I32'}[array.dtype]
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)  # safetensors pads the header so the data is 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(chunks))


# ---------------------------------------------------------------------------------------------------------
# Checkpoint names. Canonical names are those BertForMaskedLM / BertForSequenceClassification save.

def canonical_name(name):
    """Maps BertModel-style names (no `bert.`), legacy gamma/beta and the decoder-bias alias to canonical."""
    if name.split('.')[0] in ('embeddings', 'encoder', 'pooler'):
        name = 'bert.' + name
    if '.LayerNorm.' in name or name.endswith('_norm.gamma') or name.endswith('_norm.beta'):
        name = name.replace('.gamma', '.weight').replace('.beta', '.bias')
    if name == 'cls.predictions.decoder.bias':
        name = 'cls.predictions.bias'
    return name


def parameter_shapes(cfg, pooler, mlm, classification, qa=False):
    h, i, v = cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size']
    shapes = {
        'bert.embeddings.word_embeddings.weight': [v, h],
        'bert.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], h],
        'bert.embeddings.token_type_embeddings.weight': [cfg['type_vocab_size'], h],
        'bert.embeddings.LayerNorm.weight': [h],
        'bert.embeddings.LayerNorm.bias': [h],
    }
    for layer in range(cfg['num_hidden_layers']):
        p = f'bert.encoder.layer.{layer}.'
        for linear, (out_dim, in_dim) in [('attention.self.query', (h, h)), ('attention.self.key', (h, h)),
                                          ('attention.self.value', (h, h)), ('attention.output.dense', (h, h)),
                                          ('intermediate.dense', (i, h)), ('output.dense', (h, i))]:
            shapes[p + linear + '.weight'] = [out_dim, in_dim]
            shapes[p + linear + '.bias'] = [out_dim]
        for norm in ('attention.output.LayerNorm', 'output.LayerNorm'):
            shapes[p + norm + '.weight'] = [h]
            shapes[p + norm + '.bias'] = [h]
    if pooler:
        shapes['bert.pooler.dense.weight'] = [h, h]
        shapes['bert.pooler.dense.bias'] = [h]
    if mlm:
        shapes['cls.predictions.transform.dense.weight'] = [h, h]
        shapes['cls.predictions.transform.dense.bias'] = [h]
        shapes['cls.predictions.transform.LayerNorm.weight'] = [h]
        shapes['cls.predictions.transform.LayerNorm.bias'] = [h]
        shapes['cls.predictions.bias'] = [v]
    if classification:
        shapes['classifier.weight'] = [num_labels(cfg), h]
        shapes['classifier.bias'] = [num_labels(cfg)]
    if qa:
        shapes['qa_outputs.weight'] = [2, h]
        shapes['qa_outputs.bias'] = [2]
    return shapes


def num_labels(cfg):
    return cfg.get('num_labels', len(cfg.get('id2label', {'0': 'LABEL_0', '1': 'LABEL_1'})))


# ---------------------------------------------------------------------------------------------------------
# BERT as in HF modeling_bert, eval mode (dropout is the identity), on a dict of canonical parameters.

def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def activation(cfg):
    if cfg.get('hidden_act', 'gelu') != 'gelu':
        raise ValueError(f'hidden_act {cfg.get("hidden_act")} is not implemented in the reference')
    return gelu


def linear(p, prefix, x):
    return x @ p[prefix + '.weight'].T + p[prefix + '.bias']


def layer_norm(p, prefix, x, cfg):
    return F.layer_norm(x, (x.shape[-1],), p[prefix + '.weight'], p[prefix + '.bias'], cfg['layer_norm_eps'])


def embeddings(p, cfg, input_ids, token_type_ids):
    seq = input_ids.shape[1]
    x = p['bert.embeddings.word_embeddings.weight'][input_ids]
    x = x + p['bert.embeddings.token_type_embeddings.weight'][token_type_ids]
    x = x + p['bert.embeddings.position_embeddings.weight'][:seq]  # absolute positions 0..seq-1
    return layer_norm(p, 'bert.embeddings.LayerNorm', x, cfg)


def self_attention(p, cfg, prefix, h, extended_mask):
    batch, seq, hidden = h.shape
    heads = cfg['num_attention_heads']
    head_dim = hidden // heads

    def split(x):  # [batch, seq, hidden] -> [batch, heads, seq, head_dim]
        return x.view(batch, seq, heads, head_dim).permute(0, 2, 1, 3)

    q = split(linear(p, prefix + '.query', h))
    k = split(linear(p, prefix + '.key', h))
    v = split(linear(p, prefix + '.value', h))
    scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + extended_mask  # [batch, heads, seq, seq]
    probs = torch.softmax(scores, dim=-1)
    context = (probs @ v).permute(0, 2, 1, 3).reshape(batch, seq, hidden)
    return context, probs


def bert_layer(p, cfg, index, h, extended_mask):
    prefix = f'bert.encoder.layer.{index}.'
    context, probs = self_attention(p, cfg, prefix + 'attention.self', h, extended_mask)
    attention_output = layer_norm(p, prefix + 'attention.output.LayerNorm',
                                  linear(p, prefix + 'attention.output.dense', context) + h, cfg)
    intermediate = activation(cfg)(linear(p, prefix + 'intermediate.dense', attention_output))
    output = linear(p, prefix + 'output.dense', intermediate)
    return layer_norm(p, prefix + 'output.LayerNorm', output + attention_output, cfg), probs


def bert_model(p, cfg, input_ids, token_type_ids, attention_mask):
    """Returns hidden states (embeddings + one per layer), attention probabilities per layer, pooled output."""
    # HF's get_extended_attention_mask: 0 where attended, the most negative float32 where masked.
    extended = (1.0 - attention_mask[:, None, None, :].to(torch.float64)) * torch.finfo(torch.float32).min
    hidden_states = [embeddings(p, cfg, input_ids, token_type_ids)]
    attentions = []
    for index in range(cfg['num_hidden_layers']):
        h, probs = bert_layer(p, cfg, index, hidden_states[-1], extended)
        hidden_states.append(h)
        attentions.append(probs)
    pooled = None
    if 'bert.pooler.dense.weight' in p:
        pooled = torch.tanh(linear(p, 'bert.pooler.dense', hidden_states[-1][:, 0]))
    return hidden_states, attentions, pooled


def mlm_logits(p, cfg, sequence_output):
    """BertOnlyMLMHead: transform (dense, act, LayerNorm), then the decoder tied to the word embeddings."""
    h = activation(cfg)(linear(p, 'cls.predictions.transform.dense', sequence_output))
    h = layer_norm(p, 'cls.predictions.transform.LayerNorm', h, cfg)
    return h @ p['bert.embeddings.word_embeddings.weight'].T + p['cls.predictions.bias']


def classification_logits(p, pooled):
    return linear(p, 'classifier', pooled)


def token_classification_logits(p, sequence_output):
    """BertForTokenClassification's head (dropout off): the classifier on every token."""
    return linear(p, 'classifier', sequence_output)


def qa_logits(p, sequence_output):
    """BertForQuestionAnswering's head: qa_outputs on every token, [..., 0] the start and [..., 1] the end logit."""
    return linear(p, 'qa_outputs', sequence_output)


def qa_loss(logits, positions):
    """BertForQuestionAnswering's loss: positions [batch, 2] (start, end), clamped into [0, seq] with seq ignored,
    the mean of the start and end cross-entropies."""
    start_logits, end_logits = (t.squeeze(-1) for t in logits.split(1, dim=-1))
    ignored = start_logits.size(1)
    start, end = positions[:, 0].clamp(0, ignored), positions[:, 1].clamp(0, ignored)
    return (F.cross_entropy(start_logits, start, ignore_index=ignored) + F.cross_entropy(end_logits, end, ignore_index=ignored)) / 2


def mlm_loss(logits, labels):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE_INDEX)


def classification_loss(cfg, logits, labels):
    if num_labels(cfg) == 1:
        return F.mse_loss(logits.squeeze(), labels.squeeze())  # regression, as HF
    return F.cross_entropy(logits, labels)


# ---------------------------------------------------------------------------------------------------------
# Random checkpoints.

def seeded_weights(shapes, seed, mean_std):
    """float32 tensors of N(mean, std) drawn in float64 from one seeded generator, in `shapes`' order;
    mean_std(name) gives each tensor's (mean, std)."""
    gen = torch.Generator().manual_seed(seed)
    weights = {}
    for name, shape in shapes.items():
        mean, std = mean_std(name)
        weights[name] = (mean + std * torch.randn(shape, generator=gen, dtype=torch.float64)).to(torch.float32)
    return weights


def random_parameters(cfg, seed, pooler=True, mlm=True, classification=True, qa=False):
    """Seeded random weights, larger than BERT's N(0, 0.02) init so that every bug moves the outputs by far
    more than the tolerance: peaky attention (query/key std 0.25), non-trivial LayerNorm weights and biases."""
    def mean_std(name):
        if 'LayerNorm' in name:
            return (1.0, 0.2) if name.endswith('weight') else (0.0, 0.1)
        if 'embeddings' in name:
            return 0.0, 0.5
        if name.endswith('query.weight') or name.endswith('key.weight'):
            return 0.0, 0.25
        return (0.0, 0.1) if name.endswith('weight') else (0.0, 0.05)
    return seeded_weights(parameter_shapes(cfg, pooler, mlm, classification, qa), seed, mean_std)


VOCAB = (
    ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    + list('.,!?\'-():;"')
    + ['the', 'a', 'an', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'from', 'by',
       'is', 'was', 'are', 'were', 'be', 'been', 'it', 'this', 'that', 'i', 'you', 'he', 'she', 'we', 'they',
       'not', 'no', 'very', 'so', 'good', 'bad', 'great', 'movie', 'film', 'book', 'story', 'cat', 'dog',
       'sat', 'mat', 'ran', 'play', 'read', 'love', 'hate', 'like', 'time', 'day', 'night', 'happy', 'sad',
       'new', 'old', 'big', 'small', 'house', 'tree', 'water', 'fire', 'bert', 'model', 'word', 'text',
       'what', 'who', 'where', 'when', 'how', 'why', 'can', 'will', 'do', 'did', 'have', 'has', 'one', 'two']
    + ['##s', '##ed', '##ing', '##ly', '##er', '##est', '##ness', '##ful', '##less', '##y', '##e', '##a',
       '##o', '##t', '##n', '##r', '##ie', '##ish', '##ment', '##able']
    + ['x', 'y']
)
assert len(VOCAB) == len(set(VOCAB)) == 120


def token_ids(text):
    return [VOCAB.index(token) for token in text.split()]


def base_config(**overrides):
    cfg = {
        'architectures': ['BertForMaskedLM'],
        'attention_probs_dropout_prob': 0.1,
        'classifier_dropout': None,
        'hidden_act': 'gelu',
        'hidden_dropout_prob': 0.1,
        'hidden_size': 32,
        'id2label': {'0': 'negative', '1': 'neutral', '2': 'positive'},
        'initializer_range': 0.02,
        'intermediate_size': 64,
        'label2id': {'negative': 0, 'neutral': 1, 'positive': 2},
        'layer_norm_eps': 1e-12,
        'max_position_embeddings': 64,
        'model_type': 'bert',
        'num_attention_heads': 4,
        'num_hidden_layers': 2,
        'pad_token_id': 0,
        'position_embedding_type': 'absolute',
        'torch_dtype': 'float32',
        'transformers_version': '4.44.2',
        'type_vocab_size': 2,
        'use_cache': True,
        'vocab_size': len(VOCAB),
    }
    cfg.update(overrides)
    return cfg


def tiny_config(**overrides):
    tiny = {'hidden_size': 16, 'num_hidden_layers': 1, 'num_attention_heads': 2, 'intermediate_size': 32,
            'id2label': {'0': 'LABEL_0', '1': 'LABEL_1'}, 'label2id': {'LABEL_0': 0, 'LABEL_1': 1}}
    return base_config(**{**tiny, **overrides})


def batch_of(rows, pair_rows, seq):
    """rows: token strings per row; pair_rows: index -> where the second segment starts. Pads with [PAD]."""
    ids, types, mask = [], [], []
    for r, text in enumerate(rows):
        row = token_ids(text)
        start = pair_rows.get(r, len(row))
        ids.append(row + [0] * (seq - len(row)))
        types.append([0] * start + [1] * (len(row) - start) + [0] * (seq - len(row)))
        mask.append([1] * len(row) + [0] * (seq - len(row)))
    as_tensor = lambda x: torch.tensor(x, dtype=torch.int64)  # noqa: E731
    return as_tensor(ids), as_tensor(types), as_tensor(mask)


# Three rows of 12: one single sentence with a repeated word, one pair (token types 0 then 1), one padded.
BASE_ROWS = [
    '[CLS] the cat sat on the [MASK] and the dog ran [SEP]',
    '[CLS] a great movie [SEP] i love this [MASK] film ! [SEP]',
    '[CLS] the [MASK] was sad [SEP]',
]
BASE_PAIRS = {1: 5}
BASE_SEQ = 12
# MLM labels at a few positions (the [MASK]s and two unmasked tokens); -100 elsewhere.
BASE_MLM_LABELS = {(0, 6): 'mat', (0, 2): 'cat', (1, 8): 'book', (1, 2): 'great', (2, 2): 'story'}
BASE_CLASS_LABELS = [2, 2, 0]


def mlm_label_tensor(labels, batch, seq):
    out = torch.full((batch, seq), IGNORE_INDEX, dtype=torch.int64)
    for (r, c), word in labels.items():
        out[r, c] = VOCAB.index(word)
    return out


# ---------------------------------------------------------------------------------------------------------
# Writing a fixture.

def f32(t):
    return t.detach().to(torch.float32).numpy()


def i32(t):
    return t.detach().to(torch.int32).numpy()


def golden(cfg, weights, heads, input_ids, token_type_ids, attention_mask, losses=None):
    """Runs the reference and returns (tensors, json) for golden.safetensors / golden.json.
    losses: list of (head, labels tensor, [parameter names to differentiate])."""
    p = {name: w.to(torch.float64).requires_grad_() for name, w in weights.items()}
    hidden_states, attentions, pooled = bert_model(p, cfg, input_ids, token_type_ids, attention_mask)
    tensors = {'input_ids': i32(input_ids), 'token_type_ids': i32(token_type_ids),
               'attention_mask': i32(attention_mask)}
    outputs = {'hidden_states': [], 'attentions': []}
    for i, h in enumerate(hidden_states):
        tensors[f'hidden_states.{i}'] = f32(h)
        outputs['hidden_states'].append(f'hidden_states.{i}')
    for i, a in enumerate(attentions):
        tensors[f'attentions.{i}'] = f32(a)
        outputs['attentions'].append(f'attentions.{i}')
    logits = {}
    if pooled is not None:
        tensors['pooled_output'] = f32(pooled)
        outputs['pooled_output'] = 'pooled_output'
    if heads['mlm']:
        logits['mlm'] = mlm_logits(p, cfg, hidden_states[-1])  # [batch, seq, vocab]
        tensors['mlm_logits'] = f32(logits['mlm'])
        outputs['mlm_logits'] = 'mlm_logits'
    if heads['classification']:
        logits['classification'] = classification_logits(p, pooled)  # [batch, labels]
        tensors['classification_logits'] = f32(logits['classification'])
        outputs['classification_logits'] = 'classification_logits'
    if heads.get('tokens'):
        logits['tokens'] = token_classification_logits(p, hidden_states[-1])  # [batch, seq, labels]
        tensors['token_logits'] = f32(logits['tokens'])
        outputs['token_logits'] = 'token_logits'
    if heads.get('qa'):
        logits['qa'] = qa_logits(p, hidden_states[-1])  # [batch, seq, 2]
        tensors['qa_logits'] = f32(logits['qa'])
        outputs['qa_logits'] = 'qa_logits'
    loss_json = {}
    for head, labels, grad_names in losses or []:
        if head == 'mlm':
            loss, kind = mlm_loss(logits['mlm'], labels), 'masked_lm_cross_entropy'
            tensors['mlm_labels'] = i32(labels)
        elif head == 'qa':
            loss, kind = qa_loss(logits['qa'], labels), 'qa_cross_entropy'
            tensors['qa_labels'] = i32(labels)
        elif head == 'tokens':
            # HF's token-classification loss: -100 on the tokens that carry no tag (specials, later sub-tokens).
            loss, kind = mlm_loss(logits['tokens'], labels), 'token_cross_entropy'
            tensors['tokens_labels'] = i32(labels)
        elif num_labels(cfg) == 1:
            loss, kind = classification_loss(cfg, logits[head], labels), 'mse'
            tensors['classification_labels'] = f32(labels)
        else:
            loss, kind = classification_loss(cfg, logits[head], labels), 'cross_entropy'
            tensors['classification_labels'] = i32(labels)
        grads = torch.autograd.grad(loss, [p[n] for n in grad_names], retain_graph=True)
        gradient_names = {}
        for name, g in zip(grad_names, grads):
            tensors[f'grad.{head}.{name}'] = f32(g)
            gradient_names[name] = f'grad.{head}.{name}'
        loss_json[head] = {'kind': kind, 'labels': f'{head}_labels', 'value': loss.item(), 'gradients': gradient_names}
    batch, seq = input_ids.shape
    meta = {
        'heads': heads,
        'inputs': {'batch_size': batch, 'seq_len': seq, 'input_ids': 'input_ids',
                   'token_type_ids': 'token_type_ids', 'attention_mask': 'attention_mask'},
        'outputs': outputs,
        'losses': loss_json,
        'tolerances': TOLERANCES,
    }
    return tensors, meta


def write_checkpoint(folder, cfg, stored, tokenizer_class='BertTokenizer'):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write('\n')
    with open(os.path.join(folder, 'vocab.txt'), 'w') as f:
        f.write('\n'.join(VOCAB) + '\n')
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump({'do_lower_case': True, 'model_max_length': cfg['max_position_embeddings'],
                   'tokenizer_class': tokenizer_class, 'unk_token': '[UNK]', 'sep_token': '[SEP]',
                   'pad_token': '[PAD]', 'cls_token': '[CLS]', 'mask_token': '[MASK]'}, f, indent=2)
        f.write('\n')
    write_safetensors(os.path.join(folder, 'model.safetensors'), {n: w.numpy() for n, w in stored.items()})


def write_golden(folder, description, checkpoint_dir, tensors, meta):
    write_safetensors(os.path.join(folder, 'golden.safetensors'), tensors)
    meta = {'description': description,
            'checkpoint': os.path.relpath(checkpoint_dir, folder).replace(os.sep, '/'), **meta}
    with open(os.path.join(folder, 'golden.json'), 'w') as f:
        json.dump(meta, f, indent=2)
        f.write('\n')


def write_family_fixture(name, description, cfg, weights, tokenizer_class, forward, grad_names):
    """A fixture for another family's reference (make_distilbert_fixture.py, make_electra_fixture.py) on BASE's
    batch and labels. weights: float32 tensors in the family's own names; forward(p, input_ids, token_type_ids,
    attention_mask) returns (hidden_states, attentions, pooled, mlm_logits, classification_logits) in float64 from
    those parameters; grad_names: head -> the parameters whose gradients are checked."""
    folder = os.path.join(FIXTURES, name)
    write_checkpoint(folder, cfg, weights, tokenizer_class)
    inputs = batch_of(BASE_ROWS, BASE_PAIRS, BASE_SEQ)
    mlm_labels = mlm_label_tensor(BASE_MLM_LABELS, *inputs[0].shape)
    write_family_golden(folder, description, weights, forward, inputs, mlm_labels, torch.tensor(BASE_CLASS_LABELS), grad_names)


def write_family_golden(folder, description, weights, forward, inputs, mlm_labels, class_labels, grad_names):
    """golden.safetensors / golden.json of a family's reference (write_family_fixture) on the given batch
    (input_ids, token_type_ids, attention_mask) and labels, for the checkpoint in `folder`."""
    input_ids, token_type_ids, attention_mask = inputs
    p = {n: w.to(torch.float64).requires_grad_() for n, w in weights.items()}
    hidden, attentions, pooled, mlm, classification = forward(p, input_ids, token_type_ids, attention_mask)
    tensors = {'input_ids': i32(input_ids), 'token_type_ids': i32(token_type_ids), 'attention_mask': i32(attention_mask),
               'pooled_output': f32(pooled), 'mlm_logits': f32(mlm), 'classification_logits': f32(classification)}
    outputs = {'hidden_states': [f'hidden_states.{i}' for i in range(len(hidden))],
               'attentions': [f'attentions.{i}' for i in range(len(attentions))],
               'pooled_output': 'pooled_output', 'mlm_logits': 'mlm_logits', 'classification_logits': 'classification_logits'}
    tensors.update({f'hidden_states.{i}': f32(h) for i, h in enumerate(hidden)})
    tensors.update({f'attentions.{i}': f32(a) for i, a in enumerate(attentions)})
    losses = {'mlm': (mlm_loss(mlm, mlm_labels), 'masked_lm_cross_entropy', mlm_labels),
              'classification': (F.cross_entropy(classification, class_labels), 'cross_entropy', class_labels)}
    loss_json = {}
    for head, (loss, kind, labels) in losses.items():
        tensors[f'{head}_labels'] = i32(labels)
        names = grad_names[head]
        grads = torch.autograd.grad(loss, [p[n] for n in names], retain_graph=True)
        tensors.update({f'grad.{head}.{n}': f32(g) for n, g in zip(names, grads)})
        loss_json[head] = {'kind': kind, 'labels': f'{head}_labels', 'value': loss.item(),
                           'gradients': {n: f'grad.{head}.{n}' for n in names}}
    batch, seq = input_ids.shape
    meta = {'heads': {'mlm': True, 'classification': True},
            'inputs': {'batch_size': batch, 'seq_len': seq, 'input_ids': 'input_ids',
                       'token_type_ids': 'token_type_ids', 'attention_mask': 'attention_mask'},
            'outputs': outputs, 'losses': loss_json, 'tolerances': TOLERANCES}
    write_golden(folder, description, folder, tensors, meta)


def make_base():
    cfg = base_config()
    weights = random_parameters(cfg, seed=1)
    input_ids, token_type_ids, attention_mask = batch_of(BASE_ROWS, BASE_PAIRS, BASE_SEQ)
    shared = ['bert.embeddings.word_embeddings.weight', 'bert.embeddings.position_embeddings.weight',
              'bert.embeddings.token_type_embeddings.weight', 'bert.encoder.layer.0.attention.self.query.weight',
              'bert.encoder.layer.1.attention.output.LayerNorm.weight']
    losses = [
        ('mlm', mlm_label_tensor(BASE_MLM_LABELS, *input_ids.shape),
         shared + ['cls.predictions.transform.dense.weight', 'cls.predictions.bias']),
        ('classification', torch.tensor(BASE_CLASS_LABELS), shared + ['bert.pooler.dense.weight', 'classifier.weight']),
    ]
    folder = os.path.join(FIXTURES, 'base')
    write_checkpoint(folder, cfg, weights)
    tensors, meta = golden(cfg, weights, {'mlm': True, 'classification': True},
                           input_ids, token_type_ids, attention_mask, losses)
    write_golden(folder, 'hidden 32, 2 layers, 4 heads: every output, both losses and their gradients',
                 folder, tensors, meta)


TINY_ROWS = ['[CLS] the cat sat on the mat [SEP] it was happy [SEP]', '[CLS] a [MASK] dog [SEP]']
TINY_PAIRS = {0: 8}
TINY_SEQ = 12


def make_variant(name, description, cfg, stored, heads, losses=None):
    """A checkpoint whose stored tensor names differ from the canonical ones; golden outputs of the parts
    it defines (heads it lacks would be initialised at random by any loader)."""
    canonical = {canonical_name(n): w for n, w in stored.items()}
    folder = os.path.join(FIXTURES, name)
    write_checkpoint(folder, cfg, stored)
    input_ids, token_type_ids, attention_mask = batch_of(TINY_ROWS, TINY_PAIRS, TINY_SEQ)
    tensors, meta = golden(cfg, canonical, heads, input_ids, token_type_ids, attention_mask, losses)
    write_golden(folder, description, folder, tensors, meta)


def make_variants():
    cfg = tiny_config()
    full = random_parameters(cfg, seed=2)
    decoder = {'cls.predictions.decoder.weight': full['bert.embeddings.word_embeddings.weight'].clone()}
    encoder_only = {n: w for n, w in full.items() if n.startswith('bert.') and not n.startswith('bert.pooler')}
    mlm_head = {n: w for n, w in full.items() if n.startswith('cls.')}
    pooler = {n: w for n, w in full.items() if n.startswith('bert.pooler')}

    make_variant('no-prefix', 'BertModel names (no bert. prefix), no heads',
                 tiny_config(architectures=['BertModel']),
                 {n[len('bert.'):]: w for n, w in {**encoder_only, **pooler}.items()},
                 {'mlm': False, 'classification': False})

    def legacy(n):
        return n.replace('LayerNorm.weight', 'LayerNorm.gamma').replace('LayerNorm.bias', 'LayerNorm.beta')
    legacy_names = {legacy(n): w for n, w in {**encoder_only, **pooler, **mlm_head}.items()}
    legacy_names.update(decoder)
    legacy_names['cls.predictions.decoder.bias'] = legacy_names.pop('cls.predictions.bias')
    make_variant('legacy-names', 'LayerNorm gamma/beta, decoder weight stored (equal to the word embeddings), '
                 'cls.predictions.decoder.bias instead of cls.predictions.bias', cfg, legacy_names,
                 {'mlm': True, 'classification': False})

    with_classifier = {**encoder_only, **pooler, **mlm_head,
                       'classifier.weight': full['classifier.weight'], 'classifier.bias': full['classifier.bias']}
    make_variant('tied-decoder', 'no cls.predictions.decoder.weight: the decoder is the word embeddings',
                 tiny_config(architectures=['BertForSequenceClassification']), with_classifier,
                 {'mlm': True, 'classification': True})

    make_variant('no-pooler', 'BertForMaskedLM as HF saves it: no pooler, decoder weight stored',
                 cfg, {**encoder_only, **mlm_head, **decoder}, {'mlm': True, 'classification': False})

    tags = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC']
    token_cfg = tiny_config(id2label={str(i): t for i, t in enumerate(tags)}, label2id={t: i for i, t in enumerate(tags)},
                            architectures=['BertForTokenClassification'])
    token_weights = random_parameters(token_cfg, seed=4, pooler=False, mlm=False)
    # TINY_ROWS' tokens tagged, -100 on [CLS], [SEP], padding and two tokens taken as later sub-tokens (5, 9).
    token_labels = torch.tensor([[-100, 0, 1, 2, 0, -100, 3, -100, 0, -100, 4, -100],
                                 [-100, 0, 1, 2, -100, -100, -100, -100, -100, -100, -100, -100]])
    make_variant('token-classification', 'BertForTokenClassification: no pooler, the classifier on every token, '
                 'its cross-entropy over the tagged tokens and the gradients', token_cfg, token_weights,
                 {'mlm': False, 'classification': False, 'tokens': True},
                 [('tokens', token_labels,
                   ['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.0.attention.self.query.weight',
                    'bert.encoder.layer.0.output.dense.weight', 'classifier.weight', 'classifier.bias'])])

    qa_cfg = tiny_config(architectures=['BertForQuestionAnswering'])
    qa_weights = random_parameters(qa_cfg, seed=5, pooler=False, mlm=False, classification=False, qa=True)
    # Row 0's answer is "it was happy" (tokens 8-10 of its pair); row 1's window holds none: [CLS], position 0.
    qa_positions = torch.tensor([[8, 10], [0, 0]])
    # Not qa_outputs.bias: its gradient is 0 (a bias shifts every position's start logit alike, and the softmax over
    # positions ignores that), so only rounding noise would be compared.
    make_variant('question-answering', 'BertForQuestionAnswering: no pooler, qa_outputs on every token (start and end '
                 'logits), the mean of the start and end cross-entropies and the gradients', qa_cfg, qa_weights,
                 {'mlm': False, 'classification': False, 'qa': True},
                 [('qa', qa_positions,
                   ['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.0.attention.self.query.weight',
                    'bert.encoder.layer.0.output.dense.weight', 'qa_outputs.weight'])])

    regression_cfg = tiny_config(id2label={'0': 'LABEL_0'}, label2id={'LABEL_0': 0}, problem_type='regression',
                                 architectures=['BertForSequenceClassification'])
    regression = random_parameters(regression_cfg, seed=3, mlm=False)
    make_variant('regression', 'num_labels 1: MSE loss and its gradients', regression_cfg, regression,
                 {'mlm': False, 'classification': True},
                 [('classification', torch.tensor([[0.7], [-1.3]], dtype=torch.float64),
                   ['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.0.attention.self.query.weight',
                    'bert.pooler.dense.weight', 'classifier.weight', 'classifier.bias'])])


# ---------------------------------------------------------------------------------------------------------
# Golden outputs of any HF-layout checkpoint.

def read_ids(arg, pad_id):
    text = arg if arg.lstrip().startswith(('[', '{')) else open(arg).read()
    spec = json.loads(text)
    if isinstance(spec, list):
        spec = {'input_ids': spec}
    rows = spec['input_ids']
    seq = max(len(r) for r in rows)
    pad = lambda rs, v: [list(r) + [v] * (seq - len(r)) for r in rs]  # noqa: E731
    ids = pad(rows, pad_id)
    types = pad(spec.get('token_type_ids', [[0] * len(r) for r in rows]), 0)
    mask = pad(spec.get('attention_mask', [[1] * len(r) for r in rows]), 0)
    return (torch.tensor(ids, dtype=torch.int64), torch.tensor(types, dtype=torch.int64),
            torch.tensor(mask, dtype=torch.int64))


def golden_from_checkpoint(checkpoint_dir, ids_arg, out_dir):
    with open(os.path.join(checkpoint_dir, 'config.json')) as f:
        cfg = json.load(f)
    cfg.setdefault('layer_norm_eps', 1e-12)
    stored = read_safetensors(os.path.join(checkpoint_dir, 'model.safetensors'))
    weights = {canonical_name(n): torch.tensor(w.astype(np.float32)) for n, w in stored.items()}
    heads = {'mlm': 'cls.predictions.transform.dense.weight' in weights,
             'classification': 'classifier.weight' in weights}
    if heads['classification'] and 'bert.pooler.dense.weight' not in weights:
        raise ValueError(f'{checkpoint_dir}: a classifier without a pooler')
    input_ids, token_type_ids, attention_mask = read_ids(ids_arg, cfg.get('pad_token_id', 0))
    os.makedirs(out_dir, exist_ok=True)
    tensors, meta = golden(cfg, weights, heads, input_ids, token_type_ids, attention_mask)
    write_golden(out_dir, f'golden outputs of {checkpoint_dir}', checkpoint_dir, tensors, meta)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--from', dest='source', help='an HF-layout checkpoint folder')
    parser.add_argument('--sentences-ids', help='JSON (a file or inline) of input ids, with --from')
    parser.add_argument('--out', help='where golden.safetensors and golden.json go, with --from')
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    if args.source:
        if not (args.sentences_ids and args.out):
            parser.error('--from needs --sentences-ids and --out')
        golden_from_checkpoint(args.source, args.sentences_ids, args.out)
    else:
        make_base()
        make_variants()


if __name__ == '__main__':
    main()
