"""What the annotations add to search: extra views of a unit, and the links the law makes.

A *view* is a short text that stands for a unit — the phrases users type for one of its
provisions, or a question the provision answers. Views are stored and searched beside the
units (BM25 documents and embedded records that name the same unit id), so a question phrased
as users phrase it can reach the unit whose own words differ.

*Links* are the structure a lawyer reads: which sanction article punishes a provision, and
which Explanation point proposes to revise which article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ingest.citations import CitationId
from ingest.units import Chunk

TOPICS = "topics"
QUESTION = "question"


@dataclass(frozen=True)
class View:
    unit: CitationId
    lang: str  # the language of the view's text
    kind: str  # TOPICS or QUESTION
    text: str


def views_of(chunks: list[Chunk]) -> list[View]:
    """Every view of every annotated unit (once per unit, whatever its languages)."""
    out: dict[tuple[CitationId, str, str], None] = {}
    for c in chunks:
        for p in c.annotations:
            for lang, phrases in (("en", p.topics.en), ("zh", p.topics.zh)):
                if phrases:
                    out[(c.cid, lang, TOPICS + "\n" + "; ".join(phrases))] = None
            for lang, questions in (("en", p.questions.en), ("zh", p.questions.zh)):
                for q in questions:
                    out[(c.cid, lang, QUESTION + "\n" + q)] = None
    return [
        View(unit, lang, text.split("\n", 1)[0], text.split("\n", 1)[1]) for unit, lang, text in out
    ]


def _article(doc: str, locator: str, version: str | None) -> CitationId:
    return CitationId(doc, locator, version).unit


def sanction_links(chunks: list[Chunk]) -> dict[CitationId, list[CitationId]]:
    """Unit of a punished provision → the units of the sanction provisions that punish it."""
    out: dict[CitationId, list[CitationId]] = defaultdict(list)
    for c in chunks:
        for p in c.annotations:
            for s in p.sanctions:
                for target in s.punishes:
                    punished = _article("rules", target, c.version)
                    if c.cid not in out[punished]:
                        out[punished].append(c.cid)
    return dict(out)


def revision_links(chunks: list[Chunk]) -> dict[CitationId, list[CitationId]]:
    """Both ways: an Explanation point → the Rules articles it revises (unversioned), and an
    unversioned Rules article → the points that revise it."""
    out: dict[CitationId, list[CitationId]] = defaultdict(list)
    for c in chunks:
        for p in c.annotations:
            for target in p.revises:
                article = _article("rules", target, None)
                for a, b in ((c.cid, article), (article, c.cid)):
                    if b not in out[a]:
                        out[a].append(b)
    return dict(out)
