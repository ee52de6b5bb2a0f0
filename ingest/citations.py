"""The citation-id grammar: ``<doc>[@<version>]#<locator>``.

Examples: ``rules@2024#art-14``, ``rules#art-14`` (any version),
``explanation#II.4``, ``draft-2012#art-15`` (a reference outside the corpus).
Sub-unit locators (``art-14.p2`` paragraph, ``art-15.i6`` item) name spans
inside a unit; the citable unit is the article.

This module is the only place that reads or prints ids.
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


@dataclass(frozen=True, order=True)
class CitationId:
    doc: str
    locator: str
    version: str | None = None

    @classmethod
    def parse(cls, text: str) -> CitationId:
        m = _ID_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise InvalidCitationId(
                f"{text!r} is not a citation id.",
                hint="Ids look like rules@2024#art-14, rules#art-14 or explanation#II.4.",
            )
        return cls(doc=m["doc"], locator=m["locator"], version=m["version"])

    def __str__(self) -> str:
        ver = f"@{self.version}" if self.version else ""
        return f"{self.doc}{ver}#{self.locator}"

    @property
    def unit(self) -> CitationId:
        """The citable unit this id points into (drops ``.pN``/``.iN``)."""
        return CitationId(self.doc, _SUB_RE.sub("", self.locator), self.version)

    def without_version(self) -> CitationId:
        return CitationId(self.doc, self.locator, None)

    def matches(self, predicted: CitationId | str) -> bool:
        """True when ``predicted`` cites what this (gold) id names.

        Doc and unit locator must agree; the version counts only when this id
        names one.
        """
        other = CitationId.parse(predicted) if isinstance(predicted, str) else predicted
        if (self.doc, self.unit.locator) != (other.doc, other.unit.locator):
            return False
        return self.version is None or self.version == other.version


def article_id(version: str, number: int, doc: str = "rules") -> str:
    return str(CitationId(doc, f"art-{number}", version))


def article_number(cid: CitationId) -> int | None:
    """Article number of an ``art-N`` locator, else None."""
    m = re.match(r"^art-(\d+)$", cid.unit.locator)
    return int(m.group(1)) if m else None
