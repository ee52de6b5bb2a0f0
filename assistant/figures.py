"""The figures check for model-written answers.

A marker check proves that a sentence cites something retrieved; it cannot prove that the
sentence says what the source says. For the claims users act on — periods, deadlines,
amounts, counts, dates — this module checks the one thing that can be checked without a
model: every figure a sentence states must be stated by a unit that sentence cites. A sentence
that fails (or states a figure and cites nothing) is dropped and listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.numerals import zh_to_int

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?P<digits>\d[\d,，]*(?:\.\d+)?)\s*(?P<wan>万|million\b)?"
    r"|(?P<zh>[零〇一二两三四五六七八九十百千]+)(?P<zhwan>万)?(?=[日天个月年倍元条项种类周])"
    r"|\b(?P<word>" + "|".join(_WORDS) + r")\b",
    re.I,
)
_MARKER = re.compile(r"[\[【]\s*([^\[\]【】\n]{1,60}?)\s*[\]】]")
#: Where a sentence ends: 。!?！？, or "." before a space, a quote mark, a marker or the end
#: ("II.4", "2.5" go on); the markers right after it belong to the sentence.
_END = re.compile(
    r"(?:[。!?！？]|\.(?=\s|$|[\[【”\"]))[”\"]?(?:\s*[\[【][^\[\]【】\n]{1,60}[\]】])*"
)


def figures(text: str) -> set[float]:
    """The numbers a text states, as values: "RMB 5,000" → 5000, "5万元" → 50000,
    "六十日" → 60, "sixty days" → 60. Marker contents ("[1]") are not figures."""
    out: set[float] = set()
    for m in _NUMBER.finditer(_MARKER.sub(" ", text)):
        if m["digits"]:
            raw = m["digits"].replace(",", "").replace("，", "").rstrip(".")
            try:
                value = float(raw)
            except ValueError:
                continue
            if m["wan"]:
                value *= 10_000 if m["wan"] == "万" else 1_000_000
        elif m["zh"]:
            try:
                value = float(zh_to_int(m["zh"]))
            except ValueError:
                continue
            if m["zhwan"]:
                value *= 10_000
        else:
            value = float(_WORDS[m["word"].lower()])
        out.add(value)
    return out


def sentences(text: str) -> list[str]:
    """The text cut into sentences, each with the markers that follow it (newlines kept)."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        start = 0
        for m in _END.finditer(line):
            out.append(line[start : m.end()])
            start = m.end()
        if start < len(line):
            out.append(line[start:])
    return out


@dataclass(frozen=True)
class Checked:
    text: str
    dropped: list[str]


#: The texts a marker's unit vouches for (its text in every language, its id and title), or
#: None when the marker names nothing given.
Sources = Callable[[str], Iterable[str] | None]


def supported(sentence: str, sources: Sources) -> bool:
    stated = figures(sentence)
    if not stated:
        return True
    vouched: set[float] = set()
    for raw in _MARKER.findall(sentence):
        for part in re.split(r"\s*[,;，；]\s*", raw):
            for text in sources(part.strip()) or ():
                vouched |= figures(text)
    return bool(vouched) and stated <= vouched


def check(text: str, sources: Sources) -> Checked:
    """Drop the sentences whose figures no cited unit states."""
    kept, dropped = [], []
    for s in sentences(text):
        if supported(s, sources):
            kept.append(s)
        else:
            dropped.append(s.strip())
    return Checked(re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip(), dropped)


class SentenceGate:
    """The same check on a stream: text is released a whole sentence at a time (with its
    markers), once what follows shows the sentence is over."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.dropped: list[str] = []
        self._buffer = ""

    def feed(self, piece: str) -> str:
        self._buffer += piece
        parts = sentences(self._buffer)
        # a sentence is over once a word follows it (not only spaces, not a marker's "[")
        done = 0
        for i in range(len(parts) - 1):
            if re.match(r"\s*[^\s\[【]", "".join(parts[i + 1 :])):
                done = i + 1
        if not done:
            return ""
        self._buffer = "".join(parts[done:])
        return self._release(parts[:done])

    def flush(self) -> str:
        rest, self._buffer = self._buffer, ""
        return self._release([rest]) if rest else ""

    def _release(self, parts: list[str]) -> str:
        out = ""
        for s in parts:
            if supported(s, self.sources):
                out += s
            else:
                self.dropped.append(s.strip())
        return out
