import json
import tempfile
import unittest
from pathlib import Path

import torch

from evaluate import fill_mask
from export import export, load_exported
from model import BertConfig, BertForMaskedLM
from wordpiece import SPECIAL_TOKENS, WordPieceTokenizer

VOCAB = SPECIAL_TOKENS + ["the", "dog", "barks", "."]


class ExportTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        root = Path(self.dir.name)
        self.vocab = root / "vocab.txt"
        self.vocab.write_text("\n".join(VOCAB) + "\n")
        self.out = root / "model"
        torch.manual_seed(0)
        self.model = BertForMaskedLM(BertConfig(vocab_size=len(VOCAB), hidden_size=16, num_attention_heads=2,
                                                intermediate_size=32, num_hidden_layers=1))

    def tearDown(self) -> None:
        self.dir.cleanup()

    def test_writes_the_hf_layout_and_loads_back(self) -> None:
        export(self.model, self.vocab, self.out, {"step": 7})
        config = json.loads((self.out / "config.json").read_text())
        self.assertEqual((config["model_type"], config["hidden_act"]), ("bert", "gelu"))
        self.assertEqual(config["vocab_size"], len(VOCAB))
        self.assertEqual(config["position_embedding_type"], "absolute")
        tokenizer = json.loads((self.out / "tokenizer_config.json").read_text())
        self.assertEqual((tokenizer["do_lower_case"], tokenizer["strip_accents"]), (True, None))
        self.assertEqual(json.loads((self.out / "special_tokens_map.json").read_text())["mask_token"], "[MASK]")
        self.assertEqual((self.out / "vocab.txt").read_text(), self.vocab.read_text())
        loaded, state = load_exported(self.out)
        self.assertEqual(state, {"step": 7})
        for name, tensor in self.model.state_dict().items():
            self.assertTrue(torch.equal(loaded.state_dict()[name], tensor), name)
        self.assertIs(loaded.cls.predictions.decoder.weight, loaded.bert.embeddings.word_embeddings.weight)

    def test_rejects_a_vocabulary_of_another_size(self) -> None:
        self.vocab.write_text("\n".join(VOCAB + ["extra"]) + "\n")
        with self.assertRaisesRegex(ValueError, "has 60 entries, the model 59"):
            export(self.model, self.vocab, self.out, {})

    def test_fill_mask_returns_k_probabilities(self) -> None:
        top = fill_mask(self.model, WordPieceTokenizer(VOCAB), "the dog [MASK].", k=3)
        self.assertEqual(len(top), 3)
        self.assertTrue(all(0.0 <= p <= 1.0 for _, p in top))
        self.assertGreaterEqual(top[0][1], top[-1][1])
        with self.assertRaisesRegex(ValueError, "exactly one"):
            fill_mask(self.model, WordPieceTokenizer(VOCAB), "no mask here")


if __name__ == "__main__":
    unittest.main()
