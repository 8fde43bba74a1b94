import unittest

from card import comparisons_section, fill_mask_table, wall_seconds


class CardTest(unittest.TestCase):
    def test_wall_time_sums_invocations_and_skips_downtime(self) -> None:
        log = [
            "2026-01-01 10:00:00 starting from random initialisation",
            "2026-01-01 10:30:00 step 100/200 loss 5.0",
            "not a log line",
            "2026-01-01 12:00:00 resumed from work/checkpoint.pt at step 100",
            "2026-01-01 12:10:00 finished: step 200 saved and exported",
        ]
        self.assertEqual(wall_seconds(log), 40 * 60)
        self.assertEqual(wall_seconds([]), 0.0)

    def test_fill_mask_table(self) -> None:
        table = fill_mask_table({"a [MASK] b": [("dog", 0.5), ("cat", 0.25)]})
        self.assertEqual(table.splitlines()[-1], "| `a [MASK] b` | `dog` 0.50, `cat` 0.25 |")
        self.assertIn("`\\|` 0.10", fill_mask_table({"x [MASK]": [("|", 0.1)]}))

    def test_comparisons_render_means_and_every_run(self) -> None:
        def comparison(recipe: str, pretrained: float, random: float) -> dict:
            runs = [
                {"init": "pretrained", "seed": 1, "accuracy": pretrained, "macro_f1": pretrained, "best_step": 5, "command": "a"},
                {"init": "random", "seed": 1, "accuracy": random, "macro_f1": random, "best_step": 7, "command": "b"},
            ]
            return {"task": "T.", "recipe": recipe, "runs": runs, "mean_accuracy": {"pretrained": pretrained, "random": random},
                    "difference_points": 100 * (pretrained - random), "verdict": "V."}

        self.assertIn("Not measured yet", comparisons_section([]))
        one = comparisons_section([comparison("R1", 0.8, 0.6)])
        self.assertNotIn("### Recipe", one)
        self.assertIn("pretrained **0.800**, random initialisation **0.600**\n(+20.0 points)", one)
        self.assertIn("| 1 | random | 0.600 | 0.600 | 7 |", one)
        two = comparisons_section([comparison("R1", 0.8, 0.6), comparison("R2", 0.7, 0.72)])
        self.assertLess(two.index("### Recipe 1"), two.index("R1"))
        self.assertLess(two.index("### Recipe 2"), two.index("R2"))
        self.assertIn("(-2.0 points)", two)


if __name__ == "__main__":
    unittest.main()
