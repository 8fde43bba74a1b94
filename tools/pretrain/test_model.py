import json
import unittest
from pathlib import Path

import torch
from torch.nn import functional as F

import safetensors_io
from model import BertConfig, BertForMaskedLM

# The team's independent float64 reference of HF modeling_bert (tools/reference/make_fixtures.py).
FIXTURE = Path(__file__).parent.parent / "reference" / "fixtures" / "base"
TINY = BertConfig(vocab_size=40, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                  max_position_embeddings=16)


class GoldenFixtureTest(unittest.TestCase):
    """Our PyTorch BERT reproduces the reference outputs for the same HF checkpoint."""

    @classmethod
    def setUpClass(cls) -> None:
        torch.set_num_threads(1)
        config = BertConfig.from_hf(json.loads((FIXTURE / "config.json").read_text()))
        cls.model = BertForMaskedLM(config).eval()
        weights = safetensors_io.load(FIXTURE / "model.safetensors")
        cls.model.load_hf_state_dict({k: v for k, v in weights.items() if not k.startswith("classifier.")})
        cls.golden = safetensors_io.load(FIXTURE / "golden.safetensors")
        cls.expected_loss = json.loads((FIXTURE / "golden.json").read_text())["losses"]["mlm"]["value"]

    def inputs(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        g = self.golden
        return g["input_ids"].long(), g["attention_mask"].long(), g["token_type_ids"].long()

    def test_hidden_states_pooler_and_logits(self) -> None:
        ids, mask, types = self.inputs()
        with torch.no_grad():
            hidden = self.model.bert(ids, mask, types)  # [batch, seq, hidden]
            pooled = self.model.bert.pooler(hidden)
            logits = self.model(ids, mask, types)
        self.assertLess((hidden - self.golden["hidden_states.2"]).abs().max().item(), 1e-4)
        self.assertLess((pooled - self.golden["pooled_output"]).abs().max().item(), 1e-4)
        self.assertLess((logits - self.golden["mlm_logits"]).abs().max().item(), 1e-4)

    def test_masked_lm_loss_at_selected_positions(self) -> None:
        ids, mask, types = self.inputs()
        labels = self.golden["mlm_labels"].long().reshape(-1)
        positions = (labels != -100).nonzero().squeeze(1)
        with torch.no_grad():
            loss = F.cross_entropy(self.model(ids, mask, types, positions), labels[positions])
        self.assertAlmostEqual(loss.item(), self.expected_loss, places=4)


class ModelTest(unittest.TestCase):
    def test_padding_does_not_change_real_positions(self) -> None:
        model = BertForMaskedLM(TINY).eval()
        ids = torch.tensor([[2, 7, 9, 3]])
        padded = torch.tensor([[2, 7, 9, 3, 0, 0]])
        with torch.no_grad():
            short = model(ids, torch.ones_like(ids), torch.zeros_like(ids))
            long = model(padded, torch.tensor([[1, 1, 1, 1, 0, 0]]), torch.zeros_like(padded))
        self.assertLess((short - long[:, :4]).abs().max().item(), 1e-5)

    def test_decoder_is_tied_and_left_out_of_the_export(self) -> None:
        model = BertForMaskedLM(TINY)
        self.assertIs(model.cls.predictions.decoder.weight, model.bert.embeddings.word_embeddings.weight)
        names = model.hf_state_dict()
        self.assertNotIn("cls.predictions.decoder.weight", names)
        for name in ("bert.pooler.dense.weight", "cls.predictions.bias", "cls.predictions.transform.LayerNorm.weight",
                     "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.output.LayerNorm.bias"):
            self.assertIn(name, names)

    def test_init_matches_hf(self) -> None:
        model = BertForMaskedLM(TINY)
        self.assertEqual(model.bert.embeddings.word_embeddings.weight[0].abs().max().item(), 0.0)
        self.assertEqual(model.cls.predictions.bias.abs().max().item(), 0.0)
        self.assertLess(abs(model.bert.encoder.layer[0].intermediate.dense.weight.std().item() - 0.02), 0.005)

    def test_loading_reports_missing_unexpected_and_misshaped_tensors(self) -> None:
        model = BertForMaskedLM(TINY)
        weights = model.hf_state_dict()
        with self.assertRaisesRegex(ValueError, "missing .*bert.pooler.dense.bias.*unexpected .*extra"):
            model.load_hf_state_dict({**{k: v for k, v in weights.items() if k != "bert.pooler.dense.bias"},
                                      "extra": torch.zeros(1)})
        with self.assertRaisesRegex(ValueError, "cls.predictions.bias: shape \\(3,\\)"):
            model.load_hf_state_dict({**weights, "cls.predictions.bias": torch.zeros(3)})

    def test_config_rejects_heads_that_do_not_divide_hidden(self) -> None:
        with self.assertRaisesRegex(ValueError, "not divisible"):
            BertConfig(vocab_size=10, hidden_size=10, num_attention_heads=3)

    def test_config_round_trips_through_hf_json(self) -> None:
        raw = TINY.to_hf()
        self.assertEqual(raw["architectures"], ["BertForMaskedLM"])
        self.assertEqual(BertConfig.from_hf(raw), TINY)
        with self.assertRaisesRegex(ValueError, "model_type"):
            BertConfig.from_hf({**raw, "model_type": "roberta"})


if __name__ == "__main__":
    unittest.main()
