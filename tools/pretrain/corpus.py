"""Build the pretraining corpus: Debian's WordNet 3.0 (package wordnet-base) and the sources of sources.py.

Each synset yields one definition line ("dog, domestic dog: a member of the genus canis ...") and one line per
quoted usage example; the verb example frames of sents.vrb are filled with the verbs that sentidx.vrb lists
for them. Lines are whitespace-normalised, deduplicated, shuffled with a fixed seed and split into train/test per
source: `train.txt` holds every source's training lines (shuffled together), `test.txt` every source's held-out
lines, and `test-<source>.txt` each source's own, so held-out accuracy can be reported per source.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import sources

WORDNET_DIR = Path("/usr/share/wordnet")
POS_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
LEMMAS_PER_DEFINITION = 3
QUOTED = re.compile(r'"([^"]*)"')
# Adjective lemmas carry a syntactic marker such as "(a)", "(p)" or "(ip)".
ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")
SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def parse_lemmas(fields: list[str]) -> list[str]:
    """Lemmas of one data-file line; fields are the line split on spaces before the gloss."""
    count = int(fields[3], 16)
    words = fields[4 : 4 + 2 * count : 2]
    return [ADJ_MARKER.sub("", w).replace("_", " ") for w in words]


def split_gloss(gloss: str) -> tuple[str, list[str]]:
    """Split a gloss into its definition and its quoted examples.

    The definition is everything before the first quote (several senses may be joined by ';'); examples are
    the quoted strings, without attributions such as `- Shakespeare` that follow some of them.
    """
    first_quote = gloss.find('"')
    definition = gloss if first_quote < 0 else gloss[:first_quote]
    definition = normalise(definition).rstrip(";:, ").strip()
    examples = [normalise(q) for q in QUOTED.findall(gloss)]
    return definition, [e for e in examples if len(e.split()) >= 2]


def synset_lines(line: str) -> list[str]:
    """Corpus lines of one data-file line (empty for the licence header lines)."""
    if line.startswith("  ") or " | " not in line:
        return []
    head, gloss = line.split(" | ", 1)
    lemmas = parse_lemmas(head.split(" "))
    definition, examples = split_gloss(gloss)
    out = list(examples)
    if definition:
        out.append(f"{', '.join(lemmas[:LEMMAS_PER_DEFINITION])}: {definition}")
    return out


def verb_frame_lines(wordnet_dir: Path) -> list[str]:
    """Example frames of sents.vrb ("The children %s to the playground") filled with their verbs."""
    frames: dict[str, str] = {}
    for line in (wordnet_dir / "sents.vrb").read_text(encoding="latin-1").splitlines():
        number, _, frame = line.partition(" ")
        if frame:
            frames[number] = frame
    out: list[str] = []
    for line in (wordnet_dir / "sentidx.vrb").read_text(encoding="latin-1").splitlines():
        sense_key, _, numbers = line.partition(" ")
        verb = sense_key.split("%", 1)[0].replace("_", " ")
        out.extend(frames[n] % verb for n in numbers.split(",") if n in frames)
    return out


def build_lines(wordnet_dir: Path) -> list[str]:
    lines: list[str] = []
    for name in POS_FILES:
        # WordNet's data files are ASCII apart from a few Latin-1 bytes in old glosses.
        for raw in (wordnet_dir / name).read_text(encoding="latin-1").splitlines():
            lines.extend(synset_lines(raw))
    lines.extend(verb_frame_lines(wordnet_dir))
    return [normalise(line) for line in lines]


def dedupe_shuffle_split(lines: list[str], seed: int, test_fraction: float) -> tuple[list[str], list[str]]:
    unique = sorted(set(line for line in lines if line))
    random.Random(seed).shuffle(unique)
    n_test = round(len(unique) * test_fraction)
    return unique[n_test:], unique[:n_test]


def build_corpus(out: Path, cache: Path, seed: int = 0, test_fraction: float = 0.02,
                 wordnet_dir: Path = WORDNET_DIR) -> dict[str, dict[str, int]]:
    """Write train.txt, test.txt and test-<source>.txt to out; returns lines and words per source and split."""
    builders = {"wordnet": lambda _: build_lines(wordnet_dir), **sources.SOURCES}
    train_all: list[str] = []
    test_all: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    out.mkdir(parents=True, exist_ok=True)
    for name, build in builders.items():
        train, test = dedupe_shuffle_split(build(cache), seed, test_fraction)
        (out / f"test-{name}.txt").write_text("\n".join(test) + "\n", encoding="utf-8")
        train_all.extend(train)
        test_all.extend(test)
        counts[name] = {
            "train_lines": len(train), "train_words": sum(len(line.split()) for line in train),
            "test_lines": len(test), "test_words": sum(len(line.split()) for line in test),
        }
    random.Random(seed).shuffle(train_all)
    (out / "train.txt").write_text("\n".join(train_all) + "\n", encoding="utf-8")
    (out / "test.txt").write_text("\n".join(test_all) + "\n", encoding="utf-8")
    (out / "sources.json").write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wordnet-dir", type=Path, default=WORDNET_DIR)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "work" / "corpus")
    parser.add_argument("--cache", type=Path, default=Path(__file__).parent / "work" / "npm")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-fraction", type=float, default=0.02)
    args = parser.parse_args()
    counts = build_corpus(args.out, args.cache, args.seed, args.test_fraction, args.wordnet_dir)
    for name, c in counts.items():
        print(f"{name}: train {c['train_lines']} lines ({c['train_words']} words), test {c['test_lines']} lines")


if __name__ == "__main__":
    main()
