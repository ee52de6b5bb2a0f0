"""Units for the kind of service a question names: those a provision refers to (Art. 8 → Art.
5), and one among the first retrieved that applies to it (a forum's Art. 9).

Art. 8 (what a filing hands in) refers to Art. 5, which applies to news, publishing and
education services: asked what a free education site's filing must include, the answer is
Art. 8 with Art. 5 beside it. Read from the annotations (whom each unit applies to) and the
corpus's own cross-references; the glossary gives the English words of a Chinese question.
"""

from __future__ import annotations

from functools import lru_cache

from langchain_core.documents import Document

from assistant.query import expansions
from assistant.subjects import kinds_named
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: Words of the annotated subjects that name no one in particular.
_GENERIC = frozenset(tokenize("services service providers provider all anyone"))


#: A glossary entry longer than this many words paraphrases a provision ("查询" → "publish lists
#: of providers that …"): its words name a kind of service only when the user's word itself
#: stands in the unit referred to ("新闻" in Art. 5).
_NAMING_WORDS = 4


@lru_cache(maxsize=256)  # retrieval and the plan read the same question
def _glossed(text: str) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    """The search words of ``text``, and each user's word it holds with the English corpus
    words the glossary gives for it."""
    return frozenset(tokenize(text)), tuple(
        (said, frozenset(tokenize(corpus))) for said, corpus in expansions(text, "en")
    )


def asked_words(text: str, unit_text: str = "") -> frozenset[str]:
    """The search words of ``text`` and the English corpus words its users' words stand for:
    a short gloss always, a long one when the user's word stands in ``unit_text``."""
    words, glosses = _glossed(text)
    out = set(words)
    for said, corpus in glosses:
        if len(corpus) <= _NAMING_WORDS or any(w in unit_text for w in said.split()):
            out |= corpus
    return frozenset(out)


def _subject_words(index: Index, unit: CitationId) -> set[str]:
    return {w for label in index.applies_to(unit) for w in tokenize(label)} - _GENERIC


def referred_for_whom(index: Index, unit: CitationId, text: str) -> list[CitationId]:
    """The units ``unit``'s text refers to that apply to a kind of service ``text`` names
    (in its words or, through the glossary, in the corpus's) which ``unit`` itself does not."""
    referred = index.refers_to(unit)
    if not referred:  # most units refer to none: the question's words are not read
        return []
    own = _subject_words(index, unit)
    out = []
    for other in referred:
        texts = " ".join(c.text for c in index.chunks_of(other))  # in both languages
        if (_subject_words(index, other) - own) & asked_words(text, texts):
            out.append(other)
    return out


#: Whom a provision for every provider applies to, in the annotations.
_EVERYONE = frozenset({"all providers", "anyone"})


def unit_for_the_kind_named(
    question: str, docs: list[Document], targets: list[int], index: Index
) -> int | None:
    """A unit among the first three that applies to the kind of service the question names
    (a forum, access), when the unit that would answer applies only to others ("our licence
    is pending; we add a BBS: anything special?" is answered by the BBS's article, not the
    licence conditions)."""
    kinds = set(kinds_named(question))
    first = targets[0] if targets else 1
    if not kinds or first > len(docs) or docs[first - 1].metadata.get("doc") != "rules":
        return None
    if index.applies_to(str(docs[first - 1].metadata["id"])) & (kinds | _EVERYONE):
        return None
    return next(
        (
            n
            for n, d in enumerate(docs[:3], start=1)
            if d.metadata.get("doc") == "rules" and index.applies_to(str(d.metadata["id"])) & kinds
        ),
        None,
    )
