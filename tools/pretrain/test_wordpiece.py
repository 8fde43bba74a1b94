import json
import unittest
from collections import Counter
from pathlib import Path

from wordpiece import SPECIAL_TOKENS, WordPieceTokenizer, basic_tokenize, train_wordpiece

GOLDEN = Path(__file__).parent.parent.parent / "src" / "tokenizer" / "golden" / "golden.json"
TINY_VOCAB = SPECIAL_TOKENS + ["un", "##aff", "##able", "the", "a", "##b", ",", "!"]


class BasicTokenizeTest(unittest.TestCase):
    def test_lowercases_strips_accents_and_splits_punctuation(self) -> None:
        self.assertEqual(basic_tokenize("Héllo, WORLD!"), ["hello", ",", "world", "!"])

    def test_ascii_symbols_count_as_punctuation(self) -> None:
        self.assertEqual(basic_tokenize("a$b^c"), ["a", "$", "b", "^", "c"])

    def test_unicode_punctuation_and_whitespace(self) -> None:
        self.assertEqual(basic_tokenize("«hi»\u00a0there"), ["«", "hi", "»", "there"])

    def test_drops_control_characters(self) -> None:
        self.assertEqual(basic_tokenize("a\x00b\u200bc\ufffd d"), ["abc", "d"])

    def test_cjk_characters_are_words(self) -> None:
        self.assertEqual(basic_tokenize("日本abc"), ["日", "本", "abc"])

    def test_lowercases_one_character_at_a_time(self) -> None:
        self.assertEqual(basic_tokenize("ΟΔΟΣ"), ["οδοσ"])

    def test_empty_text(self) -> None:
        self.assertEqual(basic_tokenize(" \t\n"), [])


class WordPieceTokenizerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tok = WordPieceTokenizer(TINY_VOCAB)

    def test_greedy_longest_match(self) -> None:
        self.assertEqual(self.tok.tokens("Unaffable, the!"), ["un", "##aff", "##able", ",", "the", "!"])

    def test_unmatchable_word_is_one_unk(self) -> None:
        self.assertEqual(self.tok.tokens("unx the"), ["[UNK]", "the"])

    def test_words_over_100_chars_are_unk(self) -> None:
        self.assertEqual(self.tok.tokens("a" + "b" * 99), ["a"] + ["##b"] * 99)
        self.assertEqual(self.tok.tokens("a" + "b" * 100), ["[UNK]"])

    def test_special_tokens_in_text_stay_whole(self) -> None:
        self.assertEqual(self.tok.tokens("the [MASK]! [mask]"), ["the", "[MASK]", "!", "[UNK]", "[UNK]", "[UNK]"])

    def test_rejects_duplicate_entries(self) -> None:
        with self.assertRaisesRegex(ValueError, "duplicate"):
            WordPieceTokenizer(TINY_VOCAB + ["the"])

    def test_rejects_missing_special_tokens(self) -> None:
        with self.assertRaisesRegex(ValueError, r"\[MASK\]"):
            WordPieceTokenizer([t for t in TINY_VOCAB if t != "[MASK]"])


class TrainWordPieceTest(unittest.TestCase):
    counts = Counter({"the": 50, "then": 20, "hen": 5, "é": 1})

    def test_bert_layout_of_special_tokens(self) -> None:
        vocab = train_wordpiece(self.counts, 80)
        self.assertEqual(vocab[0], "[PAD]")
        self.assertEqual(vocab[1:51], [f"[unused{i}]" for i in range(50)])
        self.assertEqual(vocab[51:55], ["[UNK]", "[CLS]", "[SEP]", "[MASK]"])

    def test_keeps_every_character_and_merges_frequent_words(self) -> None:
        vocab = train_wordpiece(self.counts, 80)
        for piece in ("t", "h", "é", "##h", "##e", "##n", "the", "then"):
            self.assertIn(piece, vocab)
        self.assertEqual(len(vocab), len(set(vocab)))
        tok = WordPieceTokenizer(vocab)
        self.assertEqual(tok.tokens("the then hen"), ["the", "then", "hen"])

    def test_stops_at_the_requested_size_and_is_deterministic(self) -> None:
        small = train_wordpiece(self.counts, 64)
        self.assertEqual(len(small), 64)
        self.assertEqual(small, train_wordpiece(self.counts, 64))

    def test_rejects_a_size_without_room_for_pieces(self) -> None:
        with self.assertRaisesRegex(ValueError, "special tokens"):
            train_wordpiece(self.counts, 10)


class HuggingFaceGoldenTest(unittest.TestCase):
    """Replays the ids that transformers' BertTokenizer produced (src/tokenizer/golden, uncased defaults)."""

    def test_matches_bert_tokenizer(self) -> None:
        golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
        tok = WordPieceTokenizer(golden["vocab"])
        [run] = [r for r in golden["runs"] if r["config"] == {"do_lower_case": True}]
        for case in run["cases"]:
            ids = [tok.ids["[CLS]"], *tok.encode(case["text"]), tok.ids["[SEP]"]]
            if case.get("pair") is not None:
                ids += [*tok.encode(case["pair"]), tok.ids["[SEP]"]]
            self.assertEqual(ids, case["ids"], repr(case["text"]))


if __name__ == "__main__":
    unittest.main()
