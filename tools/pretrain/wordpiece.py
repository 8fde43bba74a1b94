"""Uncased BERT tokenization (Hugging Face BertTokenizer semantics) and a WordPiece vocabulary trainer.

Pre-tokenization follows transformers' BasicTokenizer with do_lower_case=True, strip_accents=None,
tokenize_chinese_chars=True; WordPiece follows its WordpieceTokenizer (greedy longest match, "##" for
non-initial pieces, words longer than 100 characters become [UNK]). The trainer is the one Hugging Face
`tokenizers` uses for WordPiece: BPE merges by pair frequency over the words, with "##" marking pieces that
continue a word.
"""

from __future__ import annotations

import argparse
import heapq
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
UNUSED_COUNT = 50
SPECIAL_TOKENS = [PAD] + [f"[unused{i}]" for i in range(UNUSED_COUNT)] + [UNK, CLS, SEP, MASK]
CONTINUATION = "##"
MAX_INPUT_CHARS_PER_WORD = 100
# HF's slow tokenizer keeps its special tokens whole (case-sensitive) wherever they occur in the text.
SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in (PAD, UNK, CLS, SEP, MASK)) + ")")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    # BERT treats every non-alphanumeric ASCII symbol as punctuation, e.g. "$" and "^" (not Unicode P*).
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _clean_text(text: str) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        out.append(" " if _is_whitespace(ch) else ch)
    return "".join(out)


def _space_cjk(text: str) -> str:
    return "".join(f" {ch} " if _is_cjk(ord(ch)) else ch for ch in text)


def _strip_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn")


def _split_punctuation(word: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for ch in word:
        if _is_punctuation(ch):
            if current:
                pieces.append("".join(current))
                current = []
            pieces.append(ch)
        else:
            current.append(ch)
    if current:
        pieces.append("".join(current))
    return pieces


def basic_tokenize(text: str) -> list[str]:
    """Split text into lower-cased, accent-stripped words and punctuation marks, as BasicTokenizer does."""
    text = unicodedata.normalize("NFC", _space_cjk(_clean_text(text)))
    words: list[str] = []
    for word in text.split():
        # Lower-cased one character at a time, as HF's slow tokenizer does: a final "Σ" becomes "σ", not "ς".
        lowered = "".join(ch.lower() for ch in word)
        words.extend(_split_punctuation(_strip_accents(lowered)))
    return words


class WordPieceTokenizer:
    """Greedy longest-match WordPiece over a fixed vocabulary (vocab.txt order gives the ids)."""

    def __init__(self, vocab: list[str]) -> None:
        if len(set(vocab)) != len(vocab):
            raise ValueError("vocabulary has duplicate entries")
        missing = [t for t in (PAD, UNK, CLS, SEP, MASK) if t not in vocab]
        if missing:
            raise ValueError(f"vocabulary lacks special tokens {missing}")
        self.vocab = vocab
        self.ids = {token: i for i, token in enumerate(vocab)}
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def from_file(cls, path: Path) -> "WordPieceTokenizer":
        return cls(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))

    def word_ids(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._split_word(word)
            self._cache[word] = cached
        return cached

    def _split_word(self, word: str) -> list[int]:
        unk = [self.ids[UNK]]
        if len(word) > MAX_INPUT_CHARS_PER_WORD:
            return unk
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = -1
            while start < end:
                piece = word[start:end] if start == 0 else CONTINUATION + word[start:end]
                found = self.ids.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                return unk
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str) -> list[int]:
        """Token ids of text, without adding [CLS]/[SEP]; special tokens written in the text stay whole."""
        ids: list[int] = []
        for index, part in enumerate(SPECIAL_SPLIT.split(text)):
            if index % 2:
                ids.append(self.ids[part])
            else:
                ids.extend(i for word in basic_tokenize(part) for i in self.word_ids(word))
        return ids

    def tokens(self, text: str) -> list[str]:
        return [self.vocab[i] for i in self.encode(text)]


def count_words(lines: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(basic_tokenize(line))
    return counts


def _merge_symbols(symbols: list[str], pair: tuple[str, str], merged: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == pair[0] and symbols[i + 1] == pair[1]:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def train_wordpiece(word_counts: Counter[str], vocab_size: int, min_pair_count: int = 2) -> list[str]:
    """Vocabulary: special tokens, every character seen (plain and "##"), then merged pieces in merge order.

    Merges the most frequent adjacent pair (ties broken by the pair's text, so training is deterministic)
    until the vocabulary reaches vocab_size or no pair occurs min_pair_count times.
    """
    if vocab_size <= len(SPECIAL_TOKENS):
        raise ValueError(f"vocab_size must exceed the {len(SPECIAL_TOKENS)} special tokens, got {vocab_size}")
    words = [[w[0]] + [CONTINUATION + ch for ch in w[1:]] for w in word_counts]
    freqs = list(word_counts.values())
    alphabet = sorted({s for symbols in words for s in symbols}, key=lambda s: (s.startswith(CONTINUATION), s))
    vocab = SPECIAL_TOKENS + alphabet
    known = set(vocab)

    pair_counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[int]] = {}
    for index, symbols in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += freqs[index]
            where.setdefault(pair, set()).add(index)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)

    while len(vocab) < vocab_size and heap:
        negative, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative:
            continue  # stale entry: the count changed after it was pushed
        if -negative < min_pair_count:
            break
        merged = pair[0] + pair[1][len(CONTINUATION) :]
        if merged not in known:
            known.add(merged)
            vocab.append(merged)
        touched: Counter[tuple[str, str]] = Counter()
        for index in where.pop(pair):
            symbols = words[index]
            for old in zip(symbols, symbols[1:]):
                pair_counts[old] -= freqs[index]
                touched[old] += 0
            words[index] = symbols = _merge_symbols(symbols, pair, merged)
            for new in zip(symbols, symbols[1:]):
                pair_counts[new] += freqs[index]
                where.setdefault(new, set()).add(index)
                touched[new] += 0
        del pair_counts[pair]
        for changed in touched:
            count = pair_counts.get(changed, 0)
            if count > 0:
                heapq.heappush(heap, (-count, changed))
            elif changed in pair_counts:
                del pair_counts[changed]
    return vocab


def main() -> None:
    parser = argparse.ArgumentParser(description="Train a WordPiece vocabulary on a text file.")
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parent / "work" / "corpus" / "train.txt")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "work" / "vocab.txt")
    parser.add_argument("--vocab-size", type=int, default=8000)
    args = parser.parse_args()
    counts = count_words(args.corpus.read_text(encoding="utf-8").splitlines())
    vocab = train_wordpiece(counts, args.vocab_size)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    print(f"{len(counts)} distinct words -> {len(vocab)} vocabulary entries -> {args.out}")


if __name__ == "__main__":
    main()
