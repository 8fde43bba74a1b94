import unittest

from corpus import dedupe_shuffle_split, split_gloss, synset_lines

NOUN = ('02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 001 @ 02083346 n 0000 | a member of the genus '
        'Canis; has been domesticated by man since prehistoric times; "the dog barked all night"  ')
ADJ = '00057881 00 s 02 crested(a) 1 plumed 1 001 & 00056002 a 0000 | (of a helmet) having a plume  '


class CorpusTest(unittest.TestCase):
    def test_definition_and_examples_from_a_noun(self) -> None:
        self.assertEqual(synset_lines(NOUN), [
            "the dog barked all night",
            "dog, domestic dog, Canis familiaris: a member of the genus Canis; has been domesticated by man since "
            "prehistoric times",
        ])

    def test_adjective_markers_are_removed(self) -> None:
        self.assertEqual(synset_lines(ADJ), ["crested, plumed: (of a helmet) having a plume"])

    def test_licence_header_lines_are_skipped(self) -> None:
        self.assertEqual(synset_lines("  1 This software and database is being provided to you"), [])

    def test_examples_drop_attributions_and_one_word_quotes(self) -> None:
        definition, examples = split_gloss('marked by grief; "sad news"- Shakespeare; "yes"')
        self.assertEqual((definition, examples), ("marked by grief", ["sad news"]))

    def test_split_is_deduplicated_deterministic_and_disjoint(self) -> None:
        lines = [f"line {i}" for i in range(100)] + ["line 3", ""]
        train, test = dedupe_shuffle_split(lines, 0, 0.1)
        self.assertEqual((len(train), len(test)), (90, 10))
        self.assertFalse(set(train) & set(test))
        self.assertEqual((train, test), dedupe_shuffle_split(lines, 0, 0.1))


if __name__ == "__main__":
    unittest.main()
