"""The citation-id grammar: ``<doc>[@<version>]#<locator>``, and the chunk key.

Examples: ``rules@2024#art-14``, ``rules#art-14`` (any version),
``explanation#II.4``, ``draft-2012#art-15`` (a reference outside the corpus).
Sub-unit locators (``art-14.p2`` paragraph, ``art-15.i6`` item) name spans
inside a unit; the citable unit is the article.

This module is the only place that builds, prints, parses or splits ids and chunk keys;
everything else goes through :class:`CitationId` and :class:`ChunkKey` (a test keeps it so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import InvalidCitationId

_ID_RE = re.compile(
    r"^(?P<doc>[a-z][a-z0-9-]*)(?:@(?P<version>[0-9A-Za-z][0-9A-Za-z.-]*))?"
    r"#(?P<locator>[A-Za-z0-9][A-Za-z0-9.-]*)$"
)
_SUB_RE = re.compile(r"(?:\.[pi]\d+)+$")
_ARTICLE_RE = re.compile(r"^art-(\d+)$")
_KEY_RE = re.compile(r"^(?P<id>[^:\s]+):(?P<lang>[a-z]{2,3})$")

#: The document whose articles the Explanation's references to the 2012 draft point at.
DRAFT_DOC = "draft-2012"
_SUB_KINDS = {"paragraph": "p", "item": "i"}


@dataclass(frozen=True, order=True)
class CitationId:
    doc: str
    locator: str
    version: str | None = None

    # -- building ---------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | CitationId) -> CitationId:
        if isinstance(text, CitationId):
            return text
        m = _ID_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise InvalidCitationId(
                f"{text!r} is not a citation id.",
                hint="Ids look like rules@2024#art-14, rules#art-14 or explanation#II.4.",
            )
        return cls(doc=m["doc"], locator=m["locator"], version=m["version"])

    @classmethod
    def is_valid(cls, text: object) -> bool:
        return isinstance(text, str) and bool(_ID_RE.match(text.strip()))

    @classmethod
    def article(cls, number: int, version: str | None = None, doc: str = "rules") -> CitationId:
        return cls(doc, f"art-{number}", version)

    @classmethod
    def draft_article(cls, number: int) -> CitationId:
        """An article of the 2012 draft (not in the corpus; the Explanation refers to it)."""
        return cls.article(number, doc=DRAFT_DOC)

    def sub(self, kind: str, number: int) -> CitationId:
        """The ``number``-th paragraph or item inside this unit (``art-14.p2``, ``art-15.i6``)."""
        return CitationId(self.doc, f"{self.locator}.{_SUB_KINDS[kind]}{number}", self.version)

    def point(self, number: int) -> CitationId:
        """The ``number``-th numbered point under this unit of the Explanation (``I`` → ``I.2``);
        whether the corpus has it is the index's to say."""
        return CitationId(self.doc, f"{self.locator}.{number}", self.version)

    def with_version(self, version: str | None) -> CitationId:
        return CitationId(self.doc, self.locator, version)

    def without_version(self) -> CitationId:
        return CitationId(self.doc, self.locator, None)

    # -- reading ----------------------------------------------------------------
    def __str__(self) -> str:
        return f"{document_label(self.doc, self.version)}#{self.locator}"

    @property
    def unit(self) -> CitationId:
        """The citable unit this id points into (drops ``.pN``/``.iN``)."""
        return CitationId(self.doc, _SUB_RE.sub("", self.locator), self.version)

    @property
    def article_number(self) -> int | None:
        """Article number of an ``art-N`` locator, else None."""
        m = _ARTICLE_RE.match(self.unit.locator)
        return int(m.group(1)) if m else None

    @property
    def part(self) -> tuple[str, int] | None:
        """("paragraph", 2) for ``art-14.p2``, ("item", 6) for ``art-15.i6``; None for a unit."""
        m = re.search(r"\.([pi])(\d+)$", self.locator)
        if not m:
            return None
        return ("paragraph" if m.group(1) == "p" else "item"), int(m.group(2))

    @property
    def is_draft(self) -> bool:
        return self.doc == DRAFT_DOC

    def same_unit(self, other: CitationId | str) -> bool:
        """Same document and unit, whatever the versions."""
        o = CitationId.parse(other)
        return (self.doc, self.unit.locator) == (o.doc, o.unit.locator)

    def matches(self, predicted: CitationId | str) -> bool:
        """True when ``predicted`` cites what this (gold) id names.

        Doc and unit locator must agree; the version counts only when this id names one.
        """
        other = CitationId.parse(predicted)
        if not self.same_unit(other):
            return False
        return self.version is None or self.version == other.version


def document_label(doc: str, version: str | None) -> str:
    """``rules@2024`` / ``explanation``: the part of an id before ``#``."""
    return f"{doc}@{version}" if version else doc


@dataclass(frozen=True, order=True)
class ChunkKey:
    """One language of one unit: the key of a chunk in the store and the lexical index."""

    unit: CitationId
    lang: str

    def __str__(self) -> str:
        return f"{self.unit}:{self.lang}"

    @classmethod
    def parse(cls, text: str) -> ChunkKey:
        m = _match(_KEY_RE, text, "a chunk key (<citation id>:<language>)")
        return cls(CitationId.parse(m["id"]), m["lang"])


_QUOTE_RE = re.compile(r"^(?P<key>[^|\s]+)\|(?P<start>\d+)\|(?P<end>\d+)$")


@dataclass(frozen=True)
class QuoteRef:
    """A quoted span of one chunk (offsets into its source file), as the chat's chips carry it."""

    key: ChunkKey
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.key}|{self.start}|{self.end}"

    @classmethod
    def parse(cls, text: str) -> QuoteRef:
        m = _match(_QUOTE_RE, text, "a quote reference (<key>|<start>|<end>)")
        return cls(ChunkKey.parse(m["key"]), int(m["start"]), int(m["end"]))


def _match(pattern: re.Pattern[str], text: object, what: str) -> re.Match[str]:
    m = pattern.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise InvalidCitationId(f"{text!r} is not {what}.")
    return m
