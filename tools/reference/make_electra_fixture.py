#!/usr/bin/python3
"""Golden fixture for the studio's ELECTRA family (src/model/electra).

A from-scratch PyTorch ELECTRA following Hugging Face's `modeling_electra` (eager attention) in its own names:
embeddings `embedding_size` wide, `embeddings_project` up to the hidden size, BERT's layers under `electra.`, the
generator's `generator_predictions` (dense to embedding_size, GELU, LayerNorm) and `generator_lm_head` tied to the
word embeddings, and `ElectraClassificationHead` (dense, GELU, out_proj on [CLS]). Float64 from float32 weights.

Usage: /usr/bin/python3 tools/reference/make_electra_fixture.py   (rewrites tools/reference/fixtures/electra)
"""

import torch

from family_reference import encoder, encoder_shapes, linear, norm, random_weights
from make_fixtures import base_config, gelu, write_family_fixture


def config():
    """make_fixtures' base BERT config as an ELECTRA generator: embeddings narrower than the hidden size."""
    return base_config(architectures=['ElectraForMaskedLM'], model_type='electra', embedding_size=24,
                       summary_activation='gelu', summary_last_dropout=0.1, summary_type='first', summary_use_proj=True)


def shapes(cfg):
    e, h, v = cfg['embedding_size'], cfg['hidden_size'], cfg['vocab_size']
    out = {
        'electra.embeddings.word_embeddings.weight': [v, e],
        'electra.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], e],
        'electra.embeddings.token_type_embeddings.weight': [cfg['type_vocab_size'], e],
        'electra.embeddings.LayerNorm.weight': [e],
        'electra.embeddings.LayerNorm.bias': [e],
        'electra.embeddings_project.weight': [h, e],
        'electra.embeddings_project.bias': [h],
        **encoder_shapes('electra.', cfg),
    }
    labels = len(cfg['id2label'])
    out.update({
        'classifier.dense.weight': [h, h], 'classifier.dense.bias': [h],
        'classifier.out_proj.weight': [labels, h], 'classifier.out_proj.bias': [labels],
        'generator_predictions.dense.weight': [e, h], 'generator_predictions.dense.bias': [e],
        'generator_predictions.LayerNorm.weight': [e], 'generator_predictions.LayerNorm.bias': [e],
        'generator_lm_head.bias': [v],  # its weight is the word embeddings (tied, not saved)
    })
    return out


def electra(p, cfg, input_ids, token_type_ids, attention_mask):
    seq = input_ids.shape[1]
    x = (p['electra.embeddings.word_embeddings.weight'][input_ids]
         + p['electra.embeddings.token_type_embeddings.weight'][token_type_ids]
         + p['electra.embeddings.position_embeddings.weight'][:seq])
    x = norm(p, 'electra.embeddings.LayerNorm', x, cfg)
    # the encoder's input, the projection, is HF's hidden_states[0]
    return encoder(p, cfg, 'electra.', linear(p, 'electra.embeddings_project', x), attention_mask)


def forward(cfg):
    def run(p, input_ids, token_type_ids, attention_mask):
        hidden, attentions = electra(p, cfg, input_ids, token_type_ids, attention_mask)
        # ElectraClassificationHead up to out_proj (its dropouts are the identity in eval mode).
        pooled = gelu(linear(p, 'classifier.dense', hidden[-1][:, 0]))
        generated = norm(p, 'generator_predictions.LayerNorm', gelu(linear(p, 'generator_predictions.dense', hidden[-1])), cfg)
        mlm = generated @ p['electra.embeddings.word_embeddings.weight'].T + p['generator_lm_head.bias']
        return hidden, attentions, pooled, mlm, linear(p, 'classifier.out_proj', pooled)
    return run


def main():
    torch.use_deterministic_algorithms(True)
    cfg = config()
    shared = ['electra.embeddings.word_embeddings.weight', 'electra.embeddings.token_type_embeddings.weight',
              'electra.embeddings.LayerNorm.weight', 'electra.embeddings_project.weight',
              'electra.encoder.layer.0.attention.self.query.weight', 'electra.encoder.layer.1.output.LayerNorm.weight']
    write_family_fixture(
        'electra',
        'ELECTRA, embedding 24 projected to hidden 32, 2 layers, 4 heads, in its own names: every output, both '
        'losses, gradients',
        cfg, random_weights(shapes(cfg), seed=7), 'ElectraTokenizer', forward(cfg),
        {'mlm': shared + ['generator_predictions.dense.weight', 'generator_predictions.LayerNorm.weight', 'generator_lm_head.bias'],
         'classification': shared + ['classifier.dense.weight', 'classifier.out_proj.weight']})


if __name__ == '__main__':
    main()
