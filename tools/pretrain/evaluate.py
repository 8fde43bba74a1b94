"""Held-out masked-token accuracy / perplexity and fill-mask examples for an exported model."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import torch
from torch.nn import functional as F

from data import IGNORE, collate, encode_lines, mask_tokens, pack, special_ids
from export import DEFAULT_OUT, load_exported
from model import BertForMaskedLM
from wordpiece import CLS, MASK, SEP, WordPieceTokenizer

HERE = Path(__file__).parent
EVAL_MASK_SEED = 1234
# Dictionary-style probes close to WordNet lines, then everyday sentences no source contains.
FILL_MASK_SENTENCES = [
    "paris: the capital and largest city of [MASK]",
    "the children [MASK] to the playground",
    "a domesticated carnivorous [MASK] that barks",
    "the capital of france is [MASK].",
    "she drank a cup of hot [MASK].",
    "the food was cold and the service was [MASK].",
    "i would [MASK] recommend this hotel to anyone.",
    "thank you for your [MASK] reply.",
]


@torch.no_grad()
def heldout_metrics(
    model: BertForMaskedLM, tokenizer: WordPieceTokenizer, lines: list[str], seq_len: int = 64, batch_size: int = 64
) -> dict[str, float]:
    """Mean MLM cross-entropy, perplexity and top-1 accuracy over masked positions, with a fixed masking seed."""
    cls_id, sep_id = special_ids(tokenizer)
    sequences = pack(encode_lines(tokenizer, lines, seq_len - 3), seq_len, cls_id, sep_id)
    generator = torch.Generator().manual_seed(EVAL_MASK_SEED)
    was_training = model.training
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for start in range(0, len(sequences), batch_size):
        batch = collate(sequences[start : start + batch_size], tokenizer.ids["[PAD]"])
        masked, labels = mask_tokens(batch.input_ids, tokenizer, generator)
        positions = (labels.reshape(-1) != IGNORE).nonzero().squeeze(1)  # [n]
        logits = model(masked, batch.attention_mask, batch.token_type_ids, positions)  # [n, vocab]
        targets = labels.reshape(-1)[positions]  # [n]
        total_loss += F.cross_entropy(logits, targets, reduction="sum").item()
        correct += int((logits.argmax(-1) == targets).sum())
        count += len(targets)
    model.train(was_training)
    loss = total_loss / max(count, 1)
    return {"loss": loss, "perplexity": math.exp(loss), "accuracy": correct / max(count, 1), "masked_tokens": count}


@torch.no_grad()
def fill_mask(model: BertForMaskedLM, tokenizer: WordPieceTokenizer, text: str, k: int = 5) -> list[tuple[str, float]]:
    """Top-k pieces and probabilities for the single [MASK] in text."""
    ids = [tokenizer.ids[CLS], *tokenizer.encode(text), tokenizer.ids[SEP]]
    if ids.count(tokenizer.ids[MASK]) != 1:
        raise ValueError(f"expected exactly one {MASK} in {text!r}")
    input_ids = torch.tensor([ids])  # [1, seq]
    was_training = model.training
    model.eval()
    logits = model(input_ids, torch.ones_like(input_ids), torch.zeros_like(input_ids))  # [1, seq, vocab]
    model.train(was_training)
    probs = torch.softmax(logits[0, ids.index(tokenizer.ids[MASK])], dim=-1)  # [vocab]
    top = torch.topk(probs, k)
    return [(tokenizer.vocab[i], float(p)) for p, i in zip(top.values.tolist(), top.indices.tolist())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--test", type=Path, default=HERE / "work" / "corpus" / "test.txt")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, state = load_exported(args.model)
    tokenizer = WordPieceTokenizer.from_file(args.model / "vocab.txt")
    metrics = heldout_metrics(model, tokenizer, args.test.read_text(encoding="utf-8").splitlines())
    examples = {s: fill_mask(model, tokenizer, s) for s in FILL_MASK_SENTENCES}
    print(f"step {state.get('step')}: held-out MLM " + ", ".join(f"{k} {v:.4g}" for k, v in metrics.items()))
    for sentence, top in examples.items():
        print(f"{sentence}\n    " + "  ".join(f"{t} ({p:.3f})" for t, p in top))
    if args.json:
        result = {"step": state.get("step"), "heldout": metrics, "fill_mask": examples}
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
