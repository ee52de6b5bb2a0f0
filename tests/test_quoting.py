"""Quoting: pieces of one paragraph that cover most of it are quoted as the whole paragraph."""

from __future__ import annotations

from assistant.generators.quoting import Pick, _whole_paragraphs
from assistant.sentences import Sentence


def _pick(n: int, start: int, end: int, part: str = "II.1") -> Pick:
    return Pick(1.0, n, Sentence("explanation#II.1", "en", start, end, "x", frozenset(), part))


def test_most_of_a_paragraph_in_pieces_is_quoted_whole() -> None:
    # a 400-character paragraph (100-500); three pieces cover 300 of it
    stretches = [
        (_pick(1, 200, 300), 200, 300, 100, 500),
        (_pick(1, 100, 150), 100, 150, 100, 500),
        (_pick(1, 350, 500), 350, 500, 100, 500),
    ]
    [(pick, start, end, _, _)] = _whole_paragraphs(stretches)
    assert (start, end) == (100, 500) and pick is stretches[0][0]


def test_a_little_of_a_long_paragraph_stays_in_pieces() -> None:
    few = [
        (_pick(1, 100, 150), 100, 150, 100, 500),
        (_pick(1, 400, 450), 400, 450, 100, 500),
    ]
    assert _whole_paragraphs(few) == few
    # one piece alone is never widened, nor pieces of other paragraphs or units
    alone = [(_pick(1, 100, 400), 100, 400, 100, 500)]
    assert _whole_paragraphs(alone) == alone
    apart = [
        (_pick(1, 100, 400), 100, 400, 100, 500),
        (_pick(2, 100, 400), 100, 400, 100, 500),
    ]
    assert _whole_paragraphs(apart) == apart


def test_a_paragraph_too_long_to_quote_whole_stays_in_pieces() -> None:
    long = [
        (_pick(1, 0, 800), 0, 800, 0, 1500),
        (_pick(1, 900, 1500), 900, 1500, 0, 1500),
    ]
    assert _whole_paragraphs(long) == long
