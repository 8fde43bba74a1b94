"""PyTorch's CPU time for the benchmark's training step, the honest yardstick of the studio's CPU path.

The same step as `npm run bench` times on wasm: BERT (tools/pretrain/model.py, Hugging Face's modules) with a
pooler and a 2-label classifier, freshly initialised, a batch of random ids (16 x 128 by default), forward,
cross-entropy, backward, gradient clipping at 1.0, AdamW; plus a 512^3 matMul. Run with Debian's torch
(`/usr/bin/python3`) on the same number of threads as the wasm run. The config is a config.json's path or its
JSON text (the benchmark's mini and base exist only as text), Hugging Face's defaults filling the keys it leaves
out. Prints one JSON object.

    /usr/bin/python3 tools/bench/torch_step.py --config public/models/bert-tiny-en/config.json --threads 2
    /usr/bin/python3 tools/bench/torch_step.py --threads 1 --config '{"model_type": "bert", "vocab_size": 30522,
        "hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 1024}'
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pretrain"))
from model import BertConfig, BertModel  # noqa: E402


# Hugging Face BertConfig's defaults, which the studio's parseBertConfig also takes, for the keys a config leaves out.
HF_DEFAULTS = {
    "hidden_act": "gelu",
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "layer_norm_eps": 1e-12,
    "initializer_range": 0.02,
    "pad_token_id": 0,
}


class Classifier(nn.Module):
    def __init__(self, config: BertConfig, labels: int = 2) -> None:
        super().__init__()
        self.bert = BertModel(config)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, labels)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(ids, mask, types)
        return self.classifier(self.dropout(self.bert.pooler(hidden)))


def median_ms(run, warmup: int, steps: int) -> list[float]:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="a Hugging Face config.json, or its JSON text")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=128)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    torch.manual_seed(1)
    torch.set_num_threads(args.threads)
    text = args.config if args.config.lstrip().startswith("{") else Path(args.config).read_text()
    config = BertConfig.from_hf({**HF_DEFAULTS, **json.loads(text)})
    model = Classifier(config).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, eps=1e-8, weight_decay=0.01)
    ids = torch.randint(5, config.vocab_size, (args.batch_size, args.seq_len))
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    labels = torch.arange(args.batch_size) % 2

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, mask, types), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss.item()

    a, b = torch.randn(512, 512), torch.randn(512, 512)
    step_ms = median_ms(step, args.warmup, args.steps)
    matmul_ms = median_ms(lambda: torch.mm(a, b), args.warmup, args.steps)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "seq_len": args.seq_len,
        "step_ms": step_ms,
        "median_step_ms": statistics.median(step_ms),
        "matmul_gflops": 2 * 512**3 / (statistics.median(matmul_ms) / 1000) / 1e9,
    }))


if __name__ == "__main__":
    main()
