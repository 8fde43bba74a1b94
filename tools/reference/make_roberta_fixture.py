#!/usr/bin/python3
"""Golden fixtures for the studio's RoBERTa and XLM-RoBERTa families (src/model/roberta).

A from-scratch PyTorch RoBERTa following Hugging Face's `modeling_roberta` (eager attention) in its own names:
`RobertaEmbeddings` with position ids from `create_position_ids_from_input_ids` (the non-pad tokens count from
pad_token_id + 1, pads sit at pad_token_id) and its one token type added to every token, BERT's layers under
`roberta.`, `RobertaLMHead` (dense, exact GELU, layer_norm, decoder tied to the word embeddings, bias) and
`RobertaClassificationHead` (dense, tanh, out_proj on `<s>`; its dropouts are the identity in eval mode).
Float64 from float32 weights. XLM-RoBERTa is the same network: its fixture differs in model_type, weights and
tokenizer files only.

The tokenizer files are tiny but real: RoBERTa's `vocab.json` + `merges.txt` (the 256 byte-level symbols and BPE
merges learnt here from the fixture's words) and the same as `tokenizer.json`, XLM-RoBERTa's `tokenizer.json` (a Unigram model with a Metaspace
pre-tokenizer). The golden inputs are the ids these tokenizers give for the rows below. The pair row's
token_type_ids carry segment 1 as a BERT pipeline would give them: RoBERTa's forward must ignore them (its
tokenizer returns none, and its one-row type table serves every token), so the reference uses zeros.

Usage: /usr/bin/python3 tools/reference/make_roberta_fixture.py   (rewrites tools/reference/fixtures/{roberta,xlm-roberta})
"""

import json
import os
import re

import torch

from family_reference import encoder, encoder_shapes, linear, norm, random_weights
from make_fixtures import FIXTURES, IGNORE_INDEX, base_config, gelu, write_family_golden, write_safetensors

SPECIALS = ['<s>', '<pad>', '</s>', '<unk>']
PAD_ID = 1
# Rows as text, each a segment or a pair; <mask> takes the space before it (HF's lstrip on the mask token).
ROWS = [('the cat sat on the <mask> and the dog ran',), ('a great movie', 'i love this <mask>!'), ('the <mask> was sad',)]
SEQ = 12
MLM_LABELS = {(0, 6): 'mat', (0, 2): 'cat', (1, 9): 'book', (1, 2): 'great', (2, 2): 'story'}
CLASS_LABELS = [2, 2, 0]
WORDS = 'the cat sat on mat and dog ran a great movie i love this book was sad story good bad film'.split()


def config(model_type, vocab_size):
    """make_fixtures' base config in RoBERTa's published layout (layer_norm_eps 1e-5, one token type, pad 1, bos 0,
    eos 2, positions = longest sequence + 2), tiny."""
    return base_config(architectures=['RobertaForMaskedLM' if model_type == 'roberta' else 'XLMRobertaForMaskedLM'],
                       model_type=model_type, vocab_size=vocab_size, layer_norm_eps=1e-05, max_position_embeddings=34,
                       pad_token_id=PAD_ID, bos_token_id=0, eos_token_id=2, type_vocab_size=1)


# ---------------------------------------------------------------------------------------------------------
# Tokenizer files.

def bytes_to_unicode():
    """GPT-2's byte-level alphabet: printable bytes as themselves, the rest shifted past 255."""
    printable = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return chars


def learn_merges(words):
    """BPE on the given words (each counted once) until each is one symbol: the most frequent pair first, ties by
    the pair itself, so the merges reproduce every word as a single token."""
    split = [list(word) for word in words]
    merges = []
    while any(len(symbols) > 1 for symbols in split):
        counts = {}
        for symbols in split:
            for pair in zip(symbols, symbols[1:]):
                counts[pair] = counts.get(pair, 0) + 1
        best = min(counts, key=lambda pair: (-counts[pair], pair))
        merges.append(best)
        for symbols in split:
            i = 0
            while i < len(symbols) - 1:
                if (symbols[i], symbols[i + 1]) == best:
                    symbols[i:i + 2] = [''.join(best)]
                i += 1
    return merges


def roberta_tokenizer():
    """vocab.json, merges.txt: specials, the byte alphabet, each merge's product, <mask> last (as roberta-base)."""
    alphabet = list(bytes_to_unicode().values())
    merges = learn_merges(sorted(set(WORDS + ['Ġ' + w for w in WORDS])))
    tokens = SPECIALS + alphabet + [a + b for a, b in merges] + ['<mask>']
    return {token: i for i, token in enumerate(tokens)}, merges


def roberta_tokenizer_json(vocab, merges):
    """The same tokenizer as `tokenizers` saves roberta-base's tokenizer.json: ByteLevel, BPE, RobertaProcessing."""
    def added(token):
        return {'id': vocab[token], 'content': token, 'single_word': False, 'lstrip': token == '<mask>', 'rstrip': False,
                'normalized': False, 'special': True}

    byte_level = {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True}
    return {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [added(t) for t in SPECIALS + ['<mask>']],
        'normalizer': None,
        'pre_tokenizer': byte_level,
        'post_processor': {'type': 'RobertaProcessing', 'sep': ['</s>', vocab['</s>']], 'cls': ['<s>', vocab['<s>']],
                           'trim_offsets': True, 'add_prefix_space': False},
        'decoder': byte_level,
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '', 'end_of_word_suffix': '',
                  'fuse_unk': False, 'byte_fallback': False, 'vocab': vocab, 'merges': [f'{a} {b}' for a, b in merges]},
    }


def roberta_tokens(segment):
    """The byte-level BPE tokens of a segment (each encoded alone, add_prefix_space false): a word after a space
    carries Ġ; <mask> eats its space."""
    words = segment.replace('!', ' !').split()
    return [w if w in ('<mask>', '!') or n == 0 else 'Ġ' + w for n, w in enumerate(words)]


def unigram_tokenizer(specials, cls, sep, unk, mask, pair_types):
    """tokenizer.json of a Unigram model as XLM-RoBERTa's or ALBERT's: the specials first, ▁-prefixed pieces
    (Metaspace), log-probability scores, <mask>-like token last. pair_types (0 or 1): XLM-RoBERTa's
    `<s> A </s></s> B </s>` all of type 0, or ALBERT's `[CLS] A [SEP] B [SEP]` with B of type 1."""
    pieces = ['▁' + w for w in WORDS] + ['▁!', '▁'] + [chr(c) for c in range(ord('a'), ord('z') + 1)] + ['!', ',', '.']
    vocab = [[t, 0.0] for t in specials] + [[p, -2.0 - 0.5 * len(p) if p.startswith('▁') and len(p) > 1 else -8.0] for p in pieces] + [[mask, 0.0]]
    ids = {t: i for i, (t, _) in enumerate(vocab)}

    def added(token, lstrip=False):
        return {'id': ids[token], 'content': token, 'single_word': False, 'lstrip': lstrip, 'rstrip': False,
                'normalized': False, 'special': True}

    special = lambda token, type_id=0: {'SpecialToken': {'id': token, 'type_id': type_id}}  # noqa: E731
    sequence = lambda name, type_id=0: {'Sequence': {'id': name, 'type_id': type_id}}  # noqa: E731
    metaspace = {'type': 'Metaspace', 'replacement': '▁', 'prepend_scheme': 'always', 'split': True}
    second = [sequence('B', pair_types), special(sep, pair_types)]
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [added(t) for t in specials] + [added(mask, lstrip=True)],
        'normalizer': None,
        'pre_tokenizer': metaspace,
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [special(cls), sequence('A'), special(sep)],
            'pair': [special(cls), sequence('A'), special(sep)] + ([] if pair_types else [special(sep)]) + second,
            'special_tokens': {t: {'id': t, 'ids': [ids[t]], 'tokens': [t]} for t in (cls, sep)},
        },
        'decoder': metaspace,
        'model': {'type': 'Unigram', 'unk_id': ids[unk], 'vocab': vocab, 'byte_fallback': False},
    }
    return ids, tokenizer


def xlm_tokens(segment):
    """The Unigram pieces of a segment: Metaspace prefixes every word with ▁, the first included, and the text after
    the <mask> token too (its own segment once the added token is split off): `<mask>!` is <mask>, ▁!."""
    out = []
    for part in re.split(r'(<mask>)', segment):
        if part == '<mask>':
            out.append(part)
            continue
        for word in part.split():
            out += ['▁' + word[:-1], '!'] if word.endswith('!') and len(word) > 1 else ['▁' + word]
    return out


def batch(ids, spell):
    """The rows as RoBERTa lays out a pair (<s> A </s></s> B </s>), padded with <pad>; BERT-style segment ids."""
    input_ids, types, mask = [], [], []
    for row in ROWS:
        tokens = ['<s>'] + spell(row[0]) + ['</s>']
        start = len(tokens)
        if len(row) > 1:
            tokens += ['</s>'] + spell(row[1]) + ['</s>']
        assert len(tokens) <= SEQ, tokens
        pad = SEQ - len(tokens)
        input_ids.append([ids[t] for t in tokens] + [PAD_ID] * pad)
        types.append([0] * start + [1] * (len(tokens) - start) + [0] * pad)
        mask.append([1] * len(tokens) + [0] * pad)
    as_tensor = lambda x: torch.tensor(x, dtype=torch.int64)  # noqa: E731
    return as_tensor(input_ids), as_tensor(types), as_tensor(mask)


# ---------------------------------------------------------------------------------------------------------
# The reference network.

def shapes(cfg):
    h, v = cfg['hidden_size'], cfg['vocab_size']
    labels = len(cfg['id2label'])
    return {
        'roberta.embeddings.word_embeddings.weight': [v, h],
        'roberta.embeddings.position_embeddings.weight': [cfg['max_position_embeddings'], h],
        'roberta.embeddings.token_type_embeddings.weight': [cfg['type_vocab_size'], h],
        'roberta.embeddings.LayerNorm.weight': [h],
        'roberta.embeddings.LayerNorm.bias': [h],
        **encoder_shapes('roberta.', cfg),
        'classifier.dense.weight': [h, h], 'classifier.dense.bias': [h],
        'classifier.out_proj.weight': [labels, h], 'classifier.out_proj.bias': [labels],
        'lm_head.dense.weight': [h, h], 'lm_head.dense.bias': [h],
        'lm_head.layer_norm.weight': [h], 'lm_head.layer_norm.bias': [h],
        'lm_head.bias': [v],  # the decoder's weight is the word embeddings and its bias this one (tied, not saved)
    }


def create_position_ids_from_input_ids(input_ids, padding_idx):
    mask = input_ids.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + padding_idx


def roberta(p, cfg, input_ids, attention_mask):
    """RobertaModel without its pooler: hidden states (embeddings, then each layer) and attention probabilities."""
    positions = create_position_ids_from_input_ids(input_ids, cfg['pad_token_id'])
    token_types = torch.zeros_like(input_ids)  # RobertaEmbeddings' buffer: the tokenizer gives no segment ids
    x = (p['roberta.embeddings.word_embeddings.weight'][input_ids]
         + p['roberta.embeddings.token_type_embeddings.weight'][token_types]
         + p['roberta.embeddings.position_embeddings.weight'][positions])
    return encoder(p, cfg, 'roberta.', norm(p, 'roberta.embeddings.LayerNorm', x, cfg), attention_mask)


def forward(cfg):
    def run(p, input_ids, token_type_ids, attention_mask):
        del token_type_ids  # whatever a pipeline gives, RoBERTa's tokenizer would have given none
        hidden, attentions = roberta(p, cfg, input_ids, attention_mask)
        pooled = torch.tanh(linear(p, 'classifier.dense', hidden[-1][:, 0]))  # RobertaClassificationHead before out_proj
        transformed = norm(p, 'lm_head.layer_norm', gelu(linear(p, 'lm_head.dense', hidden[-1])), cfg)
        mlm = transformed @ p['roberta.embeddings.word_embeddings.weight'].T + p['lm_head.bias']
        return hidden, attentions, pooled, mlm, linear(p, 'classifier.out_proj', pooled)
    return run


# ---------------------------------------------------------------------------------------------------------
# Writing a fixture.

GRADIENTS_SHARED = [
    'roberta.embeddings.word_embeddings.weight', 'roberta.embeddings.position_embeddings.weight',
    'roberta.embeddings.token_type_embeddings.weight', 'roberta.embeddings.LayerNorm.weight',
    'roberta.encoder.layer.0.attention.self.query.weight', 'roberta.encoder.layer.0.attention.self.value.bias',
    'roberta.encoder.layer.0.intermediate.dense.weight', 'roberta.encoder.layer.1.output.dense.weight',
    'roberta.encoder.layer.1.attention.output.LayerNorm.weight', 'roberta.encoder.layer.1.output.LayerNorm.bias',
]
GRADIENTS = {
    'mlm': GRADIENTS_SHARED + ['lm_head.dense.weight', 'lm_head.layer_norm.weight', 'lm_head.bias'],
    'classification': GRADIENTS_SHARED + ['classifier.dense.weight', 'classifier.dense.bias', 'classifier.out_proj.weight'],
}


def write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write('\n')


def write_fixture(name, description, cfg, weights, ids, spell, tokenizer_files):
    """The checkpoint in RoBERTa's layout (config.json, the tokenizer's files, model.safetensors) and its golden
    outputs on ROWS."""
    folder = os.path.join(FIXTURES, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write('\n')
    for file, content in tokenizer_files.items():
        if isinstance(content, str):
            with open(os.path.join(folder, file), 'w', encoding='utf-8') as f:
                f.write(content)
        else:
            write_json(os.path.join(folder, file), content)
    write_safetensors(os.path.join(folder, 'model.safetensors'), {n: w.numpy() for n, w in weights.items()})
    inputs = batch(ids, spell)
    mlm_labels = torch.full(inputs[0].shape, IGNORE_INDEX, dtype=torch.int64)
    for (r, c), word in MLM_LABELS.items():
        mlm_labels[r, c] = ids[spell('. ' + word)[1]]  # the word as it reads after a space
    write_family_golden(folder, description, weights, forward(cfg), inputs, mlm_labels, torch.tensor(CLASS_LABELS), GRADIENTS)


SPECIAL_TOKENS = {'bos_token': '<s>', 'cls_token': '<s>', 'eos_token': '</s>', 'mask_token': '<mask>', 'pad_token': '<pad>',
                  'sep_token': '</s>', 'unk_token': '<unk>'}


def main():
    torch.use_deterministic_algorithms(True)
    vocab, merges = roberta_tokenizer()
    cfg = config('roberta', len(vocab))
    write_fixture(
        'roberta',
        'RoBERTa, hidden 32, 2 layers, 4 heads, in its own names; a padded row (positions from pad_token_id + 1) and '
        'a pair whose segment ids must not matter: every output, both losses, gradients',
        cfg, random_weights(shapes(cfg), seed=11), vocab, roberta_tokens,
        {'vocab.json': vocab, 'merges.txt': '#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges),
         'tokenizer.json': roberta_tokenizer_json(vocab, merges),
         'tokenizer_config.json': {'tokenizer_class': 'RobertaTokenizer', 'add_prefix_space': False, 'errors': 'replace',
                                   'trim_offsets': True, 'model_max_length': cfg['max_position_embeddings'] - PAD_ID - 1,
                                   **SPECIAL_TOKENS}})
    ids, tokenizer = unigram_tokenizer(SPECIALS, '<s>', '</s>', '<unk>', '<mask>', pair_types=0)
    cfg = config('xlm-roberta', len(ids))
    write_fixture(
        'xlm-roberta',
        'XLM-RoBERTa (RoBERTa\'s network, a Unigram tokenizer), hidden 32, 2 layers, 4 heads: every output, both '
        'losses, gradients',
        cfg, random_weights(shapes(cfg), seed=12), ids, xlm_tokens,
        {'tokenizer.json': tokenizer,
         'tokenizer_config.json': {'tokenizer_class': 'XLMRobertaTokenizer',
                                   'model_max_length': cfg['max_position_embeddings'] - PAD_ID - 1, **SPECIAL_TOKENS}})


if __name__ == '__main__':
    main()
