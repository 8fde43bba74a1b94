import unittest

from card import fill_mask_table, wall_seconds


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


if __name__ == "__main__":
    unittest.main()
