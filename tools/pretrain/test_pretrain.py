import argparse
import unittest

import torch

from pretrain import distil_loss, enter_stage, learning_rate, masked_mean, simcse_loss

PLAN = {"lr": 1e-3, "warmup_steps": 10, "total_steps": 110}


def args(stage: str) -> argparse.Namespace:
    return argparse.Namespace(stage=stage, total_steps=200, lr=5e-4, warmup_fraction=0.05, weight_decay=0.01,
                              batch_size=64, seq_len=64, seed=0, threads=1, polarity_weight=1.0, polarity_batch=96)


class LearningRateTest(unittest.TestCase):
    def test_linear_warmup_then_linear_decay_to_zero(self) -> None:
        self.assertAlmostEqual(learning_rate(0, PLAN), 1e-4)
        self.assertAlmostEqual(learning_rate(9, PLAN), 1e-3)
        self.assertAlmostEqual(learning_rate(10, PLAN), 1e-3)
        self.assertAlmostEqual(learning_rate(60, PLAN), 5e-4)
        self.assertEqual(learning_rate(110, PLAN), 0.0)
        self.assertEqual(learning_rate(500, PLAN), 0.0)


class StageTest(unittest.TestCase):
    def test_a_new_stage_starts_a_new_plan_and_records_the_finished_one(self) -> None:
        finished = {**PLAN, "step": 110, "tokens_seen": 5000, "train_seconds": 9.0, "batch_size": 32, "seq_len": 64}
        state, optimizer = enter_stage(args("mixed"), finished, {"moments": 1}, print)
        self.assertIsNone(optimizer)
        self.assertEqual((state["stage"], state["step"], state["total_steps"], state["lr"]), ("mixed", 0, 200, 5e-4))
        self.assertEqual(state["stages"], [{"stage": "wordnet", "step": 110, "total_steps": 110, "lr": 1e-3,
                                            "batch_size": 32, "seq_len": 64, "tokens_seen": 5000, "train_seconds": 9.0}])

    def test_a_stage_records_its_extra_objectives_only_when_on(self) -> None:
        plain, _ = enter_stage(args("mixed"), {**PLAN, "step": 110, "tokens_seen": 0, "train_seconds": 0.0,
                                                "batch_size": 32, "seq_len": 64}, None, print)
        self.assertNotIn("distil_weight", plain)
        self.assertNotIn("drop_wordnet", plain)
        extra = argparse.Namespace(**vars(args("sentence")), distil_weight=1.0, simcse_weight=0.0, simcse_temperature=0.05,
                                   sentence_batch=64, polarity_labels="vader", drop_wordnet=True)
        state, _ = enter_stage(extra, {**PLAN, "stage": "mixed", "step": 110, "tokens_seen": 0, "train_seconds": 0.0,
                                       "batch_size": 32, "seq_len": 64}, None, print)
        self.assertEqual((state["distil_weight"], state["sentence_batch"], state["polarity_labels"], state["drop_wordnet"]),
                         (1.0, 64, "vader", True))

    def test_the_same_stage_resumes(self) -> None:
        running = {**PLAN, "stage": "mixed", "step": 50}
        self.assertEqual(enter_stage(args("mixed"), running, {"moments": 1}, print), (running, {"moments": 1}))


class SentenceLossTest(unittest.TestCase):
    def test_the_mean_covers_real_tokens_only(self) -> None:
        hidden = torch.tensor([[[1.0, 0.0], [3.0, 2.0], [100.0, 100.0]]])  # [1, 3, 2], the last is padding
        torch.testing.assert_close(masked_mean(hidden, torch.tensor([[1, 1, 0]])), torch.tensor([[2.0, 1.0]]))

    def test_distillation_is_zero_when_cls_points_along_the_mean_and_sends_no_gradient_to_the_target(self) -> None:
        hidden = torch.tensor([[[2.0, 2.0], [1.0, 3.0], [3.0, 1.0]]], requires_grad=True)
        mask = torch.ones(1, 3, dtype=torch.int64)
        loss = distil_loss(hidden, mask)
        self.assertAlmostEqual(loss.item(), 0.0, places=6)
        other = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]], requires_grad=True)
        distil_loss(other, mask).backward()
        self.assertEqual(other.grad[0, 1:].abs().sum().item(), 0.0)  # only [CLS] moves
        self.assertGreater(other.grad[0, 0].abs().sum().item(), 0.0)

    def test_simcse_prefers_matching_rows(self) -> None:
        views = torch.eye(4)
        matched = simcse_loss(views, views, 0.05).item()
        shuffled = simcse_loss(views, views[[1, 2, 3, 0]], 0.05).item()
        self.assertLess(matched, 1e-6)
        self.assertGreater(shuffled, 10.0)


if __name__ == "__main__":
    unittest.main()
