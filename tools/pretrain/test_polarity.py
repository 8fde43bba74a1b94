import unittest

import shutil
import tempfile
from pathlib import Path

import polarity
from polarity import NEGATIVE, NEUTRAL, POSITIVE, Lexicon, label, score, vader_label, words_of

VADER_CACHED = Path(__file__).parent / "work" / "npm" / polarity.VADER_PACKAGE.replace("@", "", 1)
LEXICON = Lexicon(frozenset({"good", "great", "love"}), frozenset({"bad", "slow", "rude"}))


class PolarityTest(unittest.TestCase):
    def test_counts_lexicon_words(self) -> None:
        self.assertEqual(score("Great food, good prices, slow service", LEXICON), 1)
        self.assertEqual(label("the staff were rude and slow", LEXICON), NEGATIVE)
        self.assertEqual(label("we went on a tuesday", LEXICON), NEUTRAL)

    def test_negation_flips_words_within_the_window(self) -> None:
        self.assertEqual(label("it was not good", LEXICON), NEGATIVE)
        self.assertEqual(label("this isn't bad at all", LEXICON), POSITIVE)
        # Four words after the negator: out of the window, no flip.
        self.assertEqual(label("not that i expected it good", LEXICON), POSITIVE)

    def test_words_split_contractions(self) -> None:
        self.assertEqual(words_of("Don't LOVE it"), ["do", "n't", "love", "it"])


class VaderTest(unittest.TestCase):
    def test_vader_cut_offs(self) -> None:
        self.assertEqual([vader_label(v) for v in (-0.6, -0.05, -0.0499, 0.0, 0.0499, 0.05, 0.9)],
                         [NEGATIVE, NEGATIVE, NEUTRAL, NEUTRAL, NEUTRAL, POSITIVE, POSITIVE])

    @unittest.skipUnless(shutil.which("node") and VADER_CACHED.is_dir(), "needs node and work/npm's vader-sentiment")
    def test_vader_scores_lines_through_node(self) -> None:
        """Scores through vader.mjs with the package pretrain.py fetched into work/npm (no network here)."""
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(VADER_CACHED, Path(tmp) / VADER_CACHED.name)
            scores = polarity.vader_scores(["The food was great!", "It was not good at all.", "a tree"], Path(tmp))
        self.assertGreater(scores[0], 0.05)
        self.assertLess(scores[1], -0.05)
        self.assertEqual(scores[2], 0.0)


if __name__ == "__main__":
    unittest.main()
