import unittest

from pretrain import learning_rate

PLAN = {"lr": 1e-3, "warmup_steps": 10, "total_steps": 110}


class LearningRateTest(unittest.TestCase):
    def test_linear_warmup_then_linear_decay_to_zero(self) -> None:
        self.assertAlmostEqual(learning_rate(0, PLAN), 1e-4)
        self.assertAlmostEqual(learning_rate(9, PLAN), 1e-3)
        self.assertAlmostEqual(learning_rate(10, PLAN), 1e-3)
        self.assertAlmostEqual(learning_rate(60, PLAN), 5e-4)
        self.assertEqual(learning_rate(110, PLAN), 0.0)
        self.assertEqual(learning_rate(500, PLAN), 0.0)


if __name__ == "__main__":
    unittest.main()
