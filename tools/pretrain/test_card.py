import unittest

from card import comparisons_section, fill_mask_table, heldout_section, stage_objective


class CardTest(unittest.TestCase):
    def test_heldout_section_renders_both_models_per_seed(self) -> None:
        self.assertIn("Not measured yet", heldout_section(None))
        run = {"seed": 1, "bert": {"accuracy": 0.81, "macro_f1": 0.8}, "baseline": {"accuracy": 0.78, "macro_f1": 0.77}}
        text = heldout_section({"task": "T.", "runs": [run], "mean": {"bert": 0.81, "baseline": 0.78},
                                "difference_points": 3.0, "verdict": "V.", "command": "npm run compare -- --heldout"})
        self.assertIn("| 1 | 0.810 | 0.800 | 0.780 | 0.770 |", text)
        self.assertIn("**0.810**, the linear baseline\n**0.780** (+3.0 points). V.", text)

    def test_stage_objectives_in_words(self) -> None:
        self.assertEqual(stage_objective({"stage": "wordnet"}), "MLM")
        self.assertEqual(stage_objective({"polarity_weight": 1.0}), "MLM + 1.0 × lexicon polarity")
        self.assertEqual(stage_objective({"polarity_weight": 2.0, "polarity_labels": "vader", "distil_weight": 1.0}),
                         "MLM + 2.0 × VADER polarity + 1.0 × [CLS] ← token-mean distillation")

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
