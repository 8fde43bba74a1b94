"""What the references of the families built on BERT's layer share (make_electra_fixture.py,
make_roberta_fixture.py): HF's `BertLayer` as modeling_electra and modeling_roberta copy it ("Copied from
transformers.models.bert.modeling_bert.BertLayer"), under the family's own prefix, its shapes, and random weights
larger than HF's N(0, 0.02) init so that a wrong name, scale or head moves the outputs far beyond the tolerance.
Each family's embeddings and heads stay in its own script, written from its own modeling file."""

import math

import torch
import torch.nn.functional as F

from make_fixtures import gelu, seeded_weights


def linear(p, prefix, x):
    return x @ p[prefix + '.weight'].T + p[prefix + '.bias']


def norm(p, prefix, x, cfg):
    return F.layer_norm(x, (x.shape[-1],), p[prefix + '.weight'], p[prefix + '.bias'], cfg['layer_norm_eps'])


def encoder_shapes(prefix, cfg):
    """The layers' parameter shapes, `{prefix}encoder.layer.N.…`, in HF's [out, in] layout."""
    h, i = cfg['hidden_size'], cfg['intermediate_size']
    out = {}
    for layer in range(cfg['num_hidden_layers']):
        p = f'{prefix}encoder.layer.{layer}.'
        for lin, (o, n) in [('attention.self.query', (h, h)), ('attention.self.key', (h, h)), ('attention.self.value', (h, h)),
                            ('attention.output.dense', (h, h)), ('intermediate.dense', (i, h)), ('output.dense', (h, i))]:
            out[p + lin + '.weight'] = [o, n]
            out[p + lin + '.bias'] = [o]
        for layer_norm in ('attention.output.LayerNorm', 'output.LayerNorm'):
            out[p + layer_norm + '.weight'] = [h]
            out[p + layer_norm + '.bias'] = [h]
    return out


def random_weights(shapes, seed):
    def mean_std(name):
        if 'LayerNorm' in name or 'layer_norm' in name:
            return (1.0, 0.2) if name.endswith('weight') else (0.0, 0.1)
        if 'embeddings.' in name:
            return 0.0, 0.5
        if name.endswith('query.weight') or name.endswith('key.weight'):
            return 0.0, 0.25
        return (0.0, 0.15) if name.endswith('weight') else (0.0, 0.05)
    return seeded_weights(shapes, seed, mean_std)


def layer(p, cfg, prefix, h, extended):
    """BertLayer (eager attention, exact GELU): the output and the attention probabilities."""
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


def encoder(p, cfg, prefix, embedded, attention_mask):
    """The layers on the embeddings: hidden states (the embeddings, then each layer) and attention probabilities,
    with HF's additive mask (0 where attended, the most negative float32 where masked)."""
    extended = (1.0 - attention_mask[:, None, None, :].to(torch.float64)) * torch.finfo(torch.float32).min
    hidden, attentions = [embedded], []
    for i in range(cfg['num_hidden_layers']):
        h, probs = layer(p, cfg, f'{prefix}encoder.layer.{i}.', hidden[-1], extended)
        hidden.append(h)
        attentions.append(probs)
    return hidden, attentions
