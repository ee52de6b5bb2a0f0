"""How a chunk is stored in Chroma: flat metadata for filtering plus the whole unit as JSON.

The collection is then the one record of a generation: the units table and the lexical index
are rebuilt from it, on any machine that can reach the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ingest.annotations.views import View
from ingest.units import Chunk

#: The metadata key holding the chunk's JSON, and the one holding its place in the corpus.
CHUNK_FIELD = "chunk"
ORDER_FIELD = "order"
TEXT_HASH_FIELD = "text_hash"


def text_hash(text: str, query: bool = False) -> str:
    """Key of an embedded text: unchanged texts keep their vectors across generations. A text
    embedded as a query (a view) is keyed apart from the same text embedded as a passage."""
    return hashlib.sha256((f"query: {text}" if query else text).encode()).hexdigest()


def to_metadata(chunk: Chunk, order: int) -> dict[str, str | int]:
    meta = chunk.chroma_metadata()
    meta[ORDER_FIELD] = order
    meta[TEXT_HASH_FIELD] = text_hash(chunk.embedding_text())
    meta[CHUNK_FIELD] = json.dumps(chunk.model_dump(mode="json"), ensure_ascii=False)
    return meta


def view_metadata(view: View, order: int) -> dict[str, str | int]:
    """A view's record: it names its unit (``id``) and carries no unit JSON, so the units
    table never mistakes it for a unit."""
    cid = view.unit
    return {
        "id": str(cid),
        "doc": cid.doc,
        "version": cid.version or "",
        "locator": cid.locator,
        "lang": view.lang,
        "view": view.kind,
        ORDER_FIELD: order,
        TEXT_HASH_FIELD: text_hash(view.text, query=True),
    }


def from_metadatas(metadatas: Iterable[Mapping[str, Any] | None]) -> list[Chunk]:
    """The chunks of a collection, in corpus order."""
    rows = [m for m in metadatas if m and CHUNK_FIELD in m]
    rows.sort(key=lambda m: int(m.get(ORDER_FIELD, 0)))
    return [Chunk.model_validate_json(str(m[CHUNK_FIELD])) for m in rows]
