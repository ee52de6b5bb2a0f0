"""Units a provision refers to that apply to the kind of service a question names.

Art. 8 (what a filing hands in) refers to Art. 5, which applies to news, publishing and
education services: asked what a free education site's filing must include, the answer is
Art. 8 with Art. 5 beside it. Read from the annotations (whom each unit applies to) and the
corpus's own cross-references; the glossary gives the English words of a Chinese question.
"""

from __future__ import annotations

from assistant.query import expansions
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: Words of the annotated subjects that name no one in particular.
_GENERIC = frozenset(tokenize("services service providers provider all anyone"))


def asked_words(text: str) -> set[str]:
    """The search words of ``text`` and the English corpus words its users' words stand for."""
    words = set(tokenize(text))
    for _, corpus in expansions(text, "en"):
        words |= set(tokenize(corpus))
    return words


def _subject_words(index: Index, unit: CitationId) -> set[str]:
    return {w for label in index.applies_to(unit) for w in tokenize(label)} - _GENERIC


def referred_for_whom(index: Index, unit: CitationId, asked: set[str]) -> list[CitationId]:
    """The units ``unit``'s text refers to that apply to a kind of service named in ``asked``
    (see :func:`asked_words`) which ``unit`` itself does not name."""
    own = _subject_words(index, unit)
    return [
        other for other in index.refers_to(unit) if (_subject_words(index, other) - own) & asked
    ]
