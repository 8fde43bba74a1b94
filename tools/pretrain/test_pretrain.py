import argparse
import unittest

from pretrain import enter_stage, learning_rate

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

    def test_the_same_stage_resumes(self) -> None:
        running = {**PLAN, "stage": "mixed", "step": 50}
        self.assertEqual(enter_stage(args("mixed"), running, {"moments": 1}, print), (running, {"moments": 1}))


if __name__ == "__main__":
    unittest.main()
