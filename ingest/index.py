"""Reading a finished index generation: its units, its vectors, its BM25 data."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.citations import ChunkKey, CitationId
from ingest.errors import IndexError_, UnknownUnitError
from ingest.settings import IndexSettings
from ingest.store import META, VECTOR_IDS, VECTORS, Layout, collection_name, open_client, read_json
from ingest.units import Chunk

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings


class Index:
    """One index generation, opened for reading. Safe to share between threads."""

    def __init__(self, settings: IndexSettings, generation: str) -> None:
        self.settings = settings
        self.layout = Layout(settings.data_dir)
        self.generation = generation
        self.folder: Path = self.layout.generation(generation)
        self.meta: dict[str, Any] = read_json(self.folder / META)
        self.chunks: list[Chunk] = [
            Chunk.model_validate(c) for c in read_json(self.folder / "units.json")
        ]
        self._lock = threading.RLock()

    @classmethod
    def open(cls, settings: IndexSettings) -> Index:
        return cls(settings, Layout(settings.data_dir).require_current())

    def is_current(self) -> bool:
        return self.layout.current_id() == self.generation

    # -- units ---------------------------------------------------------------
    @cached_property
    def by_key(self) -> dict[ChunkKey, Chunk]:
        return {c.key: c for c in self.chunks}

    @cached_property
    def _by_unit(self) -> dict[CitationId, list[Chunk]]:
        out: dict[CitationId, list[Chunk]] = defaultdict(list)
        for c in self.chunks:
            out[c.cid].append(c)
        return dict(out)

    def unit_ids(self) -> list[CitationId]:
        """Every citable unit, in corpus order."""
        return list(self._by_unit)

    def chunks_of(self, cid: str | CitationId) -> list[Chunk]:
        """Every language of a unit (sub-locators allowed); empty when there is no such unit."""
        try:
            parsed = CitationId.parse(cid)
        except ValueError:
            return []
        return self._by_unit.get(parsed.unit, [])

    def versions_of(self, cid: str | CitationId) -> list[CitationId]:
        """The same unit in every wording the corpus has, oldest first (itself when unversioned)."""
        parsed = CitationId.parse(cid).unit
        twins = [u for u in self._by_unit if u.same_unit(parsed)]
        return sorted(twins, key=lambda u: u.version or "")

    def linked_from(self, cid: str | CitationId) -> list[CitationId]:
        """Units whose text refers to ``cid`` (a unit, or a target outside the corpus)."""
        return list(self._references.get(CitationId.parse(cid).unit, []))

    @cached_property
    def _references(self) -> dict[CitationId, list[CitationId]]:
        out: dict[CitationId, list[CitationId]] = defaultdict(list)
        for c in self.chunks:
            for link in c.links:
                target = CitationId.parse(link.target)
                if c.cid not in out[target]:
                    out[target].append(c.cid)
        return dict(out)

    def articles(self, doc: str = "rules", version: str | None = None) -> int:
        """How many articles a document has (in one version, or its latest)."""
        version = version or next(reversed(self.versions.get(doc) or [""]), None) or None
        return sum(1 for u in self._by_unit if u.doc == doc and u.version == version)

    @cached_property
    def changed_units(self) -> list[CitationId]:
        """Versioned units whose wording differs between versions (in any language)."""
        from ingest.wording import same_text

        out: list[CitationId] = []
        for unit in self._by_unit:
            if unit.version is None:
                continue
            twins = [self._by_unit[v] for v in self.versions_of(unit)]
            for lang in {c.lang for c in self._by_unit[unit]}:
                texts = [c.text for chunks in twins for c in chunks if c.lang == lang]
                if len(texts) > 1 and not all(same_text(texts[0], t) for t in texts[1:]):
                    out.append(unit)
                    break
        return out

    @cached_property
    def versions(self) -> dict[str, list[str]]:
        """Versions per doc, oldest first (``{"rules": ["2011", "2024"]}``)."""
        out: dict[str, set[str]] = defaultdict(set)
        for c in self.chunks:
            if c.version:
                out[c.doc].add(c.version)
        return {doc: sorted(v) for doc, v in out.items()}

    def unit(self, cid: str | CitationId, lang: str | None = None) -> Chunk:
        """The chunk of a unit in ``lang`` (or its first language); sub-locators allowed."""
        parsed = CitationId.parse(cid)
        chunks = self._by_unit.get(parsed.unit)
        if not chunks:
            raise UnknownUnitError(
                f"There is no unit {parsed} in the corpus.", hint="`regqa corpus` lists every unit."
            )
        return next((c for c in chunks if c.lang == lang), chunks[0])

    def has(self, cid: str | CitationId) -> bool:
        return bool(self.chunks_of(cid))

    # -- search structures ---------------------------------------------------
    def vectorstore(self, embeddings: Embeddings | None) -> Chroma:
        from langchain_chroma import Chroma

        remote = bool(self.settings.chroma_url)
        with self._lock:
            client = open_client(self.settings, None if remote else self.folder)
        return Chroma(
            collection_name=collection_name(self.generation, remote),
            embedding_function=embeddings,
            client=client,
            create_collection_if_not_exists=False,
        )

    def dense_matrix(self, embeddings: Embeddings | None) -> tuple[Any, list[ChunkKey]]:
        """All vectors of the generation in memory (normalised rows) and their chunk ids.

        For small collections an exact dot product beats a round trip through the store's
        index; built once per generation.
        """
        cached = self.__dict__.get("_dense_matrix")
        if cached is None and (self.folder / VECTORS).is_file():
            import numpy as np

            matrix = np.load(self.folder / VECTORS).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
            ids = [ChunkKey.parse(k) for k in json.loads((self.folder / VECTOR_IDS).read_text())]
            cached = self.__dict__["_dense_matrix"] = (matrix, ids)
        if cached is None:
            import numpy as np

            with self._lock:
                data = self.vectorstore(embeddings)._collection.get(
                    include=["embeddings", "metadatas"]
                )
            ids = [
                ChunkKey(CitationId.parse(str(m["id"])), str(m["lang"]))
                for m in data["metadatas"] or []
            ]
            matrix = np.asarray(data["embeddings"], dtype=np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
            cached = self.__dict__["_dense_matrix"] = (matrix, ids)
        return cached

    @cached_property
    def lexical(self) -> tuple[Any, list[ChunkKey]]:
        """The bm25s retriever and the chunk id of each of its documents."""
        import bm25s

        folder = self.folder / "bm25"
        try:
            retriever = bm25s.BM25.load(str(folder))
            ids = [ChunkKey.parse(k) for k in json.loads((folder / "chunk_ids.json").read_text())]
        except (OSError, ValueError) as err:
            raise IndexError_(
                f"The BM25 data in {folder} cannot be read ({err}).",
                hint="Run `regqa ingest --force` to rebuild the index.",
            ) from None
        return retriever, ids
