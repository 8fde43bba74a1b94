"""Packing corpus lines into BERT sequences and masking them for MLM.

A sequence is `[CLS] A [SEP] B [SEP]` (or `[CLS] A [SEP]` for a single line): consecutive lines of the
shuffled corpus are packed greedily up to the sequence length; the first half of them form segment A (token
type 0), the rest segment B (type 1), so both token types are trained. Masking follows BERT: 15% of the
non-special tokens are chosen; of those 80% become [MASK], 10% a random piece, 10% stay unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from wordpiece import CLS, MASK, SEP, SPECIAL_TOKENS, WordPieceTokenizer

MASK_PROBABILITY = 0.15
IGNORE = -100
Packed = tuple[np.ndarray, np.ndarray]  # (input_ids, token_type_ids) of one sequence


@dataclass(frozen=True)
class Batch:
    input_ids: Tensor  # [batch, seq] int64
    token_type_ids: Tensor  # [batch, seq] int64
    attention_mask: Tensor  # [batch, seq] int64, 1 on real tokens


def encode_lines(tokenizer: WordPieceTokenizer, lines: list[str], max_tokens: int) -> list[np.ndarray]:
    """Token ids of each line, truncated to max_tokens (a line never spans two sequences)."""
    return [np.asarray(tokenizer.encode(line)[:max_tokens], dtype=np.int32) for line in lines]


def pack(lines: list[np.ndarray], seq_len: int, cls_id: int, sep_id: int) -> list[Packed]:
    """Greedily pack consecutive lines into (input_ids, token_type_ids) pairs of at most seq_len tokens."""
    budget = seq_len - 3  # [CLS] and two [SEP]
    sequences: list[Packed] = []
    group: list[np.ndarray] = []
    used = 0
    for line in lines:
        if len(line) == 0:
            continue
        if group and used + len(line) > budget:
            sequences.append(_assemble(group, cls_id, sep_id))
            group, used = [], 0
        group.append(line[:budget])
        used += len(group[-1])
    if group:
        sequences.append(_assemble(group, cls_id, sep_id))
    return sequences


def _assemble(group: list[np.ndarray], cls_id: int, sep_id: int) -> Packed:
    half = (len(group) + 1) // 2
    a = np.concatenate([[cls_id], *group[:half], [sep_id]])
    if half == len(group):
        return a.astype(np.int64), np.zeros(len(a), dtype=np.int64)
    b = np.concatenate([*group[half:], [sep_id]])
    types = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
    return np.concatenate([a, b]).astype(np.int64), types.astype(np.int64)


def collate(sequences: list[Packed], pad_id: int) -> Batch:
    """Right-pad to the longest sequence of the batch."""
    width = max(len(ids) for ids, _ in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.int64)  # [batch, seq]
    types = torch.zeros((len(sequences), width), dtype=torch.int64)  # [batch, seq]
    mask = torch.zeros((len(sequences), width), dtype=torch.int64)  # [batch, seq]
    for row, (seq_ids, seq_types) in enumerate(sequences):
        ids[row, : len(seq_ids)] = torch.from_numpy(seq_ids)
        types[row, : len(seq_types)] = torch.from_numpy(seq_types)
        mask[row, : len(seq_ids)] = 1
    return Batch(ids, types, mask)


def mask_tokens(
    input_ids: Tensor, tokenizer: WordPieceTokenizer, generator: torch.Generator
) -> tuple[Tensor, Tensor]:
    """BERT's 80/10/10 masking. Returns (masked input_ids [batch, seq], labels [batch, seq] with IGNORE)."""
    first_piece = len(SPECIAL_TOKENS)  # ids below this are [PAD], [unusedN], [UNK], [CLS], [SEP], [MASK]
    maskable = input_ids >= first_piece  # [batch, seq]
    chosen = (torch.rand(input_ids.shape, generator=generator) < MASK_PROBABILITY) & maskable
    labels = torch.where(chosen, input_ids, torch.full_like(input_ids, IGNORE))
    roll = torch.rand(input_ids.shape, generator=generator)
    to_mask = chosen & (roll < 0.8)
    to_random = chosen & (roll >= 0.8) & (roll < 0.9)
    random_ids = torch.randint(first_piece, len(tokenizer.vocab), input_ids.shape, generator=generator)
    masked = torch.where(to_mask, torch.full_like(input_ids, tokenizer.ids[MASK]), input_ids)
    masked = torch.where(to_random, random_ids, masked)
    return masked, labels


def special_ids(tokenizer: WordPieceTokenizer) -> tuple[int, int]:
    return tokenizer.ids[CLS], tokenizer.ids[SEP]
