"""Pretrain the bundled bert-tiny-en model: masked-language modelling, plus the lexicon-polarity objective on request.

Resumable: every --checkpoint-minutes (and on SIGUSR1 or SIGTERM) the model, optimizer, step, data position
and RNG state go to <work>/checkpoint.pt and the weights are exported to <out>. A later run resumes from the
checkpoint; if the work dir is gone it resumes from the exported weights (and their pretrain_state.json)
with fresh AdamW moments. The learning-rate plan (warmup then linear decay to zero over --total-steps) is
fixed by the first run of a stage and kept on resume.

Sentence objectives (stage `sentence`): `--distil-weight W` pulls the last layer's [CLS] state towards the
(stop-gradient) mean of the line's last-layer token states, so the pooler, which reads [CLS] only, starts
fine-tuning from a summary of the whole line; `--simcse-weight W` adds unsupervised SimCSE on the pooler
output (two dropout views of each line, in-batch negatives). Both draw `--sentence-batch` unmasked single
lines per step.

Stages: `--stage NAME` continues the resumed weights under a new plan (new LR schedule, fresh AdamW moments,
step counter from 0) when the resumed state belongs to another stage, and resumes it when it is NAME. The
finished stages are kept in the state's "stages" list, so the model card can say how the model was made.
"""

from __future__ import annotations

import argparse
import json
import signal
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch.nn import functional as F

import corpus
import polarity
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
    p.add_argument("--shape", choices=sorted(SHAPES), default="tiny",
                   help="layers × hidden of a model started from scratch (tiny 2×128 as shipped, mini 4×256 as "
                        "Turc et al.'s BERT-Mini); a resumed model keeps its own")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoint-minutes", type=float, default=5.0)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--fresh", action="store_true", help="ignore any checkpoint or exported weights")
    p.add_argument("--polarity-weight", type=float, default=0.0,
                   help="weight of the lexicon-polarity loss on the pooler (polarity.py); 0 is MLM only")
    p.add_argument("--polarity-labels", choices=polarity.LABELLERS, default="lexicon",
                   help="who labels the lines of the polarity loss: the opinion lexicon or VADER (polarity.py)")
    p.add_argument("--polarity-batch", type=int, default=96, help="single lines per step for the polarity loss")
    p.add_argument("--distil-weight", type=float, default=0.0,
                   help="weight of the [CLS] ← mean-of-tokens distillation loss (1 - cosine); 0 is off")
    p.add_argument("--simcse-weight", type=float, default=0.0,
                   help="weight of unsupervised SimCSE on the pooler output; 0 is off")
    p.add_argument("--simcse-temperature", type=float, default=0.05)
    p.add_argument("--sentence-batch", type=int, default=64, help="single lines per step for the sentence losses")
    p.add_argument("--drop-wordnet", action="store_true",
                   help="train this stage on the running-text sources only (no WordNet gloss lines); recorded")
    p.add_argument("--end-at", type=int,
                   help="end the current stage's plan at this step instead (its LR then decays to 0 by it); recorded")
    p.add_argument("--stage", default="wordnet",
                   help="name of this stage; a resumed state of another stage starts a new plan from its weights")
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
    if not (corpus_dir / "sources.json").exists():
        counts = corpus.build_corpus(corpus_dir, work / "npm")
        log(f"built corpus: {json.dumps(counts)}")
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


def optimizer_groups(model: torch.nn.Module, weight_decay: float, log: Log) -> list[dict[str, Any]]:
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


def new_state(args: argparse.Namespace, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """A fresh plan for stage args.stage; previous (the state of the stage before, if any) joins "stages"."""
    total_steps = args.total_steps or DEFAULT_TOTAL_STEPS
    stages = [] if previous is None else [*previous.get("stages", []), finished_stage(previous)]
    return {
        "stage": args.stage,
        "stages": stages,
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
        "polarity_weight": args.polarity_weight,
        "polarity_batch": args.polarity_batch,
        **({"drop_wordnet": True} if getattr(args, "drop_wordnet", False) else {}),
        **({"polarity_labels": args.polarity_labels} if getattr(args, "polarity_labels", "lexicon") != "lexicon" else {}),
        **({"distil_weight": args.distil_weight, "simcse_weight": args.simcse_weight,
            "simcse_temperature": args.simcse_temperature, "sentence_batch": args.sentence_batch}
           if getattr(args, "distil_weight", 0.0) > 0 or getattr(args, "simcse_weight", 0.0) > 0 else {}),
    }


def finished_stage(state: dict[str, Any]) -> dict[str, Any]:
    """What the card needs of a finished stage: its plan, progress and last held-out metrics."""
    keys = ("step", "total_steps", "lr", "batch_size", "seq_len", "tokens_seen", "train_seconds", "threads", "heldout")
    return {"stage": state.get("stage", "wordnet"), **{k: state[k] for k in keys if k in state}}


# Turc et al. 2019's sizes: heads = hidden / 64, intermediate = 4 × hidden.
SHAPES = {
    "tiny": {"num_hidden_layers": 2, "hidden_size": 128, "num_attention_heads": 2, "intermediate_size": 512},
    "mini": {"num_hidden_layers": 4, "hidden_size": 256, "num_attention_heads": 4, "intermediate_size": 1024},
}


def restore(args: argparse.Namespace, vocab_size: int, log: Log) -> tuple[Pretraining, dict[str, Any], dict | None]:
    """Model, training state and optimizer state from the checkpoint, else the export, else from scratch."""
    checkpoint_path = args.work / "checkpoint.pt"
    if not args.fresh and checkpoint_path.exists():
        checkpoint = torch.load(checkpoint_path, map_location="cpu")
        model = Pretraining(BertForMaskedLM(BertConfig(**checkpoint["config"])))
        model.mlm.load_state_dict(checkpoint["model"])
        if "polarity_head" in checkpoint:
            model.polarity.load_state_dict(checkpoint["polarity_head"])
        torch.set_rng_state(checkpoint["torch_rng"])
        log(f"resumed from {checkpoint_path} at step {checkpoint['state']['step']}")
        return model, checkpoint["state"], checkpoint["optimizer"]
    if not args.fresh and (args.out / STATE_FILE).exists():
        mlm, state = load_exported(args.out)
        torch.manual_seed(state["seed"] + state["step"])
        log(f"resumed from exported weights {args.out} at step {state['step']} (fresh AdamW moments)")
        return Pretraining(mlm), state, None
    torch.manual_seed(args.seed)
    model = Pretraining(BertForMaskedLM(BertConfig(vocab_size=vocab_size, max_position_embeddings=128, **SHAPES[args.shape])))
    log(f"starting from random initialisation ({args.shape}: {SHAPES[args.shape]})")
    return model, new_state(args), None


def enter_stage(args: argparse.Namespace, state: dict[str, Any], optimizer_state: dict | None, log: Log
                ) -> tuple[dict[str, Any], dict | None]:
    """The resumed state and optimizer state, or a new plan (and no optimizer state) if args.stage is new."""
    if state.get("stage", "wordnet") == args.stage:
        return state, optimizer_state
    log(f"stage {state.get('stage', 'wordnet')} (step {state['step']}) done; starting stage {args.stage}")
    torch.manual_seed(args.seed + 7919)
    return new_state(args, state), None


def epoch_sequences(encoded: list[np.ndarray], state: dict[str, Any], cls_id: int, sep_id: int) -> list[Packed]:
    order = np.random.default_rng([state["seed"], state["epoch"]]).permutation(len(encoded))
    return pack([encoded[i] for i in order], state["seq_len"], cls_id, sep_id)


class Pretraining(torch.nn.Module):
    """The exported BertForMaskedLM plus the polarity head on its pooler, which is trained but not exported."""

    def __init__(self, mlm: BertForMaskedLM) -> None:
        super().__init__()
        self.mlm = mlm
        self.polarity = torch.nn.Linear(mlm.config.hidden_size, len(polarity.LABELS))
        mlm._init_weights(self.polarity)

    def polarity_logits(self, batch: Batch) -> Tensor:
        hidden = self.mlm.bert(batch.input_ids, batch.attention_mask, batch.token_type_ids)  # [batch, seq, hidden]
        return self.polarity(self.mlm.bert.pooler(hidden))  # [batch, labels]


def polarity_batch(lines: "PolarityLines", state: dict[str, Any], tokenizer: WordPieceTokenizer,
                   generator: torch.Generator) -> tuple[Batch, Tensor]:
    """Single lines drawn evenly from the three labels, 15% of their tokens masked; returns (batch, labels)."""
    per_label = state["polarity_batch"] // len(polarity.LABELS)
    rng = np.random.default_rng([state["seed"], state["step"], 17])
    picks = [(int(i), label) for label, pool in enumerate(lines.by_label) for i in rng.choice(pool, per_label)]
    cls_id, sep_id = special_ids(tokenizer)
    sequences = [(np.concatenate([[cls_id], lines.encoded[i], [sep_id]]).astype(np.int64),
                  np.zeros(len(lines.encoded[i]) + 2, dtype=np.int64)) for i, _ in picks]
    batch = collate(sequences, tokenizer.ids[PAD])
    masked, _ = mask_tokens(batch.input_ids, tokenizer, generator)
    return Batch(masked, batch.token_type_ids, batch.attention_mask), torch.tensor([label for _, label in picks])


@dataclass(frozen=True)
class PolarityLines:
    encoded: list[np.ndarray]
    by_label: list[np.ndarray]  # indices into encoded, one array per polarity label

    @staticmethod
    def of(encoded: list[np.ndarray], labels: np.ndarray) -> "PolarityLines":
        kept = np.asarray([len(e) > 0 for e in encoded])
        return PolarityLines(encoded, [np.flatnonzero((labels == k) & kept) for k in range(len(polarity.LABELS))])


def sentence_batch(encoded: list[np.ndarray], pool: np.ndarray, state: dict[str, Any], cls_id: int, sep_id: int,
                   pad_id: int) -> Batch:
    """state["sentence_batch"] unmasked single lines drawn from pool (indices into encoded), seeded by the step."""
    rng = np.random.default_rng([state["seed"], state["step"], 29])
    picks = rng.choice(pool, state["sentence_batch"], replace=False)
    return collate([(np.concatenate([[cls_id], encoded[i], [sep_id]]).astype(np.int64),
                     np.zeros(len(encoded[i]) + 2, dtype=np.int64)) for i in picks], pad_id)


def masked_mean(hidden: Tensor, attention_mask: Tensor) -> Tensor:
    """Mean of the token states over real tokens ([CLS] and [SEP] included): [batch, hidden]."""
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)  # [batch, seq, 1]
    return (hidden * weights).sum(1) / weights.sum(1)


def distil_loss(hidden: Tensor, attention_mask: Tensor) -> Tensor:
    """1 - cosine between the [CLS] state and the stop-gradient mean of all token states, averaged."""
    target = masked_mean(hidden, attention_mask).detach()
    return (1.0 - F.cosine_similarity(hidden[:, 0], target, dim=-1)).mean()


def simcse_loss(first: Tensor, second: Tensor, temperature: float) -> Tensor:
    """Unsupervised SimCSE (Gao et al. 2021): row i of first matches row i of second against the batch."""
    similarity = F.cosine_similarity(first.unsqueeze(1), second.unsqueeze(0), dim=-1) / temperature  # [b, b]
    return F.cross_entropy(similarity, torch.arange(len(first)))


def sentence_losses(model: Pretraining, batch: Batch, state: dict[str, Any]) -> tuple[Tensor, Tensor]:
    """(distillation loss, SimCSE loss) of a batch of single lines; a loss with weight 0 is not computed."""
    bert = model.mlm.bert
    hidden = bert(batch.input_ids, batch.attention_mask, batch.token_type_ids)  # [batch, seq, hidden]
    distil = distil_loss(hidden, batch.attention_mask) if state.get("distil_weight", 0.0) > 0 else torch.zeros(())
    simcse = torch.zeros(())
    if state.get("simcse_weight", 0.0) > 0:
        again = bert(batch.input_ids, batch.attention_mask, batch.token_type_ids)  # a second dropout view
        simcse = simcse_loss(bert.pooler(hidden), bert.pooler(again), state["simcse_temperature"])
    return distil, simcse


def train_step(
    model: Pretraining, optimizer: torch.optim.Optimizer, tokenizer: WordPieceTokenizer, batch: Batch,
    state: dict[str, Any], lines: PolarityLines | None, sentences: Batch | None = None,
) -> tuple[float, float, float, float]:
    """One AdamW step on the MLM loss of batch (plus the weighted polarity and sentence losses).

    Returns the MLM, polarity, distillation and SimCSE losses.

    The masking is seeded by the step so a resume repeats it.
    """
    generator = torch.Generator().manual_seed(state["seed"] * 1_000_003 + state["step"])
    masked, labels = mask_tokens(batch.input_ids, tokenizer, generator)
    positions = (labels.reshape(-1) != IGNORE).nonzero().squeeze(1)  # [n]
    logits = model.mlm(masked, batch.attention_mask, batch.token_type_ids, positions)  # [n, vocab]
    loss = mlm_loss = F.cross_entropy(logits, labels.reshape(-1)[positions])
    polarity_loss = torch.zeros(())
    if lines is not None:
        sentences, targets = polarity_batch(lines, state, tokenizer, generator)
        polarity_loss = F.cross_entropy(model.polarity_logits(sentences), targets)
        loss = loss + state["polarity_weight"] * polarity_loss
    distil = simcse = torch.zeros(())
    if sentences is not None:
        distil, simcse = sentence_losses(model, sentences, state)
        loss = loss + state.get("distil_weight", 0.0) * distil + state.get("simcse_weight", 0.0) * simcse
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(state["step"], state)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return mlm_loss.item(), polarity_loss.item(), distil.item(), simcse.item()


@torch.no_grad()
def polarity_accuracy(model: Pretraining, lines: PolarityLines, tokenizer: WordPieceTokenizer) -> float:
    """Accuracy of the polarity head on held-out lines (evenly drawn per label, unmasked)."""
    cls_id, sep_id = special_ids(tokenizer)
    picks = [(int(i), label) for label, pool in enumerate(lines.by_label) for i in pool[:300]]
    correct = 0
    model.eval()
    for start in range(0, len(picks), 128):
        chunk = picks[start : start + 128]
        batch = collate([(np.concatenate([[cls_id], lines.encoded[i], [sep_id]]).astype(np.int64),
                          np.zeros(len(lines.encoded[i]) + 2, dtype=np.int64)) for i, _ in chunk], tokenizer.ids[PAD])
        predicted = model.polarity_logits(batch).argmax(-1)
        correct += int((predicted == torch.tensor([label for _, label in chunk])).sum())
    model.train()
    return correct / max(1, len(picks))


def save_checkpoint(
    path: Path, model: Pretraining, optimizer: torch.optim.Optimizer, state: dict[str, Any]
) -> None:
    checkpoint = {
        "config": asdict(model.mlm.config),
        "model": model.mlm.state_dict(),
        "polarity_head": model.polarity.state_dict(),
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
    state, optimizer_state = enter_stage(args, state, optimizer_state, log)
    if args.end_at is not None and args.end_at != state["total_steps"]:
        if args.end_at <= state["step"]:
            raise SystemExit(f"--end-at {args.end_at} is not after the current step {state['step']}")
        log(f"plan of stage {state['stage']} shortened from {state['total_steps']} to {args.end_at} steps at step {state['step']}")
        state.setdefault("plan_changes", []).append(
            {"at_step": state["step"], "from_total_steps": state["total_steps"], "to_total_steps": args.end_at})
        state["total_steps"] = args.end_at
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
    if state.get("drop_wordnet"):
        glosses = set(corpus.build_lines(corpus.WORDNET_DIR))
        train_lines = [line for line in train_lines if line not in glosses]
        log(f"WordNet lines dropped: {len(train_lines)} training lines of the other sources")
    encoded = encode_lines(tokenizer, train_lines, state["seq_len"] - 3)
    polarity_train = polarity_test = None
    if state.get("polarity_weight", 0.0) > 0:
        labeller = state.get("polarity_labels", "lexicon")
        if labeller == "vader":
            def labels_of(lines: list[str]) -> np.ndarray:
                return np.asarray([polarity.vader_label(v) for v in polarity.vader_scores(lines, args.work / "npm")])
        else:
            lexicon = polarity.Lexicon.load(args.work / "npm")

            def labels_of(lines: list[str]) -> np.ndarray:
                return np.asarray([polarity.label(line, lexicon) for line in lines])
        polarity_train = PolarityLines.of(encoded, labels_of(train_lines))
        polarity_test = PolarityLines.of(encode_lines(tokenizer, test_lines, state["seq_len"] - 2), labels_of(test_lines))
        log(f"polarity labels: {labeller}")
        log("polarity lines per label: " + ", ".join(
            f"{name} {len(pool)}" for name, pool in zip(polarity.LABELS, polarity_train.by_label)))
    sentence_pool = None
    if state.get("distil_weight", 0.0) > 0 or state.get("simcse_weight", 0.0) > 0:
        sentence_pool = np.flatnonzero(np.asarray([len(e) >= 4 for e in encoded]))
        log(f"sentence objectives: {len(sentence_pool)} lines of >= 4 tokens")
    sequences = epoch_sequences(encoded, state, cls_id, sep_id)
    log(f"epoch {state['epoch']}: {len(sequences)} sequences of up to {state['seq_len']} tokens")

    requested = {"flag": False, "stop": False}
    signal.signal(signal.SIGUSR1, lambda *_: requested.update(flag=True))
    signal.signal(signal.SIGTERM, lambda *_: requested.update(flag=True, stop=True))

    def save(reason: str) -> None:
        metrics = heldout_metrics(model.mlm, tokenizer, test_lines, state["seq_len"])
        if polarity_test is not None:
            metrics["polarity_accuracy"] = polarity_accuracy(model, polarity_test, tokenizer)
        state["heldout"] = metrics
        save_checkpoint(args.work / "checkpoint.pt", model, optimizer, state)
        export(model.mlm, vocab_path, args.out, state)
        log(f"{reason}: step {state['step']} saved and exported; held-out " + " ".join(
            f"{k} {v:.4f}" for k, v in metrics.items() if k != "masked_tokens"))

    model.train()
    started = last_save = last_log = time.time()
    window_loss, window_polarity, window_steps, window_tokens = 0.0, 0.0, 0, 0
    window_distil, window_simcse = 0.0, 0.0
    while state["step"] < state["total_steps"] and time.time() - started < args.budget_minutes * 60:
        step_started = time.time()
        start = state["batch_in_epoch"] * state["batch_size"]
        if start + state["batch_size"] > len(sequences):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
            sequences = epoch_sequences(encoded, state, cls_id, sep_id)
            continue
        batch = collate(sequences[start : start + state["batch_size"]], tokenizer.ids[PAD])
        sentences = None if sentence_pool is None else sentence_batch(
            encoded, sentence_pool, state, cls_id, sep_id, tokenizer.ids[PAD])
        loss, polarity_loss, distil, simcse = train_step(
            model, optimizer, tokenizer, batch, state, polarity_train, sentences)
        tokens = int(batch.attention_mask.sum())
        state["step"] += 1
        state["batch_in_epoch"] += 1
        state["tokens_seen"] += tokens
        window_loss, window_steps, window_tokens = window_loss + loss, window_steps + 1, window_tokens + tokens
        window_polarity += polarity_loss
        window_distil, window_simcse = window_distil + distil, window_simcse + simcse
        now = time.time()
        state["train_seconds"] += now - step_started
        if state["step"] % args.log_every == 0:
            log(f"step {state['step']}/{state['total_steps']} epoch {state['epoch']} "
                f"loss {window_loss / window_steps:.4f} polarity {window_polarity / window_steps:.4f} "
                + (f"distil {window_distil / window_steps:.4f} simcse {window_simcse / window_steps:.4f} "
                   if sentence_pool is not None else "") +
                f"lr {learning_rate(state['step'] - 1, state):.2e} tokens/s {window_tokens / (now - last_log):.0f}")
            window_loss, window_polarity, window_steps, window_tokens = 0.0, 0.0, 0, 0
            window_distil, window_simcse = 0.0, 0.0
            last_log = now
        if requested["flag"] or now - last_save > args.checkpoint_minutes * 60:
            save("stop requested" if requested["stop"] else "checkpoint")
            requested["flag"] = False
            last_save = time.time()
            if requested["stop"]:
                return
            last_log = time.time()
            window_loss, window_polarity, window_steps, window_tokens = 0.0, 0.0, 0, 0
    save("finished" if state["step"] >= state["total_steps"] else "budget spent")


if __name__ == "__main__":
    main()
