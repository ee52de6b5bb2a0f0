"""Hybrid retrieval: exact references, BM25 and dense search, fused by reciprocal rank.

A LangChain ``BaseRetriever``, and the pipeline calls it as one: ``invoke(question)`` (or
``invoke(question, analysis=a)`` when the question is already analysed) returns one
``Document`` per unit (in the question's language where the unit has it), best first, with
the unit's metadata and the retrieval trace (``score``, ``rank``, ``via``, ``dense``,
``bm25``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.analysis import Analyser
from assistant.changes import matter_named
from assistant.fusion import DEFAULT_WEIGHTS, FUSION_WEIGHTS, rrf_shares, weighted_shares
from assistant.query import Analysis
from assistant.referrals import referred_for_whom
from assistant.sanctions import named_prohibitions
from assistant.subjects import described_kind, subject_of
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: The kinds of provider a question can name (assistant.subjects) whose units are told apart.
_PROVIDER_KINDS = frozenset({"commercial providers", "non-commercial providers"})
_EVERYONE = frozenset({"all providers", "anyone"})
#: The provision kinds that answer each intent (``assistant.intent``).
KINDS_FOR_INTENT = {
    "regime": frozenset({"regime"}),
    "obligation": frozenset({"duty", "procedure"}),
    "permission": frozenset({"prohibition", "permission"}),
    "definition": frozenset({"definition"}),
    "purpose": frozenset({"purpose"}),
}


@dataclass
class _Hit:
    unit: CitationId
    score: float = 0.0
    via: list[str] = field(default_factory=list)
    dense: float = 0.0
    bm25: float = 0.0
    views: float = 0.0
    ranker: float = 0.0


class HybridRetriever(BaseRetriever):
    """Units for a question from an opened :class:`~ingest.index.Index`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    analyser: Analyser
    embeddings: Any = None
    #: A :class:`~assistant.ranker.ViewRanker` learned from the views, or None.
    ranker: Any = None
    mode: str = "hybrid"  # hybrid | dense | bm25
    #: Documents returned (the retrieval trace an answer reports).
    k: int = 20
    #: Units the generator will read; comparisons keep a Rules unit inside this window.
    window: int = 5
    candidates: int = 20
    #: ``weighted``: each list's scores normalised (BM25 by the list's best, cosine min-max over
    #: the list) and summed with ``weights``; ``rrf``: reciprocal rank fusion, every list equal.
    fusion: str = "weighted"
    #: A unit's dense views score is the mean similarity of its this many nearest views.
    view_votes: int = 3
    #: What each list counts for in weighted fusion; None: the embedder's (``FUSION_WEIGHTS``).
    weights: dict[str, float] | None = None
    rrf_k: int = 60
    #: Penalty questions follow cross-references from this many top units.
    link_depth: int = 3
    #: What the annotation layer adds (each can be switched off to measure it).
    views: bool = True  # users' phrases and questions as extra searchable views of a unit
    sanction_links: bool = True  # a duty → the provision that punishes it
    revision_links: bool = True  # a draft point ↔ the article it revises
    #: Units (among the first ``window``) whose provisions are of the kind the question asks
    #: for (a regime, a duty, a prohibition, a definition) are lifted by this factor.
    kind_lift: float = 1.1
    #: Units (among the first ``window``) that apply only to another kind of provider than the
    #: one the question names are scaled by this.
    subject_fit: float = 0.8

    # -- the searches --------------------------------------------------------
    def _wanted(self, unit: CitationId, a: Analysis) -> bool:
        """The unit is unversioned or in one of the wordings the question asks about."""
        return unit.version is None or unit.version in a.versions

    def _bm25(self, a: Analysis, views: bool = False) -> list[tuple[CitationId, float]]:
        """BM25 over the units' texts, or (``views``) over their annotated phrases and questions."""
        lexical = self.index.lexical_views if views else self.index.lexical
        tokens = tokenize(f"{a.text} {a.expansion}")
        if not tokens or lexical is None:
            return []
        retriever, ids = lexical
        docs, scores = retriever.retrieve(
            [tokens], k=min(len(ids), self.candidates * 4), show_progress=False, n_threads=1
        )
        out: dict[CitationId, float] = {}
        for doc, score in zip(docs[0], scores[0], strict=True):
            unit = ids[int(doc)].unit  # the key names the unit: no chunk to look up
            if score > 0 and self._wanted(unit, a) and unit not in out:
                out[unit] = float(score)
        return list(out.items())[: self.candidates]

    def _dense(
        self, a: Analysis
    ) -> tuple[list[tuple[CitationId, float]], list[tuple[CitationId, float]]]:
        """Nearest units, and nearest views, in the generation's Chroma collection (cosine), in
        the wanted wordings: two lists, so a view's closeness ranks its unit but never stands
        in for the unit's own similarity (which the relevance gate reads)."""
        if self.embeddings is None:
            return [], []
        vector = self.embeddings.embed_query(a.text)
        wordings = [*a.versions, ""]
        if not self.index.views:  # nothing annotated: every record is a unit
            return self._nearest(vector, wordings, None), []
        units = self._nearest(vector, wordings, False)
        if not self.views:
            return units, []
        return units, self._nearest_views(vector, wordings)

    def _nearest_views(
        self, vector: list[float], wordings: list[str]
    ) -> list[tuple[CitationId, float]]:
        """Units by their nearest views: the mean similarity of a unit's ``view_votes`` closest
        views (a unit has a dozen users' questions; one close phrasing is weaker evidence than
        several). A unit with fewer views among those returned counts the last one returned
        for each missing view."""
        found = self.index.nearest(vector, self.candidates * 6, versions=wordings, views=True)
        if not found:
            return []
        floor = found[-1][2]
        per: dict[CitationId, list[float]] = {}
        for cid, _, similarity in found:
            per.setdefault(cid, []).append(similarity)
        votes = max(1, self.view_votes)
        scored = {cid: sum((sims + [floor] * votes)[:votes]) / votes for cid, sims in per.items()}
        ranked = sorted(scored.items(), key=lambda item: -item[1])
        return ranked[: self.candidates]

    def _nearest(
        self, vector: list[float], wordings: list[str], views: bool | None
    ) -> list[tuple[CitationId, float]]:
        """Nearest units by their own records, each unit once, best first."""
        found: dict[CitationId, float] = {}
        for cid, is_view, similarity in self.index.nearest(
            vector, self.candidates * 2, versions=wordings, views=views
        ):
            if not is_view and cid not in found:
                found[cid] = similarity
        return list(found.items())[: self.candidates]

    def _ranked(self, a: Analysis) -> list[tuple[CitationId, float]]:
        """Units by the learned ranker's probability, in the wanted wordings."""
        vector = self.embeddings.embed_query(a.text) if self.embeddings is not None else None
        out: list[tuple[CitationId, float]] = []
        for label, p in self.ranker.scores(a.text, vector).items():
            for cid in self.index.versions_of(label):
                if cid.version is None or cid.version in a.versions:
                    out.append((cid, p))
        return sorted(out, key=lambda item: -item[1])[: self.candidates]

    def _refs(self, a: Analysis) -> list[CitationId]:
        units: list[CitationId] = []
        for ref in a.refs:
            for cid in self.index.versions_of(ref):
                wanted = [ref.version] if ref.version else [None, *a.versions]
                if cid.version in wanted:
                    units.append(cid)
        for n in a.draft_articles:
            units += self.index.linked_from(CitationId.draft_article(n))
        return list(dict.fromkeys(units))

    # -- fusion ----------------------------------------------------------------
    def _shares(
        self, name: str, results: list[tuple[CitationId, float]], lexical_best: float = 0.0
    ) -> list[float]:
        """What each result of one list adds to its unit's fused score."""
        if self.fusion == "rrf":
            return rrf_shares(len(results), self.rrf_k)
        weights = self.weights or FUSION_WEIGHTS.get(
            str(self.index.meta.get("embedder")), DEFAULT_WEIGHTS
        )
        views = bool(self.index.views and self.views)
        return weighted_shares(name, [score for _, score in results], weights, views, lexical_best)

    def search(
        self,
        question: str,
        analysis: Analysis | None = None,
        anchors: list[CitationId] | None = None,
    ) -> list[_Hit]:
        """Units for ``question``, best first; ``anchors`` (units the conversation settled on)
        go above the rest, after any unit the question names."""
        a = analysis or self.analyser.analyze(question)
        hits: dict[CitationId, _Hit] = {}

        def hit(unit: CitationId) -> _Hit:
            return hits.setdefault(unit, _Hit(unit))

        # (list, the hit's field it records, results)
        lists: list[tuple[str, str, list[tuple[CitationId, float]]]] = []
        ranked: list[_Hit]
        if self.mode in ("hybrid", "bm25"):
            lists.append(("bm25", "bm25", self._bm25(a)))
            if self.views:
                lists.append(("bm25_views", "views", self._bm25(a, views=True)))
        if self.mode in ("hybrid", "dense"):
            dense, dense_views = self._dense(a)
            lists.append(("dense", "dense", dense))
            if dense_views:
                lists.append(("dense_views", "views", dense_views))
        if self.ranker is not None and self.views and self.mode != "dense":
            lists.append(("ranker", "ranker", self._ranked(a)))
        # BM25 scores are shares of the best lexical match of either list: a faint match that
        # tops one list does not count as much as a strong one
        lexical_best = max(
            (
                score
                for name, _, results in lists
                if name.startswith("bm25")
                for _, score in results
            ),
            default=0.0,
        )
        for name, field_, results in lists:
            shares = self._shares(name, results, lexical_best)
            for unit, share in zip((u for u, _ in results), shares, strict=True):
                h = hit(unit)
                h.score += share
                h.via.append(field_)
            for unit, score in results:
                h = hits[unit]
                setattr(h, field_, max(getattr(h, field_), score))
        if a.wants_draft:  # the Explanation is what describes the draft: lift its units
            for h in hits.values():
                if h.unit.doc == "explanation":
                    h.score *= 1.3
        wanted = KINDS_FOR_INTENT.get(a.intent)
        if wanted and self.kind_lift != 1.0:  # the kind of provision the question asks for
            for h in sorted(hits.values(), key=lambda h: -h.score)[: self.window]:
                if self.index.kinds(h.unit) & wanted:
                    h.score *= self.kind_lift
        subject = subject_of(a.text)
        if subject in _PROVIDER_KINDS and self.subject_fit != 1.0:  # a unit only for the other
            # kind of provider (the licence for a free site) gives way
            for h in sorted(hits.values(), key=lambda h: -h.score)[: self.window]:
                whom = self.index.applies_to(h.unit)
                if whom and not (whom & ({subject} | _EVERYONE)):
                    h.score *= self.subject_fit
        kind = described_kind(a.text) if a.fact == "regime" else None
        if kind is not None:  # "free, no ads: licence or filing?" turns on the definition of
            # the kind of service described too: it is kept in view, below the first three
            ranked = sorted(hits.values(), key=lambda h: -h.score)
            floor = ranked[min(3, len(ranked) - 1)].score * 1.001 if ranked else 0.0
            for h in ranked:
                if "definition" in self.index.kinds(h.unit) and kind in self.index.applies_to(
                    h.unit
                ):
                    h.score = max(h.score, floor)
        if a.asks_penalty:  # the penalty articles cite the duty they punish ("violates Article 16")
            ranked = sorted(hits.values(), key=lambda h: -h.score)
            for h in ranked[: self.link_depth]:
                sources = self.index.linked_from(h.unit)
                if self.sanction_links:
                    sources += self.index.sanctions_for(h.unit)
                # asked what follows a breach: the sanction goes above the duty it punishes
                lift = 1.001 if a.asks_sanction else 0.999
                for source in dict.fromkeys(sources):
                    p = hit(source)
                    if p.score < h.score * lift:
                        p.score = h.score * lift
                        p.via.append("link")
        if a.before_regime and not a.asks_penalty:  # running before the licence or filing is
            # in place: what forbids anyone (not yet a provider) to operate without either
            top = max((h.score for h in hits.values()), default=0.0)
            for unit in self.index.unit_ids():
                if (
                    self._wanted(unit, a)
                    and "prohibition" in self.index.kinds(unit)
                    and "anyone" in self.index.applies_to(unit)
                ):
                    p = hit(unit)
                    p.score = max(p.score, top * 1.001)
                    p.via.append("before-regime")
        if a.asks_sanction and self.sanction_links:  # a prohibition named by its own words
            # ("posted gambling ads: what happens?"): what punishes it goes first
            top = max((h.score for h in hits.values()), default=0.0)
            for unit in named_prohibitions(a.text, a.lang, self.index):
                for source in self.index.sanctions_for(unit) if self._wanted(unit, a) else []:
                    if self._wanted(source, a):
                        p = hit(source)
                        p.score = max(p.score, top * 1.002)
                        p.via.append("named")
        if a.wants_draft and a.compares and self.revision_links:  # a draft point ↔ its article
            ranked = sorted(hits.values(), key=lambda h: -h.score)
            for h in ranked[: self.link_depth]:
                for other in self.index.revision_links(h.unit, a.versions):
                    o = hit(other)
                    if o.score < h.score * 0.98:
                        o.score = h.score * 0.98
                        o.via.append("revises")
        if a.wants_versions:  # the other wording of a strong unit comes along
            for h in list(hits.values()):
                for twin in self.index.versions_of(h.unit):
                    if h.unit.version and twin != h.unit and twin.version in a.versions:
                        t = hit(twin)
                        t.score = max(t.score, h.score * 0.99)
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        if ranked and not a.asks_penalty:  # what the first unit refers to, applying to the
            # kind of service the question names, comes next (Art. 8 → Art. 5 for an education
            # site's filing)
            first = ranked[0]
            second = ranked[1].score if len(ranked) > 1 else first.score
            for other in referred_for_whom(self.index, first.unit, a.text):
                if self._wanted(other, a):
                    h = hit(other)
                    if h.score < second:
                        h.score = (first.score + second) / 2 if second < first.score else second
                        h.via.append("refers")
            ranked = sorted(hits.values(), key=lambda h: -h.score)
        if a.asks_change and not a.refs and ranked:  # "what changed?": the units that did
            topical = matter_named(a, self.index)
            top = ranked[0].score
            for unit in self.index.changed_units:
                if unit.version in a.versions:
                    h = hit(unit)
                    h.score = max(h.score, top * (1.01 if not topical else 0.5))
                    h.via.append("versions")
            ranked = sorted(hits.values(), key=lambda h: -h.score)
        if a.wants_draft and len(ranked) > self.window:  # comparisons need the Rules' side too
            best_rule = next((h for h in ranked if h.unit.doc == "rules"), None)
            if best_rule is not None and ranked.index(best_rule) >= self.window - 1:
                best_rule.score = ranked[self.window - 2].score * 0.9999
            ranked = sorted(hits.values(), key=lambda h: -h.score)
        top = max((h.score for h in ranked), default=0.0) or 1.0
        for offset, unit in enumerate(reversed(anchors or [])):
            h = hit(unit)
            h.score = top * 1.01 + offset * 1e-3
            h.via.append("anchor")
        refs = self._refs(a)
        top = max((h.score for h in hits.values()), default=0.0) or 1.0
        for offset, unit in enumerate(reversed(refs)):
            h = hit(unit)
            h.score = top + 1.0 + offset  # named units first, in the order named
            h.via.insert(0, "ref")
        # equal scores (a unit whose wordings read the same): the wording in force first
        latest = a.versions[-1] if a.versions else None
        return sorted(hits.values(), key=lambda h: (-h.score, h.unit.version != latest))

    def cited(self, ids: list[str], lang: str) -> list[Document]:
        """The units of an earlier answer's citations, as documents in that order (an
        explanation reads exactly what the answer cited)."""
        hits = []
        for n, raw in enumerate(ids):
            h = _Hit(CitationId.parse(raw).unit)
            h.score, h.dense = 1.0 - n * 1e-3, 1.0
            h.via.append("cited")
            hits.append(h)
        return self.documents(hits, lang)

    def documents(self, hits: list[_Hit], lang: str) -> list[Document]:
        docs = []
        for rank, h in enumerate(hits[: self.k], start=1):
            chunk = self.index.unit(h.unit, lang)
            meta = chunk.model_dump(exclude={"text", "parts", "links", "annotations"})
            meta.update(
                score=round(h.score, 6),
                rank=rank,
                via=h.via,
                dense=h.dense,
                bm25=h.bm25,
                ranker=round(h.ranker, 5),
            )
            docs.append(Document(page_content=chunk.text, metadata=meta, id=str(chunk.key)))
        return docs

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        analysis: Analysis | None = None,
        anchors: list[CitationId] | None = None,
    ) -> list[Document]:
        """``invoke(question)``, or ``invoke(question, analysis=..., anchors=...)`` when it is
        analysed (see :meth:`search`)."""
        a = analysis or self.analyser.analyze(query)
        return self.documents(self.search(query, a, anchors), a.lang)
