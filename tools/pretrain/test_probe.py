import unittest

import numpy as np
import torch

from model import BertConfig, BertModel
from probe import Classifier, batches, default_epochs, lr_at


class ProbeTest(unittest.TestCase):
    def test_epochs_follow_suggest_ts(self) -> None:
        # 945 rows at batch 16: 60 steps per epoch, round(1000 / 60) = 17 epochs
        self.assertEqual(default_epochs(945), 17)
        self.assertEqual(default_epochs(100_000), 4)  # clamped to the band's minimum
        self.assertEqual(default_epochs(50), 20)  # and to its maximum

    def test_schedule_warms_up_over_the_ceiling_of_ten_percent_then_decays_to_zero(self) -> None:
        total = 95  # warmup ceil(9.5) = 10 steps
        self.assertAlmostEqual(lr_at(0, total, 1.0), 0.1)
        self.assertAlmostEqual(lr_at(9, total, 1.0), 1.0)
        self.assertAlmostEqual(lr_at(10, total, 1.0), 1.0)
        self.assertAlmostEqual(lr_at(94, total, 1.0), 1 / 85)

    def test_batches_pad_to_the_longest_row(self) -> None:
        encoded = [[5, 6, 7], [5, 6], [5]]
        [(ids, mask, y)] = list(batches(encoded, np.array([0, 1, 0]), np.array([0, 1, 2]), pad=0))
        self.assertEqual(ids.tolist(), [[5, 6, 7], [5, 6, 0], [5, 0, 0]])
        self.assertEqual(mask.sum(1).tolist(), [3, 2, 1])
        self.assertEqual(y.tolist(), [0, 1, 0])

    def test_the_head_is_hf_sequence_classification_on_the_pooler(self) -> None:
        torch.manual_seed(0)
        bert = BertModel(BertConfig(vocab_size=50, hidden_size=16, num_attention_heads=2, intermediate_size=32))
        model = Classifier(bert, 2).eval()
        ids, mask = torch.tensor([[1, 7, 9, 2]]), torch.ones(1, 4, dtype=torch.int64)
        expected = model.classifier(bert.pooler(bert(ids, mask, torch.zeros_like(ids))))
        torch.testing.assert_close(model(ids, mask), expected)


if __name__ == "__main__":
    unittest.main()
