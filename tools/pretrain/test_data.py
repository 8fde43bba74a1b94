import unittest

import numpy as np
import torch

from data import IGNORE, collate, mask_tokens, pack
from wordpiece import SPECIAL_TOKENS, WordPieceTokenizer

CLS_ID, SEP_ID = 52, 53
FIRST_PIECE = len(SPECIAL_TOKENS)


def line(n: int, start: int = 100) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.int32)


class PackTest(unittest.TestCase):
    def test_single_line_is_cls_line_sep(self) -> None:
        [(ids, types)] = pack([line(3)], 16, CLS_ID, SEP_ID)
        self.assertEqual(ids.tolist(), [CLS_ID, 100, 101, 102, SEP_ID])
        self.assertEqual(types.tolist(), [0] * 5)

    def test_packs_lines_into_two_segments(self) -> None:
        [(ids, types)] = pack([line(2), line(2, 200), line(2, 300)], 16, CLS_ID, SEP_ID)
        self.assertEqual(ids.tolist(), [CLS_ID, 100, 101, 200, 201, SEP_ID, 300, 301, SEP_ID])
        self.assertEqual(types.tolist(), [0, 0, 0, 0, 0, 0, 1, 1, 1])

    def test_never_exceeds_the_length_and_keeps_every_token(self) -> None:
        lines = [line(n, 100 * i) for i, n in enumerate([5, 9, 1, 13, 20, 4], start=1)]
        sequences = pack(lines + [np.zeros(0, dtype=np.int32)], 16, CLS_ID, SEP_ID)
        self.assertTrue(all(len(ids) <= 16 for ids, _ in sequences))
        kept = [t for ids, _ in sequences for t in ids.tolist() if t not in (CLS_ID, SEP_ID)]
        expected = [t for l in lines for t in l[:13].tolist()]  # 13 = 16 minus [CLS] and two [SEP]
        self.assertEqual(kept, expected)

    def test_collate_pads_right_and_masks(self) -> None:
        batch = collate(pack([line(3)], 16, CLS_ID, SEP_ID) + pack([line(1)], 16, CLS_ID, SEP_ID), 0)
        self.assertEqual(batch.input_ids.tolist()[1], [CLS_ID, 100, SEP_ID, 0, 0])
        self.assertEqual(batch.attention_mask.tolist(), [[1] * 5, [1, 1, 1, 0, 0]])


class MaskTokensTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tok = WordPieceTokenizer(SPECIAL_TOKENS + [f"w{i}" for i in range(200)])

    def test_rates_and_specials(self) -> None:
        ids = torch.randint(FIRST_PIECE, len(self.tok.vocab), (64, 256))
        ids[:, 0], ids[:, -1], ids[:, -20:-1] = CLS_ID, SEP_ID, 0
        masked, labels = mask_tokens(ids, self.tok, torch.Generator().manual_seed(0))
        chosen = labels != IGNORE
        self.assertFalse(chosen[:, 0].any() or chosen[:, -20:].any())
        self.assertTrue(torch.equal(labels[chosen], ids[chosen]))
        self.assertAlmostEqual(chosen.float().mean().item() / (236 / 256), 0.15, delta=0.01)
        self.assertAlmostEqual((masked[chosen] == self.tok.ids["[MASK]"]).float().mean().item(), 0.8, delta=0.02)
        self.assertTrue(torch.equal(masked[~chosen], ids[~chosen]))
        self.assertTrue((masked[chosen] >= FIRST_PIECE).logical_or(masked[chosen] == self.tok.ids["[MASK]"]).all())

    def test_same_seed_same_masking(self) -> None:
        ids = torch.randint(FIRST_PIECE, len(self.tok.vocab), (4, 32))
        first = mask_tokens(ids, self.tok, torch.Generator().manual_seed(7))
        second = mask_tokens(ids, self.tok, torch.Generator().manual_seed(7))
        self.assertTrue(torch.equal(first[0], second[0]) and torch.equal(first[1], second[1]))


if __name__ == "__main__":
    unittest.main()
