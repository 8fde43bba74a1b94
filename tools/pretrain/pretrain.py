"""Pretrain the bundled bert-tiny-wordnet model with masked-language modelling on one CPU thread.

Resumable: every --checkpoint-minutes (and on SIGUSR1 or SIGTERM) the model, optimizer, step, data position
and RNG state go to <work>/checkpoint.pt and the weights are exported to <out>. A later run resumes from the
checkpoint; if the work dir is gone it resumes from the exported weights (and their pretrain_state.json)
with fresh AdamW moments. The learning-rate plan (warmup then linear decay to zero over --total-steps) is
fixed by the first run and kept on resume.
"""

from __future__ import annotations

import argparse
import json
import signal
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

import corpus
import wordpiece
from data import IGNORE, Batch, Packed, collate, encode_lines, mask_tokens, pack, special_ids
from evaluate import heldout_metrics
from export import DEFAULT_OUT, STATE_FILE, export, load_exported
from model import BertConfig, BertForMaskedLM
from wordpiece import PAD, WordPieceTokenizer

HERE = Path(__file__).parent
# ~82 minutes at the 1.1 s/step measured with batch 32 on one thread of this machine.
DEFAULT_TOTAL_STEPS = 4500


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--work", type=Path, default=HERE / "work")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--total-steps", type=int,
                   help=f"length of the LR plan (default {DEFAULT_TOTAL_STEPS}; kept on resume)")
    p.add_argument("--budget-minutes", type=float, default=100.0, help="stop this invocation after this long")
    p.add_argument("--batch-size", type=int, default=32, help="sequences per step")
    p.add_argument("--seq-len", type=int, default=64)
    p.add_argument("--lr", type=float, default=7e-4)
    p.add_argument("--warmup-fraction", type=float, default=0.05)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--vocab-size", type=int, default=8000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoint-minutes", type=float, default=5.0)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--fresh", action="store_true", help="ignore any checkpoint or exported weights")
    return p.parse_args()


class Log:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, message: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        print(line, flush=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


def prepare_data(work: Path, out: Path, vocab_size: int, log: Log) -> tuple[Path, Path]:
    """Build the corpus and vocabulary if absent; an exported vocab.txt wins so resumed weights still fit."""
    corpus_dir = work / "corpus"
    if not (corpus_dir / "train.txt").exists():
        train, test = corpus.dedupe_shuffle_split(corpus.build_lines(corpus.WORDNET_DIR), 0, 0.02)
        corpus_dir.mkdir(parents=True, exist_ok=True)
        (corpus_dir / "train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
        (corpus_dir / "test.txt").write_text("\n".join(test) + "\n", encoding="utf-8")
        log(f"built corpus: {len(train)} train lines, {len(test)} test lines")
    vocab = work / "vocab.txt"
    if not vocab.exists():
        if (out / "vocab.txt").exists():
            shutil.copyfile(out / "vocab.txt", vocab)
            log(f"using exported vocabulary {out / 'vocab.txt'}")
        else:
            lines = (corpus_dir / "train.txt").read_text(encoding="utf-8").splitlines()
            entries = wordpiece.train_wordpiece(wordpiece.count_words(lines), vocab_size)
            vocab.write_text("\n".join(entries) + "\n", encoding="utf-8")
            log(f"trained vocabulary of {len(entries)} entries")
    return corpus_dir, vocab


def optimizer_groups(model: BertForMaskedLM, weight_decay: float, log: Log) -> list[dict[str, Any]]:
    """Decay matrices and embeddings; no decay for biases and LayerNorm weights (all 1-D parameters)."""
    decay = [(n, p) for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [(n, p) for n, p in model.named_parameters() if p.ndim < 2]
    for label, group in (("decay", decay), ("no decay", no_decay)):
        log(f"optimizer group {label}: {len(group)} tensors, {sum(p.numel() for _, p in group)} parameters")
    return [
        {"params": [p for _, p in decay], "weight_decay": weight_decay},
        {"params": [p for _, p in no_decay], "weight_decay": 0.0},
    ]


def learning_rate(step: int, state: dict[str, Any]) -> float:
    warmup, total = state["warmup_steps"], state["total_steps"]
    if step < warmup:
        return state["lr"] * (step + 1) / warmup
    return state["lr"] * max(0.0, (total - step) / max(1, total - warmup))


def new_state(args: argparse.Namespace) -> dict[str, Any]:
    total_steps = args.total_steps or DEFAULT_TOTAL_STEPS
    return {
        "step": 0,
        "epoch": 0,
        "batch_in_epoch": 0,
        "tokens_seen": 0,
        "train_seconds": 0.0,
        "total_steps": total_steps,
        "warmup_steps": max(1, round(total_steps * args.warmup_fraction)),
        "lr": args.lr,
        "weight_decay": args.weight_decay,
        "batch_size": args.batch_size,
        "seq_len": args.seq_len,
        "seed": args.seed,
        "threads": args.threads,
    }


def restore(args: argparse.Namespace, vocab_size: int, log: Log) -> tuple[BertForMaskedLM, dict[str, Any], dict | None]:
    """Model, training state and optimizer state from the checkpoint, else the export, else from scratch."""
    checkpoint_path = args.work / "checkpoint.pt"
    if not args.fresh and checkpoint_path.exists():
        checkpoint = torch.load(checkpoint_path, map_location="cpu")
        model = BertForMaskedLM(BertConfig(**checkpoint["config"]))
        model.load_state_dict(checkpoint["model"])
        torch.set_rng_state(checkpoint["torch_rng"])
        log(f"resumed from {checkpoint_path} at step {checkpoint['state']['step']}")
        return model, checkpoint["state"], checkpoint["optimizer"]
    if not args.fresh and (args.out / STATE_FILE).exists():
        model, state = load_exported(args.out)
        torch.manual_seed(state["seed"] + state["step"])
        log(f"resumed from exported weights {args.out} at step {state['step']} (fresh AdamW moments)")
        return model, state, None
    torch.manual_seed(args.seed)
    model = BertForMaskedLM(BertConfig(vocab_size=vocab_size, max_position_embeddings=128))
    log("starting from random initialisation")
    return model, new_state(args), None


def epoch_sequences(encoded: list[np.ndarray], state: dict[str, Any], cls_id: int, sep_id: int) -> list[Packed]:
    order = np.random.default_rng([state["seed"], state["epoch"]]).permutation(len(encoded))
    return pack([encoded[i] for i in order], state["seq_len"], cls_id, sep_id)


def train_step(
    model: BertForMaskedLM, optimizer: torch.optim.Optimizer, tokenizer: WordPieceTokenizer, batch: Batch,
    state: dict[str, Any],
) -> float:
    """One AdamW step on the MLM loss of batch; the masking is seeded by the step so a resume repeats it."""
    generator = torch.Generator().manual_seed(state["seed"] * 1_000_003 + state["step"])
    masked, labels = mask_tokens(batch.input_ids, tokenizer, generator)
    positions = (labels.reshape(-1) != IGNORE).nonzero().squeeze(1)  # [n]
    logits = model(masked, batch.attention_mask, batch.token_type_ids, positions)  # [n, vocab]
    loss = F.cross_entropy(logits, labels.reshape(-1)[positions])
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(state["step"], state)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def save_checkpoint(
    path: Path, model: BertForMaskedLM, optimizer: torch.optim.Optimizer, state: dict[str, Any]
) -> None:
    checkpoint = {
        "config": asdict(model.config),
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "state": state,
        "torch_rng": torch.get_rng_state(),
    }
    temporary = path.with_suffix(".tmp")
    torch.save(checkpoint, temporary)
    temporary.replace(path)  # a crash mid-write never leaves a broken checkpoint


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    args.work.mkdir(parents=True, exist_ok=True)
    log = Log(args.work / "train.log")
    corpus_dir, vocab_path = prepare_data(args.work, args.out, args.vocab_size, log)
    tokenizer = WordPieceTokenizer.from_file(vocab_path)
    model, state, optimizer_state = restore(args, len(tokenizer.vocab), log)
    if args.total_steps is not None and args.total_steps != state["total_steps"]:
        log(f"keeping the plan of {state['total_steps']} steps from the resumed state (--total-steps ignored)")
    optimizer = torch.optim.AdamW(
        optimizer_groups(model, state["weight_decay"], log), lr=state["lr"], betas=(0.9, 0.999), eps=1e-6
    )
    if optimizer_state is not None:
        optimizer.load_state_dict(optimizer_state)
    log(f"plan: {json.dumps(state)}; model {sum(p.numel() for p in model.parameters())} parameters")

    cls_id, sep_id = special_ids(tokenizer)
    train_lines = (corpus_dir / "train.txt").read_text(encoding="utf-8").splitlines()
    test_lines = (corpus_dir / "test.txt").read_text(encoding="utf-8").splitlines()
    encoded = encode_lines(tokenizer, train_lines, state["seq_len"] - 3)
    sequences = epoch_sequences(encoded, state, cls_id, sep_id)
    log(f"epoch {state['epoch']}: {len(sequences)} sequences of up to {state['seq_len']} tokens")

    requested = {"flag": False, "stop": False}
    signal.signal(signal.SIGUSR1, lambda *_: requested.update(flag=True))
    signal.signal(signal.SIGTERM, lambda *_: requested.update(flag=True, stop=True))

    def save(reason: str) -> None:
        metrics = heldout_metrics(model, tokenizer, test_lines, state["seq_len"])
        state["heldout"] = metrics
        save_checkpoint(args.work / "checkpoint.pt", model, optimizer, state)
        export(model, vocab_path, args.out, state)
        log(f"{reason}: step {state['step']} saved and exported; held-out loss {metrics['loss']:.4f} "
            f"ppl {metrics['perplexity']:.2f} acc {metrics['accuracy']:.4f}")

    model.train()
    started = last_save = last_log = time.time()
    window_loss, window_steps, window_tokens = 0.0, 0, 0
    while state["step"] < state["total_steps"] and time.time() - started < args.budget_minutes * 60:
        step_started = time.time()
        start = state["batch_in_epoch"] * state["batch_size"]
        if start + state["batch_size"] > len(sequences):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
            sequences = epoch_sequences(encoded, state, cls_id, sep_id)
            continue
        batch = collate(sequences[start : start + state["batch_size"]], tokenizer.ids[PAD])
        loss = train_step(model, optimizer, tokenizer, batch, state)
        tokens = int(batch.attention_mask.sum())
        state["step"] += 1
        state["batch_in_epoch"] += 1
        state["tokens_seen"] += tokens
        window_loss, window_steps, window_tokens = window_loss + loss, window_steps + 1, window_tokens + tokens
        now = time.time()
        state["train_seconds"] += now - step_started
        if state["step"] % args.log_every == 0:
            log(f"step {state['step']}/{state['total_steps']} epoch {state['epoch']} "
                f"loss {window_loss / window_steps:.4f} lr {learning_rate(state['step'] - 1, state):.2e} "
                f"tokens/s {window_tokens / (now - last_log):.0f}")
            window_loss, window_steps, window_tokens = 0.0, 0, 0
            last_log = now
        if requested["flag"] or now - last_save > args.checkpoint_minutes * 60:
            save("stop requested" if requested["stop"] else "checkpoint")
            requested["flag"] = False
            last_save = time.time()
            if requested["stop"]:
                return
            last_log = time.time()
            window_loss, window_steps, window_tokens = 0.0, 0, 0
    save("finished" if state["step"] >= state["total_steps"] else "budget spent")


if __name__ == "__main__":
    main()
