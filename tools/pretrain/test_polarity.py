import unittest

from polarity import NEGATIVE, NEUTRAL, POSITIVE, Lexicon, label, score, words_of

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


if __name__ == "__main__":
    unittest.main()
