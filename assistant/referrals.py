"""Units a provision refers to that apply to the kind of service a question names.

Art. 8 (what a filing hands in) refers to Art. 5, which applies to news, publishing and
education services: asked what a free education site's filing must include, the answer is
Art. 8 with Art. 5 beside it. Read from the annotations (whom each unit applies to) and the
corpus's own cross-references; the glossary gives the English words of a Chinese question.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.query import expansions
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: Words of the annotated subjects that name no one in particular.
_GENERIC = frozenset(tokenize("services service providers provider all anyone"))


@lru_cache(maxsize=256)  # retrieval and the plan read the same question
def asked_words(text: str) -> frozenset[str]:
    """The search words of ``text`` and the English corpus words its users' words stand for."""
    words = set(tokenize(text))
    for _, corpus in expansions(text, "en"):
        words |= set(tokenize(corpus))
    return frozenset(words)


def _subject_words(index: Index, unit: CitationId) -> set[str]:
    return {w for label in index.applies_to(unit) for w in tokenize(label)} - _GENERIC


def referred_for_whom(index: Index, unit: CitationId, text: str) -> list[CitationId]:
    """The units ``unit``'s text refers to that apply to a kind of service ``text`` names
    (in its words or, through the glossary, in the corpus's) which ``unit`` itself does not."""
    referred = index.refers_to(unit)
    if not referred:  # most units refer to none: the question's words are not read
        return []
    own = _subject_words(index, unit)
    asked = asked_words(text)
    return [other for other in referred if (_subject_words(index, other) - own) & asked]
