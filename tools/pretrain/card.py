"""Evaluate the exported model and write its model card (README.md) and eval_results.json from measurements.

Every number in the card comes from a file: the held-out metrics and fill-mask results are computed here,
the recipe and token counts from pretrain_state.json, wall time from work/train.log, corpus sizes from
work/corpus/.
"""

from __future__ import annotations

import argparse
import json
import platform
from datetime import datetime
from pathlib import Path
from typing import Any

import torch

from evaluate import FILL_MASK_SENTENCES, fill_mask, heldout_metrics
from export import DEFAULT_OUT, load_exported
from wordpiece import WordPieceTokenizer

HERE = Path(__file__).parent
SEGMENT_STARTS = ("starting from random initialisation", "resumed from")


def wall_seconds(log_lines: list[str]) -> float:
    """Wall time of the run: the sum over invocations (each starts a segment) of last minus first timestamp."""
    total, first, last = 0.0, None, None
    for line in log_lines:
        try:
            stamp = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if any(marker in line for marker in SEGMENT_STARTS):
            if first is not None and last is not None:
                total += (last - first).total_seconds()
            first = stamp
        last = stamp
    if first is not None and last is not None:
        total += (last - first).total_seconds()
    return total


def corpus_stats(corpus_dir: Path, tokenizer: WordPieceTokenizer) -> dict[str, int]:
    stats: dict[str, int] = {}
    for split in ("train", "test"):
        lines = (corpus_dir / f"{split}.txt").read_text(encoding="utf-8").splitlines()
        stats[f"{split}_lines"] = len(lines)
        stats[f"{split}_words"] = sum(len(line.split()) for line in lines)
        stats[f"{split}_tokens"] = sum(len(tokenizer.encode(line)) for line in lines)
    return stats


def fill_mask_table(examples: dict[str, list[tuple[str, float]]]) -> str:
    rows = ["| input | top 5 (probability) |", "| --- | --- |"]
    for sentence, top in examples.items():
        shown = ", ".join(f"`{token}` {p:.2f}".replace("|", "\\|") for token, p in top)
        rows.append(f"| `{sentence}` | {shown} |")
    return "\n".join(rows)


def render(r: dict[str, Any]) -> str:
    s, c, h, cfg = r["state"], r["corpus"], r["heldout"], r["config"]
    finished = s["step"] >= s["total_steps"]
    status = "" if finished else (
        f"\n**Interim export: step {s['step']:,} of {s['total_steps']:,}; pretraining is still running.** "
        "The numbers below describe this export.\n"
    )
    hours = r["wall_seconds"] / 3600
    return f"""# bert-tiny-wordnet
{status}
A small uncased BERT (2 layers, hidden 128, 2 heads, {r['parameters']:,} parameters) pretrained from scratch by
masked-language modelling on the glosses and usage examples of WordNet 3.0. It is BERT Studio's bundled,
offline default model: loadable with no network, small enough to fine-tune in a browser tab, and meant as
a better starting point than random initialisation (measured in "Fine-tuning comparison" below). It is not a
general-purpose English model (see Limitations).

Files (Hugging Face `BertForMaskedLM` layout): `config.json`, `model.safetensors` (float32, tensor names as
`BertForMaskedLM` saves them, `bert.` prefix; the tied `cls.predictions.decoder.weight` is omitted because it
equals `bert.embeddings.word_embeddings.weight`), `vocab.txt`, `tokenizer_config.json`,
`special_tokens_map.json`, `pretrain_state.json` (step, recipe, data position: lets training resume from this
folder), `eval_results.json` (the measurements below), `LICENSE-WordNet.txt`.

## Training data

WordNet 3.0 from Debian's `wordnet-base` package (`/usr/share/wordnet`), © 2006 Princeton University, under
the WordNet 3.0 licence (a permissive, BSD-like licence; full text in `LICENSE-WordNet.txt`, which must
accompany copies). `tools/pretrain/corpus.py` makes one line per synset definition, prefixed with up to three
of its lemmas (`dog, domestic dog, Canis familiaris: a member of the genus Canis ...`), one line per quoted
usage example (`"the dog barked all night"`), and the verb example frames of `sents.vrb` filled with the verbs
`sentidx.vrb` lists for them (`The children run to the playground`). Lines are whitespace-normalised,
deduplicated, shuffled with seed 0 and split 98/2:

| split | lines | words | WordPiece tokens |
| --- | ---: | ---: | ---: |
| train | {c['train_lines']:,} | {c['train_words']:,} | {c['train_tokens']:,} |
| held-out test | {c['test_lines']:,} | {c['test_words']:,} | {c['test_tokens']:,} |

No other text was added.

## Tokenizer

Uncased BERT WordPiece with Hugging Face `BertTokenizer` semantics (`tools/pretrain/wordpiece.py`, checked
against transformers' own output): control characters removed, whitespace split, lower-casing, accents
stripped (NFD, drop Mn), punctuation split (ASCII symbols and Unicode P*), CJK characters as words, greedy
longest-match WordPiece with `##`, words over 100 characters become `[UNK]`. The {cfg['vocab_size']:,}-entry
vocabulary was trained on the train split with the algorithm of HF `tokenizers`' WordPiece trainer (BPE
merges by pair frequency, `##` marking non-initial pieces, every character seen kept). Layout as BERT's:
`[PAD]`=0, `[unused0]`..`[unused49]`=1..50, `[UNK]`=51, `[CLS]`=52, `[SEP]`=53, `[MASK]`=54, then
characters and pieces. `model_max_length` is 128.

## Architecture

HF `BertForMaskedLM` exactly (`tools/pretrain/model.py`; its outputs match the team's independent float64
reference `tools/reference/` within 1e-4): vocab {cfg['vocab_size']:,}, hidden {cfg['hidden_size']},
{cfg['num_hidden_layers']} layers, {cfg['num_attention_heads']} heads, intermediate {cfg['intermediate_size']},
max positions {cfg['max_position_embeddings']}, type vocab {cfg['type_vocab_size']}, post-LN, GELU (erf),
LayerNorm eps {cfg['layer_norm_eps']}, dropout {cfg['hidden_dropout_prob']}, absolute positions, MLM head
(dense + GELU + LayerNorm, decoder tied to the word embeddings, own bias). The attention mask is additive with
`torch.finfo(float32).min` at padded keys (as current transformers; -10000 gives the same result in float32).

- **The pooler (`bert.pooler.dense.*`) is randomly initialised** (N(0, 0.02), zero bias): MLM-only
  pretraining never uses it. Fine-tuned classifiers train it from scratch.
- Trained on sequences of at most {s['seq_len']} tokens: position embeddings {s['seq_len']}..127 are
  untrained (random init). Keep inputs ≤ {s['seq_len']} tokens for best results.
- Both token types are trained: packed sequences are `[CLS] A [SEP] B [SEP]` with segment B typed 1.

## Pretraining recipe

MLM only (no next-sentence prediction). Consecutive lines of the shuffled corpus are packed greedily into
sequences of ≤ {s['seq_len']} tokens, the first half of the lines as segment A, the rest as B, reshuffled every
epoch. 15% of the non-special tokens are chosen (80% `[MASK]`, 10% random piece, 10% unchanged); the loss is
the cross-entropy at the chosen positions only. AdamW (lr {s['lr']}, betas 0.9/0.999, eps 1e-6, weight decay
{s['weight_decay']} on matrices and embeddings, none on biases and LayerNorm), {s['warmup_steps']} warmup steps
then linear decay to 0 at step {s['total_steps']:,}, gradient clipping 1.0, batch {s['batch_size']} sequences,
seed {s['seed']}. This export: step {s['step']:,}, epoch {s['epoch']}, {s['tokens_seen']:,} tokens seen
(padding excluded).

Reproduce (from the repository root; Debian's Python has torch 1.13):

```sh
/usr/bin/python3 tools/pretrain/corpus.py
/usr/bin/python3 tools/pretrain/wordpiece.py
/usr/bin/python3 tools/pretrain/pretrain.py --fresh --total-steps {s['total_steps']} --batch-size {s['batch_size']} \\
  --lr {s['lr']} --threads {s['threads']} --checkpoint-minutes 10 --budget-minutes 120
/usr/bin/python3 tools/pretrain/card.py     # evaluates and writes this card
```

Re-running the same `pretrain.py` command without `--fresh` resumes an interrupted run (see
`tools/pretrain/README.md`). Install Debian's `libopenblas0-pthread` first: torch 1.13 from Debian calls the
system `libblas.so.3`, and the reference BLAS it falls back to is ~40× slower on matrix products here.

## Compute

{s['threads']} CPU thread(s) (`torch.set_num_threads({s['threads']})`) of a 2-core {r['cpu']} VM, PyTorch
{r['torch']} with {r['blas']}. Measured: {r['wall_seconds'] / 60:.0f} minutes wall time
({hours:.2f} h, including checkpoints and held-out evaluation at every checkpoint), {s['train_seconds'] / 60:.0f}
minutes in training steps, {s['tokens_seen'] / s['train_seconds']:,.0f} tokens/s on average (it varied with the
load from other jobs).

## Evaluation

Held-out test split ({c['test_lines']:,} lines, packed like the training data, masking with a fixed seed,
{h['masked_tokens']:,} masked tokens), `tools/pretrain/evaluate.py`:

| masked-token accuracy | MLM loss | perplexity |
| ---: | ---: | ---: |
| {100 * h['accuracy']:.1f}% | {h['loss']:.3f} | {h['perplexity']:.1f} |

Fill-mask (the first four inputs paraphrase corpus lines, the others are new phrasings):

{fill_mask_table(r['fill_mask'])}

## Limitations

- Tiny model, tiny and narrow corpus (~{c['train_words'] / 1e6:.1f}M words of dictionary definitions): it knows
  dictionary-style English, little about the world, and nothing of conversational, news or web text. Expect
  far lower accuracy than real BERT checkpoints; its purpose is a quick, offline, license-clean default.
- Lower-cased, English only; characters never seen in WordNet become `[UNK]`.
- Pooler untrained; positions ≥ {s['seq_len']} untrained.
- Glosses reflect WordNet's 2006 wording, including its biases.

## Fine-tuning comparison

Same architecture and tokenizer, same settings and seeds; only the initial weights differ (`--init random`).
With a few hundred examples, freezing the word embeddings (recipe 1) is where this model pays off: its
embeddings carry what WordNet taught about words the training split never shows, which random embeddings
cannot. Training every layer (recipe 2) narrows the margin, as the fine-tuning reshapes the embeddings of the
words it sees and the random model learns the same lexical cues from 398 reviews. Both recipes were chosen
after trying a few learning rates and freezing choices on this model with a PyTorch copy of the fine-tuning
loop (not shipped); every number below comes from the CLI runs listed. The validation split has 44 rows, so
one row is 2.3 points: read the means over seeds, not single runs.

{comparisons_section(r.get("comparisons", []))}
"""


def comparisons_section(comparisons: list[dict[str, Any]]) -> str:
    """Every finetune_comparison*.json that `npm run compare` wrote, the main one (no suffix) first."""
    if not comparisons:
        return "Not measured yet: run `npm run compare` (it writes `finetune_comparison.json`), then this script."
    return "\n\n".join(
        f"### Recipe {i + 1}\n\n{comparison_section(c)}" if len(comparisons) > 1 else comparison_section(c)
        for i, c in enumerate(comparisons)
    )


def comparison_section(comparison: dict[str, Any]) -> str:
    """The pretrained-vs-random fine-tuning runs of one recipe."""
    rows = "\n".join(
        f"| {run['seed']} | {run['init']} | {run['accuracy']:.3f} | {run['macro_f1']:.3f} | {run['best_step']} |"
        for run in comparison["runs"]
    )
    means = comparison["mean_accuracy"]
    commands = "\n".join(run["command"] for run in comparison["runs"])
    return f"""{comparison['task']} Recipe: {comparison['recipe']}

| seed | initialisation | validation accuracy | macro-F1 | step of the kept weights |
| ---: | --- | ---: | ---: | ---: |
{rows}

Mean validation accuracy: pretrained **{means['pretrained']:.3f}**, random initialisation **{means['random']:.3f}**
({comparison['difference_points']:+.1f} points). {comparison['verdict']}

Reproduce all runs and this file with `npm run compare` (flags in `tools/compare/main.ts`); the runs are:

```sh
{commands}
```"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, state = load_exported(args.model)
    tokenizer = WordPieceTokenizer.from_file(args.model / "vocab.txt")
    corpus_dir = args.work / "corpus"
    test_lines = (corpus_dir / "test.txt").read_text(encoding="utf-8").splitlines()
    results = {
        "step": state["step"],
        "heldout": heldout_metrics(model, tokenizer, test_lines, state["seq_len"]),
        "fill_mask": {sentence: fill_mask(model, tokenizer, sentence) for sentence in FILL_MASK_SENTENCES},
    }
    (args.model / "eval_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log_path = args.work / "train.log"
    comparison_paths = sorted(args.model.glob("finetune_comparison*.json"), key=lambda p: (p.stem != "finetune_comparison", p.name))
    card = render({
        **results,
        "comparisons": [json.loads(path.read_text(encoding="utf-8")) for path in comparison_paths],
        "state": state,
        "config": json.loads((args.model / "config.json").read_text(encoding="utf-8")),
        "corpus": corpus_stats(corpus_dir, tokenizer),
        "parameters": sum(p.numel() for p in model.parameters()),
        "wall_seconds": wall_seconds(log_path.read_text(encoding="utf-8").splitlines()) if log_path.exists() else 0.0,
        "cpu": _cpu_name(),
        "blas": _blas_name(),
        "torch": torch.__version__,
    })
    (args.model / "README.md").write_text(card, encoding="utf-8")
    print(f"wrote {args.model / 'README.md'} and eval_results.json for step {state['step']}")


def _cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _blas_name() -> str:
    """The BLAS behind Debian's libblas.so.3 alternative, which Debian's torch links against."""
    link = Path("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    target = str(link.resolve()) if link.exists() else ""
    if "openblas" in target:
        return "OpenBLAS (Debian `libopenblas0-pthread`)"
    return "Debian's reference BLAS" if target else "an unknown BLAS"


if __name__ == "__main__":
    main()
