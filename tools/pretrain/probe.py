"""Fast PyTorch replica of `npm run compare -- --heldout`: fine-tune an exported model with the studio's defaults.

Per seed it uses exactly the rows the authoritative comparison uses (splits.ts runs the project's own split
code: the stratified 70/30 train/test split of tools/compare/heldout.ts, then the CLI's stratified 10%
early-stopping hold-out of the train rows, src/data/prepare.ts) and trains as the studio's defaults do for a
hidden-128 model (src/train/suggest.ts, defaults.ts): HF BertForSequenceClassification head (pooler → dropout
0.1 → linear, the linear N(0, 0.02)), batch 16, max 128 tokens, AdamW lr 3e-4 (betas 0.9/0.999, eps 1e-8,
weight decay 0.01 on ≥ 2-D weights), 10% linear warmup then linear decay to 0 over epochs × steps per epoch,
epochs = round(1000 / steps per epoch) within 4–20, gradient clipping 1.0, validation loss after every epoch,
early stopping after 2 epochs without improvement, the lowest-validation-loss weights predict the test rows.
It differs from the studio in its random streams (shuffling, dropout, head initialisation) and in float
arithmetic, so single seeds differ; the mean over seeds is what it is for.

Also reports an sklearn stand-in for the studio's linear baseline (TF-IDF word 1–2 + char_wb 3–5 → logistic
regression C=1) on the same train (all train rows, as the comparison fits it) and test rows.

usage: /usr/bin/python3 tools/pretrain/probe.py [--model DIR] [--seeds 1,2,3] [--pool cls|mean] [--lr X]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).parent))
from export import load_exported  # noqa: E402
from model import BertModel  # noqa: E402
from wordpiece import CLS, PAD, SEP, WordPieceTokenizer  # noqa: E402

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
DEFAULT_DATA = ROOT / "tools" / "eval" / "reviews.csv"
DEFAULT_MODEL = ROOT / "public" / "models" / "bert-tiny-en"

# src/train/suggest.ts, hidden ≤ 256, and src/train/defaults.ts
LR, TARGET_STEPS, MIN_EPOCHS, MAX_EPOCHS, WARMUP = 3e-4, 1000, 4, 20, 0.1
BATCH, MAX_LEN, WEIGHT_DECAY, EPS, CLIP, PATIENCE = 16, 128, 0.01, 1e-8, 1.0, 2


def default_epochs(num_train: int, batch: int = BATCH) -> int:
    """suggest.ts: epochs that reach ~TARGET_STEPS optimizer steps, kept within the band (Math.round = half up)."""
    steps_per_epoch = max(1, -(-num_train // batch))
    return min(MAX_EPOCHS, max(MIN_EPOCHS, int(np.floor(TARGET_STEPS / steps_per_epoch + 0.5))))


def lr_at(step: int, total: int, peak: float, warmup_ratio: float = WARMUP) -> float:
    """Linear warmup over ceil(ratio · total) steps then linear decay to 0 at total (lr.ts's 'linear')."""
    warmup = int(np.ceil(total * warmup_ratio))
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * max(0.0, (total - step) / max(1, total - warmup))


def read_rows(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def load_splits(data: Path, seeds: list[int], cache: Path | None = None) -> dict:
    """{"classes": [...], "splits": {seed: {"train", "validation", "test"}}} from the project's TypeScript."""
    if cache is not None and cache.exists():
        cached = json.loads(cache.read_text())
        if all(str(s) in cached["splits"] for s in seeds):
            return cached
    result = subprocess.run(["npx", "tsx", str(HERE / "splits.ts"), str(data), ",".join(map(str, seeds))],
                            cwd=ROOT, check=True, capture_output=True, text=True)
    splits = json.loads(result.stdout)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(splits))
    return splits


class Classifier(nn.Module):
    """HF BertForSequenceClassification: pooler output → dropout → linear (pool="cls"); "mean" is a probe only."""

    def __init__(self, bert: BertModel, num_labels: int, pool: str = "cls", dropout: float = 0.1) -> None:
        super().__init__()
        self.bert, self.pool = bert, pool
        c = bert.embeddings.word_embeddings.weight.shape[1]
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(c, num_labels)
        nn.init.normal_(self.classifier.weight, std=0.02)
        nn.init.zeros_(self.classifier.bias)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        hidden = self.bert(ids, mask, torch.zeros_like(ids))  # [batch, seq, hidden]
        if self.pool == "mean":
            m = mask.unsqueeze(-1).float()
            pooled = (hidden * m).sum(1) / m.sum(1)
        else:
            pooled = self.bert.pooler(hidden)  # [batch, hidden]
        return self.classifier(self.dropout(pooled))


def encode(tokenizer: WordPieceTokenizer, texts: list[str]) -> list[list[int]]:
    cls_id, sep_id = tokenizer.ids[CLS], tokenizer.ids[SEP]
    return [[cls_id, *tokenizer.encode(t)[: MAX_LEN - 2], sep_id] for t in texts]


def batches(encoded: list[list[int]], labels: np.ndarray, indices: np.ndarray, pad: int):
    for start in range(0, len(indices), BATCH):
        chunk = indices[start : start + BATCH]
        width = max(len(encoded[i]) for i in chunk)
        ids = torch.full((len(chunk), width), pad, dtype=torch.int64)
        mask = torch.zeros((len(chunk), width), dtype=torch.int64)
        for row, i in enumerate(chunk):
            ids[row, : len(encoded[i])] = torch.tensor(encoded[i])
            mask[row, : len(encoded[i])] = 1
        yield ids, mask, torch.from_numpy(labels[chunk])


@torch.no_grad()
def evaluate(model: Classifier, encoded, labels, indices, pad) -> tuple[float, float]:
    model.eval()
    loss, correct = 0.0, 0
    for ids, mask, y in batches(encoded, labels, indices, pad):
        logits = model(ids, mask)
        loss += F.cross_entropy(logits, y, reduction="sum").item()
        correct += int((logits.argmax(-1) == y).sum())
    model.train()
    return loss / len(indices), correct / len(indices)


def finetune(model_dir: Path, encoded, labels: np.ndarray, split: dict, seed: int, pool: str = "cls",
             lr: float = LR, pad: int = 0, epochs: int | None = None, repeat: int = 0) -> dict:
    """One fine-tuning run on the rows of split; repeat r > 0 draws other head weights, order and dropout."""
    torch.manual_seed(seed + 1000 * repeat)
    rng = np.random.default_rng(seed if repeat == 0 else [seed, repeat])  # repeat 0: the documented runs
    mlm, _ = load_exported(model_dir)
    raw = json.loads((model_dir / "config.json").read_text())
    rate = raw.get("classifier_dropout") if raw.get("classifier_dropout") is not None else raw["hidden_dropout_prob"]
    model = Classifier(mlm.bert, int(labels.max()) + 1, pool, rate)
    train, val, test = (np.asarray(split[k]) for k in ("train", "validation", "test"))
    epochs = epochs or default_epochs(len(train))
    steps_per_epoch = -(-len(train) // BATCH)
    total = epochs * steps_per_epoch
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": [p for p in params if p.ndim >= 2], "weight_decay": WEIGHT_DECAY},
        {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0},
    ], lr=lr, betas=(0.9, 0.999), eps=EPS)
    best, best_state, since, step, history = float("inf"), None, 0, 0, []
    model.train()
    for epoch in range(epochs):
        for ids, mask, y in batches(encoded, labels, rng.permutation(train), pad):
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step, total, lr)
            loss = F.cross_entropy(model(ids, mask), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, CLIP)
            optimizer.step()
            step += 1
        val_loss, val_acc = evaluate(model, encoded, labels, val, pad)
        history.append(round(val_loss, 4))
        if val_loss < best:
            best, since = val_loss, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            since += 1
            if since >= PATIENCE:
                break
    model.load_state_dict(best_state)
    _, test_acc = evaluate(model, encoded, labels, test, pad)
    return {"seed": seed, "repeat": repeat, "accuracy": test_acc, "epochs_run": epoch + 1, "epochs_planned": epochs,
            "best_val_loss": best, "val_losses": history}


def baseline(texts: list[str], labels: np.ndarray, train: list[int], test: list[int]) -> float:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    tr = [texts[i] for i in train]
    te = [texts[i] for i in test]
    x_train = hstack([word.fit_transform(tr), char.fit_transform(tr)]).tocsr()
    x_test = hstack([word.transform(te), char.transform(te)]).tocsr()
    clf = LogisticRegression(C=1.0, max_iter=2000).fit(x_train, labels[train])
    return float((clf.predict(x_test) == labels[test]).mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--pool", choices=("cls", "mean"), default="cls")
    p.add_argument("--lr", type=float, default=LR)
    p.add_argument("--repeats", type=int, default=1,
                   help="fine-tuning runs per seed (same rows, other random streams), averaged: less noise")
    p.add_argument("--epochs", type=int, default=None,
                   help="planned epochs instead of the suggestion's (the LR decays to 0 over them)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--json", type=Path, help="write the results here")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")]
    texts, label_names = read_rows(args.data)
    info = load_splits(args.data, seeds, HERE / "work" / f"splits-{args.data.stem}.json")
    labels = np.asarray([info["classes"].index(name) for name in label_names], dtype=np.int64)
    tokenizer = WordPieceTokenizer.from_file(args.model / "vocab.txt")
    encoded = encode(tokenizer, texts)
    runs = []
    for seed in seeds:
        split = info["splits"][str(seed)]
        started = time.time()
        repeats = [finetune(args.model, encoded, labels, split, seed, args.pool, args.lr, tokenizer.ids[PAD],
                            epochs=args.epochs, repeat=r)
                   for r in range(args.repeats)]
        run = {**repeats[0], "accuracy": float(np.mean([r["accuracy"] for r in repeats]))}
        if args.repeats > 1:
            run["repeat_accuracies"] = [r["accuracy"] for r in repeats]
        if not args.no_baseline:
            run["baseline"] = baseline(texts, labels, split["train"] + split["validation"], split["test"])
        run["seconds"] = round(time.time() - started, 1)
        runs.append(run)
        print(json.dumps(run), flush=True)
    bert = float(np.mean([r["accuracy"] for r in runs]))
    summary = {"model": str(args.model), "pool": args.pool, "lr": args.lr, "epochs": args.epochs, "seeds": seeds, "bert_mean": bert,
               "runs": runs}
    if not args.no_baseline:
        summary["baseline_mean"] = float(np.mean([r["baseline"] for r in runs]))
    print(f"mean test accuracy: BERT {bert:.4f}" + (
        f", baseline {summary['baseline_mean']:.4f}" if "baseline_mean" in summary else ""), flush=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
