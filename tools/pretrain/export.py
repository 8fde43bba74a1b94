"""Export a model to the Hugging Face layout that the studio (and transformers) load.

Writes config.json, vocab.txt, tokenizer_config.json, special_tokens_map.json, model.safetensors and
pretrain_state.json (the step and plan, so training can resume from the exported weights alone).
Run directly to export the latest checkpoint of tools/pretrain/work/.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import torch

import safetensors_io
from model import BertConfig, BertForMaskedLM
from wordpiece import CLS, MASK, PAD, SEP, UNK

HERE = Path(__file__).parent
DEFAULT_OUT = HERE.parent.parent / "public" / "models" / "bert-tiny-en"
DEFAULT_CHECKPOINT = HERE / "work" / "checkpoint.pt"
STATE_FILE = "pretrain_state.json"
MAX_LENGTH = 128


def tokenizer_config() -> dict[str, Any]:
    return {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "do_basic_tokenize": True,
        "never_split": None,
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "model_max_length": MAX_LENGTH,
        "clean_up_tokenization_spaces": True,
        "unk_token": UNK,
        "sep_token": SEP,
        "pad_token": PAD,
        "cls_token": CLS,
        "mask_token": MASK,
    }


def special_tokens_map() -> dict[str, str]:
    return {"unk_token": UNK, "sep_token": SEP, "pad_token": PAD, "cls_token": CLS, "mask_token": MASK}


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename: the studio may be serving this folder while training exports."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _write_json(path: Path, value: object) -> None:
    _write_atomic(path, (json.dumps(value, indent=2) + "\n").encode("utf-8"))


def export(model: BertForMaskedLM, vocab_path: Path, out_dir: Path, state: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab_size = len(vocab_path.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    if vocab_size != model.config.vocab_size:
        raise ValueError(f"{vocab_path} has {vocab_size} entries, the model {model.config.vocab_size}")
    if vocab_path.resolve() != (out_dir / "vocab.txt").resolve():
        _write_atomic(out_dir / "vocab.txt", vocab_path.read_bytes())
    _write_json(out_dir / "config.json", model.config.to_hf())
    _write_json(out_dir / "tokenizer_config.json", tokenizer_config())
    _write_json(out_dir / "special_tokens_map.json", special_tokens_map())
    safetensors_io.save(model.hf_state_dict(), out_dir / "model.safetensors")
    _write_json(out_dir / STATE_FILE, state)


def load_exported(out_dir: Path) -> tuple[BertForMaskedLM, dict[str, Any]]:
    """The model and training state saved by export()."""
    config = BertConfig.from_hf(json.loads((out_dir / "config.json").read_text(encoding="utf-8")))
    model = BertForMaskedLM(config)
    model.load_hf_state_dict(safetensors_io.load(out_dir / "model.safetensors"))
    state_path = out_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    return model, state


def load_checkpoint(path: Path) -> dict[str, Any]:
    return torch.load(path, map_location="cpu")


def model_from_checkpoint(checkpoint: dict[str, Any]) -> BertForMaskedLM:
    model = BertForMaskedLM(BertConfig(**checkpoint["config"]))
    model.load_state_dict(checkpoint["model"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description="Export a pretraining checkpoint to the HF layout.")
    parser.add_argument("--checkpoint", type=Path, default=DEFAULT_CHECKPOINT)
    parser.add_argument("--vocab", type=Path, default=HERE / "work" / "vocab.txt")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    checkpoint = load_checkpoint(args.checkpoint)
    export(model_from_checkpoint(checkpoint), args.vocab, args.out, checkpoint["state"])
    print(f"exported step {checkpoint['state']['step']} -> {args.out}")


if __name__ == "__main__":
    main()
