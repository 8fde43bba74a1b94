"""Writes golden.json: Hugging Face's own output for the cases golden.test.ts replays.

Token ids, tokens and decodes come from the slow (Python) BertTokenizer, whose semantics src/tokenizer
reproduces; offsets and word ids come from BertTokenizerFast, kept only where the fast tokenizer gives the
same ids (it skips NFC) and the texts hold no combining marks (around stripped marks the two place span
edges differently, both valid). Characters are drawn from a fixed pool, not random code points, so that
differing Unicode versions (Python's unicodedata vs Node's ICU) do not change the expected output.

Run with transformers 4.57 and tokenizers 0.22 installed (no network needed):
    python src/tokenizer/golden/make_golden.py > src/tokenizer/golden/golden.json
"""

import json
import os
import random
import sys
import tempfile
import unicodedata

from transformers import BertTokenizer, BertTokenizerFast

WORDS = (
    "the a of to and in is was he she it for on that with as be at this by not but all can had one what so up out"
    " if about who get when make like time no just know take people into year your good some could them see other"
    " than then now look only come over think also back after use two how our work first well way even new want"
    " play ##ing ##ed ##s ##es ##ly ##er un ##able cafe café naive naïve angstrom ångström resume résumé hello world"
    " don ' t ##n ##t n ab ##ab abc ##bc"
).split()
ASCII = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?;:'\"()[]{}-_/\\@#$%^&*+=<>|~`")
OTHER = (
    list("éèêëàâäîïôöùûüçñåøæœßÉÅÆ")
    + list("日本語中文漢字東京")
    + list("ひらがなカタカナ")
    + list("한국어")
    + ["😀", "👍", "𠀀", "𝐀"]
    + list("—–…«»¿¡·")
    + list("ΣσςΟΔ")
    + ["İ", "ı"]
)
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
POOL = WORDS + ASCII + OTHER + [
    " ", " ", " ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\u200b", "\u00ad", "\ufeff", "\u0000", "\ufffd",
    "\u0007", "\ue000", "[MASK]", "[CLS]", "[mask]", "E\u0301", "A\u030a", "\u1fef", "\u037e", "\u2126", "\uf900",
    "\u1100\u1161\u11a8", "\u0301",
]
HANDWRITTEN = [
    "Hello, world!",
    "Don't stop.",
    "UNaffable playing",
    "résumé café naïve Ångström",
    "Re\u0301sume\u0301 cafe\u0301",
    "日本語のテキストです。",
    "東京タワーへ行きました",
    "中文漢字測試",
    "한국어 텍스트",
    "I 👍 this 😀!",
    "ΟΔΟΣ Σ σ",
    "İstanbul ıi",
    "tab\tnew\nline\r\nend\u2028next",
    "zero\u200bwidth soft\u00adhyphen \ufeffbom \u0000nul \ufffdrepl \u0007bell \ue000pua",
    "x" * 100,
    "x" * 101,
    "ab" * 60,
    "[MASK] is [mask] and [CLS][SEP]x",
    "  leading and trailing  ",
    "",
    "   ",
    "a`b\u1fefc \u037e \u2126 \uf900",
]


def build_vocab():
    vocab = SPECIALS + WORDS + ASCII + ["##" + c for c in ASCII] + OTHER + ["##" + c for c in OTHER] + ["σ", "οδος"]
    seen = set()
    return [v for v in vocab if not (v in seen or seen.add(v))]


def random_texts(rng, count):
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 12)):
            parts.append(rng.choice(POOL))
            if rng.random() < 0.5:
                parts.append(" ")
        texts.append("".join(parts))
    return texts


def utf16_offsets(text, offsets):
    """Char (code point) offsets → UTF-16 offsets, as JavaScript strings index."""
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return [[units[s], units[e]] for s, e in offsets]


def has_marks(text):
    return any(unicodedata.category(ch).startswith("M") for ch in text)


def main():
    rng = random.Random(20261123)
    vocab = build_vocab()
    texts = HANDWRITTEN + random_texts(rng, 120)
    configs = [
        {"do_lower_case": True},
        {"do_lower_case": False},
        {"do_lower_case": False, "strip_accents": True},
        {"do_lower_case": True, "strip_accents": False},
        {"do_lower_case": True, "tokenize_chinese_chars": False},
    ]
    with tempfile.TemporaryDirectory() as tmp:
        vocab_file = os.path.join(tmp, "vocab.txt")
        with open(vocab_file, "w", encoding="utf-8") as f:
            f.write("\n".join(vocab) + "\n")
        runs = []
        for config in configs:
            slow = BertTokenizer(vocab_file, **config)
            fast = BertTokenizerFast(vocab_file, **config)
            cases = []
            for i, text in enumerate(texts):
                pair = texts[(i * 7 + 3) % len(texts)] if i % 3 == 0 else None
                args = (text,) if pair is None else (text, pair)
                ids = slow(*args)["input_ids"]
                fast_encoding = fast(*args, return_offsets_mapping=True)
                comparable = fast_encoding["input_ids"] == ids and not has_marks(text + (pair or "")) and pair != ""
                offsets = None
                if comparable:
                    sequence_ids = fast_encoding.sequence_ids()
                    offsets = [
                        [0, 0] if seq is None else utf16_offsets(text if seq == 0 else pair, [span])[0]
                        for seq, span in zip(sequence_ids, fast_encoding["offset_mapping"])
                    ]
                cases.append({
                    "text": text,
                    "pair": pair,
                    "ids": ids,
                    "tokens": slow.convert_ids_to_tokens(ids),
                    "decode": slow.decode(ids),
                    "decodeSkipSpecial": slow.decode(ids, skip_special_tokens=True),
                    "offsets": offsets,
                    "wordIds": fast_encoding.word_ids() if comparable else None,
                })
            runs.append({"config": config, "cases": cases})
    json.dump({"vocab": vocab, "runs": runs}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
