"""Fixture tokenizers and their reference encodings for src/tokenizer (see the README beside this file).

Trains, with no network:
  * a byte-level BPE in RoBERTa's layout (vocab.json + merges.txt + tokenizer.json) by this file's own trainer, and
  * a SentencePiece Unigram with the `sentencepiece` library, converted here to a tokenizer.json
    (Precompiled normalizer, Metaspace pre-tokenizer, XLM-R's `<s> A </s></s> B </s>` template),
then writes, for every line of probe.txt, the ids and [start, end) UTF-16 offsets that independent
implementations give: this file's byte-level BPE encoder (GPT-2's pre-tokenizer, byte→unicode map, merges by
rank) and sentencepiece's own `encode`. Also a cased WordPiece vocabulary in bert-base-multilingual-cased's
style (accents and case kept, CJK ideographs split) with the ids of this file's BasicTokenizer + WordPiece,
written from transformers' description of BertTokenizer; and a character vocabulary for Tohoku's character-level
BertJapaneseTokenizer (NFKC, one token per non-space character; its MeCab word split changes no token).
Deterministic: same bytes every run.

    /usr/bin/python3 tools/reference/tokenizers/make_tokenizers.py
"""
import base64
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
BPE_DIR = os.path.join(HERE, 'bpe')
UNIGRAM_DIR = os.path.join(HERE, 'unigram')
WORDPIECE_DIR = os.path.join(HERE, 'wordpiece-cased')
JAPANESE_DIR = os.path.join(HERE, 'japanese-char')
BPE_MERGES = 400
UNIGRAM_VOCAB = 600

# The training text: English prose and code, plus a little of each script the probe set uses, so that both
# tokenizers learn pieces there too. Not the probe lines themselves.
CORPUS = """
The studio fine-tunes BERT models in the browser. It reads a checkpoint, tokenizes the data set and trains.
A tokenizer splits text into pieces that the model knows; unknown words are split into smaller pieces.
The cat sat on the mat, and the dog slept by the door. We would like to see what they have done.
Training runs for a few epochs; the loss goes down and the accuracy goes up. It's the data that matters.
Attention maps show which tokens each head looks at. The masked language model predicts the hidden word.
She said that he'd come, but they've not seen him since. I'll write when I'm there, and you'll answer.
Numbers such as 2024, 3.5 and 100,000 appear in reports; percentages like 12% and 7.25% appear too.
function train(model, data) { for (const batch of data) { model.step(batch); } return model; }
def encode(text): return [vocab[token] for token in text.split() if token in vocab]
Résumé, café, naïve and façade keep their accents; Ångström and Élève are capitalised.
日本語の文章を読みます。東京は日本の首都です。今日は天気がいいです。
中文是一种语言。我们喜欢学习自然语言处理和机器学习。
한국어는 한글로 씁니다. 오늘은 날씨가 좋습니다.
Ελληνικά γράμματα και Русский текст встречаются в данных.
مرحبا بكم في العالم. हिन्दी भाषा का पाठ।
Emoji such as 😀 and 👍 appear in social media posts, and flags like 🇫🇷 too.
"""


def bytes_to_unicode():
    """GPT-2's map from each byte to a printable character: printable Latin-1 bytes stand for themselves, the
    others take the characters from U+0100 on, in byte order."""
    printable = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_CHAR = bytes_to_unicode()


def char_class(prefixes):
    """A regex class body of every code point whose Unicode category starts with one of `prefixes`
    (Python's `re` has no \\p{L})."""
    ranges = []
    start = None
    for cp in range(sys.maxunicode + 2):
        inside = cp <= sys.maxunicode and unicodedata.category(chr(cp))[0] in prefixes
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    esc = lambda cp: '\\U%08x' % cp
    return ''.join(esc(a) if a == b else f'{esc(a)}-{esc(b)}' for a, b in ranges)


LETTER = char_class('L')
NUMBER = char_class('N')
# GPT-2's pre-tokenizer: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
GPT2_SPLIT = re.compile(
    f"'s|'t|'re|'ve|'m|'ll|'d| ?[{LETTER}]+| ?[{NUMBER}]+| ?[^\\s{LETTER}{NUMBER}]+|\\s+(?!\\S)|\\s+"
)


def pre_tokenize(text):
    """(piece, start) in characters for each GPT-2 pre-token."""
    return [(m.group(0), m.start()) for m in GPT2_SPLIT.finditer(text)]


def to_symbols(piece):
    return [BYTE_CHAR[b] for b in piece.encode('utf-8')]


def train_bpe(text, merges):
    """Byte-level BPE training: repeatedly merge the most frequent adjacent pair (ties: the smaller pair)."""
    words = Counter(tuple(to_symbols(piece)) for piece, _ in pre_tokenize(text))
    words = {word: count for word, count in words.items()}
    learned = []
    for _ in range(merges):
        pairs = Counter()
        for word, count in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = min(pairs, key=lambda pair: (-pairs[pair], pair))
        learned.append(best)
        merged = {}
        for word, count in words.items():
            out = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + count
        words = merged
    return learned


def bpe_encode_piece(piece, ranks):
    """GPT-2's `bpe`: merge the adjacent pair of lowest rank, all its occurrences left to right, until none is
    ranked. Each symbol keeps the [start, end) of the bytes it covers."""
    symbols = [(ch, i, i + 1) for i, ch in enumerate(to_symbols(piece))]
    while len(symbols) > 1:
        ranked = [(ranks.get((a[0], b[0])), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        ranked = [(rank, i) for rank, i in ranked if rank is not None]
        if not ranked:
            break
        best = min(ranked)[0]
        out = []
        i = 0
        while i < len(symbols):
            if i + 1 < len(symbols) and ranks.get((symbols[i][0], symbols[i + 1][0])) == best:
                out.append((symbols[i][0] + symbols[i + 1][0], symbols[i][1], symbols[i + 1][2]))
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols


def utf16_len(text):
    return len(text.encode('utf-16-le')) // 2


def byte_to_utf16(text):
    """For each UTF-8 byte offset 0..len(bytes): the UTF-16 offset of the character holding it (its start)."""
    table = []
    position = 0
    for ch in text:
        table.extend([position] * len(ch.encode('utf-8')))
        position += utf16_len(ch)
    table.append(position)
    return table


def char_end_utf16(text):
    """For each UTF-8 byte offset: the UTF-16 end of the character holding the byte before it."""
    table = [0]
    position = 0
    for ch in text:
        position += utf16_len(ch)
        table.extend([position] * len(ch.encode('utf-8')))
    return table


def bpe_reference(text, vocab, ranks):
    """ids and offsets as RoBERTa's fast tokenizer reports them: a token covers the characters its bytes come
    from (a part of a character covers all of it), trimmed of the spaces around it (trim_offsets)."""
    ids, offsets = [], []
    for piece, start in pre_tokenize(text):
        base = len(text[:start].encode('utf-8'))
        starts = byte_to_utf16(text)
        ends = char_end_utf16(text)
        for symbol, b0, b1 in bpe_encode_piece(piece, ranks):
            ids.append(vocab[symbol])
            lo, hi = starts[base + b0], ends[base + b1]
            covered = text_utf16(text)[lo:hi]
            lead = len(covered) - len(covered.lstrip())
            trail = len(covered) - len(covered.rstrip())
            lo2 = min(lo + lead, hi)
            offsets.append([lo2, max(hi - trail, lo2)])
    return ids, offsets


def text_utf16(text):
    """The text as a list of UTF-16 code units (as strings), so that slices use JS indices."""
    units = text.encode('utf-16-le')
    return _Utf16(units)


class _Utf16:
    def __init__(self, units):
        self.units = units

    def __getitem__(self, s):
        return self.units[s.start * 2:s.stop * 2].decode('utf-16-le', errors='replace')


def write_bpe(probe):
    os.makedirs(BPE_DIR, exist_ok=True)
    merges = train_bpe(CORPUS, BPE_MERGES)
    specials = ['<s>', '<pad>', '</s>', '<unk>']
    tokens = specials + [BYTE_CHAR[b] for b in range(256)] + [a + b for a, b in merges]
    vocab = {}
    for token in tokens:
        vocab.setdefault(token, len(vocab))
    vocab['<mask>'] = len(vocab)
    ranks = {pair: rank for rank, pair in enumerate(merges)}
    with open(os.path.join(BPE_DIR, 'vocab.json'), 'w', encoding='utf-8') as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(BPE_DIR, 'merges.txt'), 'w', encoding='utf-8') as f:
        f.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
    added = [
        {'id': vocab[t], 'content': t, 'single_word': False, 'lstrip': t == '<mask>', 'rstrip': False, 'normalized': False, 'special': True}
        for t in specials + ['<mask>']
    ]
    tokenizer = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': added,
        'normalizer': None,
        'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
        'post_processor': {'type': 'RobertaProcessing', 'sep': ['</s>', vocab['</s>']], 'cls': ['<s>', vocab['<s>']], 'trim_offsets': True, 'add_prefix_space': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {
            'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '', 'end_of_word_suffix': '',
            'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False, 'vocab': vocab, 'merges': [f'{a} {b}' for a, b in merges],
        },
    }
    with open(os.path.join(BPE_DIR, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(BPE_DIR, 'tokenizer_config.json'), 'w', encoding='utf-8') as f:
        json.dump({'tokenizer_class': 'RobertaTokenizer', 'bos_token': '<s>', 'eos_token': '</s>', 'cls_token': '<s>', 'sep_token': '</s>', 'unk_token': '<unk>', 'pad_token': '<pad>', 'mask_token': '<mask>', 'model_max_length': 512}, f, indent=2)
    return [with_mask(text, vocab['<mask>'], lambda part: bpe_reference(part, vocab, ranks)) for text in probe]


def with_mask(text, mask_id, encode):
    """One probe line's reference: "<mask>" written in the text is split out first, as HF's added tokens are,
    its lstrip taking the spaces before it; `encode` gives the ids and offsets of the text between."""
    ids, offsets = [], []
    position = 0
    for m in list(re.finditer(r'\s*<mask>', text)) + [None]:
        end = len(text) if m is None else m.start()
        part_ids, part_offsets = encode(text[position:end])
        shift = utf16_len(text[:position])
        ids += part_ids
        offsets += [[a + shift, b + shift] for a, b in part_offsets]
        if m is None:
            break
        start = utf16_len(text[:m.end() - len('<mask>')])
        ids.append(mask_id)
        offsets.append([start, start + len('<mask>')])
        position = m.end()
    return {'text': text, 'ids': ids, 'offsets': offsets}


def read_proto_field(data, wanted):
    """The bytes of the first length-delimited field number `wanted` of a serialized protobuf message."""
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, i = read_varint(data, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = read_varint(data, i)
            if field == wanted:
                return data[i:i + length]
            i += length
        else:
            raise ValueError(f'wire type {wire}')
    return None


def read_varint(data, i):
    value = shift = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def write_unigram(probe):
    os.makedirs(UNIGRAM_DIR, exist_ok=True)
    # The .model file holds nothing tokenizer.json lacks: it stays out of the fixtures.
    prefix = os.path.join(tempfile.mkdtemp(), 'spm')
    sentences = [line for line in CORPUS.strip().split('\n')] * 4
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_prefix=prefix, model_type='unigram', vocab_size=UNIGRAM_VOCAB,
        character_coverage=1.0, bos_id=0, pad_id=1, eos_id=2, unk_id=3, num_threads=1, seed_sentencepiece_size=100000,
        normalization_rule_name='nmt_nfkc', minloglevel=2, hard_vocab_limit=False,
    )
    sp = spm.SentencePieceProcessor(model_file=prefix + '.model')
    pieces = [[sp.id_to_piece(i), sp.get_score(i)] for i in range(sp.get_piece_size())]
    for i in (0, 1, 2, 3):
        pieces[i][1] = 0.0
    mask_id = len(pieces)
    pieces.append(['<mask>', 0.0])
    # ModelProto.normalizer_spec (field 3) → NormalizerSpec.precompiled_charsmap (field 2).
    charsmap = read_proto_field(read_proto_field(sp.serialized_model_proto(), 3), 2)
    names = {0: '<s>', 1: '<pad>', 2: '</s>', 3: '<unk>', mask_id: '<mask>'}
    metaspace = {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True}
    special = lambda name, type_id=0: {'SpecialToken': {'id': name, 'type_id': type_id}}
    sequence = lambda name, type_id=0: {'Sequence': {'id': name, 'type_id': type_id}}
    tokenizer = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [
            {'id': i, 'content': t, 'single_word': False, 'lstrip': t == '<mask>', 'rstrip': False, 'normalized': False, 'special': True}
            for i, t in sorted(names.items())
        ],
        # sentencepiece's nmt_nfkc rules, then what its normalizer does besides the charsmap: runs of spaces
        # become one, and none is kept at either end.
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'Precompiled', 'precompiled_charsmap': base64.b64encode(charsmap).decode('ascii')},
            {'type': 'Replace', 'pattern': {'Regex': ' {2,}'}, 'content': ' '},
            {'type': 'Strip', 'strip_left': True, 'strip_right': True},
        ]},
        'pre_tokenizer': metaspace,
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [special('<s>'), sequence('A'), special('</s>')],
            'pair': [special('<s>'), sequence('A'), special('</s>'), special('</s>'), sequence('B'), special('</s>')],
            'special_tokens': {t: {'id': t, 'ids': [i], 'tokens': [t]} for i, t in ((0, '<s>'), (2, '</s>'))},
        },
        'decoder': metaspace,
        'model': {'type': 'Unigram', 'unk_id': 3, 'vocab': pieces, 'byte_fallback': False},
    }
    with open(os.path.join(UNIGRAM_DIR, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(UNIGRAM_DIR, 'tokenizer_config.json'), 'w', encoding='utf-8') as f:
        json.dump({'tokenizer_class': 'XLMRobertaTokenizer', 'bos_token': '<s>', 'eos_token': '</s>', 'cls_token': '<s>', 'sep_token': '</s>', 'unk_token': '<unk>', 'pad_token': '<pad>', 'mask_token': '<mask>', 'model_max_length': 512}, f, indent=2)
    def encode(text):
        # The Python wrapper gives begin/end in code points; JS strings count UTF-16 units.
        utf16 = [utf16_len(text[:i]) for i in range(len(text) + 1)]
        pieces = sp.encode(text, out_type='immutable_proto').pieces
        return [p.id for p in pieces], [[utf16[p.begin], utf16[p.end]] for p in pieces]

    return [with_mask(text, mask_id, encode) for text in probe]


def is_chinese_char(cp):
    """BertTokenizer's CJK ideograph blocks (not kana, not Hangul)."""
    return any(a <= cp <= b for a, b in (
        (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)))


def is_punctuation(ch):
    cp = ord(ch)
    return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 or unicodedata.category(ch).startswith('P')


def basic_tokenize(text):
    """BertTokenizer's BasicTokenizer, cased (do_lower_case false, accents kept), CJK ideographs split."""
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (ch not in '\t\n\r' and unicodedata.category(ch) in ('Cc', 'Cf')):
            continue
        cleaned.append(' ' if ch in ' \t\n\r' or unicodedata.category(ch) == 'Zs' else ch)
    spaced = ''.join(f' {ch} ' if is_chinese_char(ord(ch)) else ch for ch in cleaned)
    words = []
    for token in unicodedata.normalize('NFC', spaced).split():
        current = ''
        for ch in token:
            if is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ''
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece(word, vocab):
    """Greedy longest-match-first; a word with a character no piece covers is [UNK] as a whole."""
    if len(word) > 100:
        return ['[UNK]']
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = ('##' if start > 0 else '') + word[start:end]
            if piece in vocab:
                break
            end -= 1
        if end == start:
            return ['[UNK]']
        pieces.append(piece)
        start = end
    return pieces


def write_wordpiece(probe):
    """A cased vocabulary: every character of the probe set (alone and as "##x") but one left out for [UNK], and
    the corpus's most frequent words and word endings."""
    os.makedirs(WORDPIECE_DIR, exist_ok=True)
    words = Counter(w for line in CORPUS.strip().split('\n') for w in basic_tokenize(line))
    chars = sorted({ch for line in probe for w in basic_tokenize(line) for ch in w} - {'\u0920'})
    endings = Counter('##' + w[k:] for w in words for k in range(1, len(w) - 1))
    tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] + chars + ['##' + ch for ch in chars]
    tokens += [w for w, _ in words.most_common(150)] + [e for e, _ in endings.most_common(80)]
    vocab = {}
    for token in tokens:
        vocab.setdefault(token, len(vocab))
    with open(os.path.join(WORDPIECE_DIR, 'vocab.txt'), 'w', encoding='utf-8') as f:
        f.write(''.join(f'{t}\n' for t in vocab))
    with open(os.path.join(WORDPIECE_DIR, 'tokenizer_config.json'), 'w', encoding='utf-8') as f:
        json.dump({'tokenizer_class': 'BertTokenizer', 'do_lower_case': False, 'tokenize_chinese_chars': True, 'strip_accents': None}, f, indent=2)
    return [{'text': text, 'ids': [vocab[p] for w in basic_tokenize(text) for p in wordpiece(w, vocab)]} for text in probe]


def write_japanese_char(probe):
    """Tohoku's character-level vocabulary: specials and every NFKC character of the probe set but one ("ठ")."""
    os.makedirs(JAPANESE_DIR, exist_ok=True)
    chars = sorted({ch for line in probe for ch in unicodedata.normalize('NFKC', line) if not ch.isspace()} - {'\u0920'})
    tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] + chars
    vocab = {t: i for i, t in enumerate(tokens)}
    with open(os.path.join(JAPANESE_DIR, 'vocab.txt'), 'w', encoding='utf-8') as f:
        f.write(''.join(f'{t}\n' for t in tokens))
    with open(os.path.join(JAPANESE_DIR, 'tokenizer_config.json'), 'w', encoding='utf-8') as f:
        json.dump({'tokenizer_class': 'BertJapaneseTokenizer', 'do_lower_case': False, 'word_tokenizer_type': 'mecab', 'subword_tokenizer_type': 'character', 'mecab_kwargs': {'mecab_dic': 'unidic_lite'}}, f, indent=2)
    return [{'text': text, 'ids': [vocab.get(ch, 1) for ch in unicodedata.normalize('NFKC', text) if not ch.isspace()]} for text in probe]


def main():
    with open(os.path.join(HERE, 'probe.txt'), encoding='utf-8', newline='\n') as f:
        probe = f.read().split('\n')[:-1]
    reference = {'bpe': write_bpe(probe), 'unigram': write_unigram(probe), 'wordpiece-cased': write_wordpiece(probe), 'japanese-char': write_japanese_char(probe)}
    with open(os.path.join(HERE, 'reference.json'), 'w', encoding='utf-8') as f:
        f.write('{\n')
        for k, (name, lines) in enumerate(reference.items()):
            rows = ',\n'.join('  ' + json.dumps(line, ensure_ascii=False) for line in lines)
            f.write(f' {json.dumps(name)}: [\n{rows}\n ]{"," if k + 1 < len(reference) else ""}\n')
        f.write('}\n')


if __name__ == '__main__':
    main()
