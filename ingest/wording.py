"""Comparing two wordings of a unit: one diff for the chat, the API and the generators.

English is compared by tokens (words, with punctuation kept apart); Chinese by characters.
Full- and half-width brackets count as the same character.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_WIDTH = str.maketrans("（）", "()")
_EN_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\s+|[^\w\s]")

Tag = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Piece:
    """A stretch of the comparison: unchanged, only in the old wording, or only in the new."""

    tag: Tag
    text: str


def normalise(text: str) -> str:
    return text.translate(_WIDTH).strip()


def same_text(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def tokens(text: str, lang: str) -> list[str]:
    return list(text) if lang == "zh" else _EN_TOKEN.findall(text)


def compare(old: str, new: str, lang: str) -> list[Piece]:
    """The two wordings as a sequence of equal / deleted / inserted pieces (adjacent merged)."""
    a, b = tokens(normalise(old), lang), tokens(normalise(new), lang)
    pieces: list[Piece] = []

    def add(tag: Tag, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].tag == tag:
            pieces[-1] = Piece(tag, pieces[-1].text + text)
        else:
            pieces.append(Piece(tag, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("equal", "".join(a[i1:i2]))
            continue
        add("delete", "".join(a[i1:i2]))
        add("insert", "".join(b[j1:j2]))
    return pieces


def changed_stretch(old: str, new: str, lang: str, context: int = 3) -> tuple[str, str]:
    """What was removed and what was added, from the first change to the last, trimmed.

    For a one-line summary ("“…” became “…”"); English keeps ``context`` words before the
    change so the stretch reads as a phrase. Empty strings when the wordings agree.
    """
    a, b = tokens(normalise(old), lang), tokens(normalise(new), lang)
    ops = [
        op
        for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if not ops:
        return "", ""
    first, last = ops[0], ops[-1]
    start_a, start_b = first[1], first[3]
    words = 0
    while lang != "zh" and start_a > 0 and words < context:
        start_a, start_b = start_a - 1, start_b - 1  # the tokens before the change are shared
        words += a[start_a][0].isalnum()
    removed = "".join(a[start_a : last[2]]).strip(" ,，、;；")
    added = "".join(b[start_b : last[4]]).strip(" ,，、;；")
    return removed, added
