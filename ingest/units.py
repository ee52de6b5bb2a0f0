"""The unit model: what ingest produces and everything else cites.

A *unit* is a citable piece of a document (an article of the Rules, a point of
the Explanation) named by a citation id. A unit may exist in several languages;
each language is one :class:`Chunk` — the same id, its own text and offsets.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, Field

from ingest.annotations.schema import Provision
from ingest.citations import ChunkKey, CitationId

SpanKind = Literal["paragraph", "item"]


class Span(BaseModel):
    """A paragraph or numbered item inside a unit (``art-14.p2``, ``art-15.i6``)."""

    locator: str
    kind: SpanKind
    start: int = Field(description="Offset into the source file (characters).")
    end: int


class Link(BaseModel):
    """A reference from a unit to another unit, inside the corpus or not."""

    target: str = Field(description="Citation id of the referenced unit.")
    in_corpus: bool
    start: int
    end: int


class Chunk(BaseModel):
    """One language of one unit, with offsets into its source file.

    ``source_text[start:end] == text`` for the file the chunk came from.
    """

    id: str
    doc: str
    version: str | None = None
    locator: str
    lang: str
    title: str
    text: str
    source: str = Field(description="File name of the source, relative to its corpus folder.")
    start: int
    end: int
    status: str = ""
    date: str = ""
    doc_title: str = ""
    parent: str | None = None
    parts: list[Span] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    #: What corpus/annotations says about this unit's provisions (checked at ingest).
    annotations: list[Provision] = Field(default_factory=list)

    @property
    def cid(self) -> CitationId:
        return CitationId.parse(self.id)

    @property
    def key(self) -> ChunkKey:
        """(unit id, language): how the store and the lexical index name this chunk."""
        return ChunkKey(self.cid, self.lang)

    @property
    def content_hash(self) -> str:
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def span_text(self, span: Span) -> str:
        return self.text[span.start - self.start : span.end - self.start]

    def embedding_text(self) -> str:
        """What the embedder sees: where the text sits, then the text."""
        return f"{self.doc_title} — {self.title}\n{self.text}"

    def chroma_metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (no lists, no None)."""
        return {
            "id": self.id,
            "doc": self.doc,
            "version": self.version or "",
            "locator": self.locator,
            "lang": self.lang,
            "title": self.title,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "hash": self.content_hash,
            "view": "unit",
        }
