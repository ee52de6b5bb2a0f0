"""Hybrid retrieval: exact references, BM25 and dense search, fused by reciprocal rank.

A LangChain ``BaseRetriever``: ``invoke(question)`` returns one ``Document`` per unit
(in the question's language where the unit has it), best first, with the unit's
metadata and the retrieval trace (``score``, ``rank``, ``via``, ``dense``, ``bm25``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.query import Analysis, analyze
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize
from ingest.units import Chunk

_VERSION_WORDS = frozenset(
    tokenize(
        "what changed change changes rules rule revision revised amended amendment 2024 2011 december "
        "january version versions wording wordings text law measures did how the with in between "
        "修改 修订 变化 改了 什么 版本 年"
    )
)


@dataclass
class _Hit:
    unit: str
    score: float = 0.0
    via: list[str] = field(default_factory=list)
    dense: float = 0.0
    bm25: float = 0.0


class HybridRetriever(BaseRetriever):
    """Units for a question from an opened :class:`~ingest.index.Index`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    embeddings: Any = None
    mode: str = "hybrid"  # hybrid | dense | bm25
    k: int = 8
    candidates: int = 20
    rrf_k: int = 60
    #: Up to this many chunks, dense search is an exact dot product in memory; above, the store's ANN.
    exact_search_max: int = 20_000
    #: Penalty questions follow cross-references from this many top units.
    link_depth: int = 3

    # -- analysis ------------------------------------------------------------
    def analyze(self, question: str) -> Analysis:
        articles, explanation = self._shape
        return analyze(
            question,
            articles=articles,
            explanation=explanation,
            versions=self.index.versions.get("rules") or None,
        )

    @property
    def _shape(self) -> tuple[int, set[str]]:
        """How many articles the Rules have and which Explanation locators exist (computed once)."""
        cached = self.__dict__.get("_shape_cache")
        if cached is None:
            rules = [c for c in self.index.chunks if c.doc == "rules"]
            articles = max((int(c.locator.split("-")[1]) for c in rules), default=0)
            explanation = {c.locator for c in self.index.chunks if c.doc == "explanation"}
            cached = self.__dict__["_shape_cache"] = (articles, explanation)
        return cached

    # -- the searches --------------------------------------------------------
    def _allowed(self, chunk: Chunk, a: Analysis) -> bool:
        return chunk.version is None or chunk.version in a.versions

    def _bm25(self, a: Analysis) -> list[tuple[str, float]]:
        retriever, ids = self.index.lexical
        tokens = tokenize(f"{a.text} {a.expansion}")
        if not tokens:
            return []
        docs, scores = retriever.retrieve(
            [tokens], k=min(len(ids), self.candidates * 4), show_progress=False, n_threads=1
        )
        out: dict[str, float] = {}
        for doc, score in zip(docs[0], scores[0], strict=True):
            chunk = self.index.by_chunk_id[ids[int(doc)]]
            if score > 0 and self._allowed(chunk, a) and chunk.id not in out:
                out[chunk.id] = float(score)
        return list(out.items())[: self.candidates]

    def _dense(self, a: Analysis) -> list[tuple[str, float]]:
        if self.embeddings is None:
            return []
        vector = self.embeddings.embed_query(a.text)
        k = min(len(self.index.chunks), self.candidates * 4)
        if len(self.index.chunks) <= self.exact_search_max:
            import numpy as np

            matrix, ids = self.index.dense_matrix(self.embeddings)
            q = np.asarray(vector, dtype=np.float32)
            q = q / (np.linalg.norm(q) + 1e-12)
            if len(ids) > 2000:
                # A multi-threaded BLAS spinning beside the embedder's own threads costs ~100 ms
                # on two cores; one thread does this product in well under a millisecond.
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=1, user_api="blas"):
                    scores = matrix @ q
            else:
                scores = matrix @ q
            top = np.argpartition(-scores, k - 1)[:k] if k < len(ids) else np.arange(len(ids))
            ranked = [(ids[i], float(scores[i])) for i in top[np.argsort(-scores[top])]]
        else:
            hits = self._store.similarity_search_by_vector_with_relevance_scores(vector, k=k)
            ranked = [
                (f"{d.metadata['id']}:{d.metadata['lang']}", 1.0 - float(dist)) for d, dist in hits
            ]
        out: dict[str, float] = {}
        for chunk_id, similarity in ranked:
            chunk = self.index.by_chunk_id.get(chunk_id)
            if chunk is not None and self._allowed(chunk, a) and chunk.id not in out:
                out[chunk.id] = similarity
        return list(out.items())[: self.candidates]

    @property
    def references(self) -> dict[str, list[str]]:
        """Link target (in the corpus or not) → ids of the units that refer to it."""
        cached = self.__dict__.get("_references")
        if cached is None:
            cached = defaultdict(list)
            for c in self.index.chunks:
                for link in c.links:
                    if c.id not in cached[link.target]:
                        cached[link.target].append(c.id)
            self.__dict__["_references"] = cached = dict(cached)
        return cached

    @property
    def linked_from(self) -> dict[str, list[str]]:
        """Unit id → ids of the units whose text refers to it (keys outside the corpus never match)."""
        return self.references

    @property
    def changed_units(self) -> list[str]:
        """Versioned ids of units whose wording differs between versions (any language)."""
        cached = self.__dict__.get("_changed")
        if cached is None:
            texts: dict[tuple[str, str, str], set[str]] = defaultdict(set)
            for c in self.index.chunks:
                if c.version:
                    norm = c.text.translate(str.maketrans("（）", "()"))
                    texts[(c.doc, c.locator, c.lang)].add(norm)
            changed = {(doc, loc) for (doc, loc, _), variants in texts.items() if len(variants) > 1}
            cached = [
                c.id for c in self.index.chunks if (c.doc, c.locator) in changed and c.lang == "en"
            ]
            cached = list(dict.fromkeys(cached))
            self.__dict__["_changed"] = cached
        return cached

    @property
    def _store(self) -> Any:
        store = self.__dict__.get("_store_cache")
        if store is None:
            store = self.index.vectorstore(self.embeddings)
            self.__dict__["_store_cache"] = store
        return store

    def _refs(self, a: Analysis) -> list[str]:
        units: list[str] = []
        for ref in a.refs:
            versions = (
                [ref.version] if ref.version else (a.versions if ref.doc == "rules" else [None])
            )
            for version in versions:
                cid = str(CitationId(ref.doc, ref.locator, version))
                if self.index.has(cid):
                    units.append(cid)
        for n in a.draft_articles:
            units += self.references.get(f"draft-2012#art-{n}", [])
        return list(dict.fromkeys(units))

    # -- fusion ----------------------------------------------------------------
    def search(self, question: str, analysis: Analysis | None = None) -> list[_Hit]:
        a = analysis or self.analyze(question)
        hits: dict[str, _Hit] = {}

        def hit(unit: str) -> _Hit:
            return hits.setdefault(unit, _Hit(unit))

        lists: list[tuple[str, list[tuple[str, float]]]] = []
        ranked: list[_Hit]
        if self.mode in ("hybrid", "bm25"):
            lists.append(("bm25", self._bm25(a)))
        if self.mode in ("hybrid", "dense"):
            lists.append(("dense", self._dense(a)))
        for name, results in lists:
            for rank, (unit, score) in enumerate(results):
                h = hit(unit)
                h.score += 1.0 / (self.rrf_k + rank + 1)
                h.via.append(name)
                setattr(h, name, max(getattr(h, name), score))
        if a.wants_draft:  # the Explanation is what describes the draft: lift its units
            for h in hits.values():
                if h.unit.startswith("explanation#"):
                    h.score *= 1.3
        if a.asks_penalty:  # the penalty articles cite the duty they punish ("violates Article 16")
            ranked = sorted(hits.values(), key=lambda h: -h.score)
            for h in ranked[: self.link_depth]:
                for source in self.linked_from.get(h.unit, []):
                    p = hit(source)
                    if p.score < h.score:
                        p.score = h.score * 0.999
                        p.via.append("link")
        if a.wants_versions:  # the other wording of a strong unit comes along
            for h in list(hits.values()):
                cid = CitationId.parse(h.unit)
                for version in a.versions:
                    twin = str(CitationId(cid.doc, cid.locator, version))
                    if cid.version and twin != h.unit and self.index.has(twin):
                        t = hit(twin)
                        t.score = max(t.score, h.score * 0.99)
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        if a.asks_change and not a.refs and ranked:  # "what changed?": the units that did
            topical = set(tokenize(a.remainder)) - _VERSION_WORDS
            top = ranked[0].score
            for unit in self.changed_units:
                if CitationId.parse(unit).version in a.versions:
                    h = hit(unit)
                    h.score = max(h.score, top * (1.01 if len(topical) <= 1 else 0.5))
                    h.via.append("versions")
            ranked = sorted(hits.values(), key=lambda h: -h.score)
        if a.wants_draft and len(ranked) > self.k:  # comparisons need the Rules' side in view too
            best_rule = next((h for h in ranked if h.unit.startswith("rules")), None)
            if best_rule is not None and ranked.index(best_rule) >= self.k - 1:
                best_rule.score = ranked[self.k - 2].score * 0.9999
            ranked = sorted(hits.values(), key=lambda h: -h.score)
        refs = self._refs(a)
        top = max((h.score for h in ranked), default=0.0) or 1.0
        for offset, unit in enumerate(reversed(refs)):
            h = hit(unit)
            h.score = top + 1.0 + offset  # named units first, in the order named
            h.via.insert(0, "ref")
        return sorted(hits.values(), key=lambda h: -h.score)

    def documents(self, hits: list[_Hit], lang: str) -> list[Document]:
        docs = []
        for rank, h in enumerate(hits[: self.k], start=1):
            chunks = self.index.by_id[h.unit]
            chunk = next((c for c in chunks if c.lang == lang), chunks[0])
            meta = chunk.model_dump(exclude={"text", "parts", "links"})
            meta.update(
                score=round(h.score, 6),
                rank=rank,
                via=h.via,
                dense=round(h.dense, 4),
                bm25=round(h.bm25, 4),
            )
            docs.append(Document(page_content=chunk.text, metadata=meta, id=chunk.chunk_id))
        return docs

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        a = self.analyze(query)
        return self.documents(self.search(query, a), a.lang)
