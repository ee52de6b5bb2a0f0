"""What one answer reads from: an index generation and the search structures built on it.

An :class:`Assistant` answers each question from one :class:`Snapshot`, taken when the
question arrives. When an ingest switches in a new generation, the next question gets a new
snapshot; questions in flight finish on the old one — every answer comes from one consistent
generation, and serving never pauses for an ingest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.analysis import Analyser
from assistant.fusion import DEFAULT_WEIGHTS, FUSION_WEIGHTS
from assistant.generators import registry
from assistant.generators.base import Generator
from assistant.ranker import ViewRanker
from assistant.retriever import HybridRetriever
from assistant.sentences import SentenceIndex
from assistant.settings import Settings
from ingest.errors import RegqaError
from ingest.index import Index
from ingest.store import Generations

log = logging.getLogger("regqa.assistant")


@dataclass
class Snapshot:
    index: Index
    analyser: Analyser
    retriever: HybridRetriever
    sentences: SentenceIndex
    #: Generators built on this generation (``extractive``; tests add their own here).
    generators: dict[str, Generator] = field(default_factory=dict)


def build_snapshot(settings: Settings, index: Index, embeddings: Any) -> Snapshot:
    analyser = Analyser(index)
    retriever = HybridRetriever(
        index=index,
        analyser=analyser,
        embeddings=embeddings,
        mode=settings.retrieval_mode,
        k=settings.candidates,
        window=settings.top_k,
        candidates=settings.candidates,
        fusion=settings.fusion,
        rrf_k=settings.rrf_k,
        views=settings.annotation_views,
        sanction_links=settings.sanction_links,
        revision_links=settings.revision_links,
        ranker=_ranker(settings, index, embeddings),
    )
    sentences = SentenceIndex(index)
    generators = {
        name: registry.build(name, settings, sentences)
        for name, spec in registry.REGISTRY.items()
        if spec.per_index
    }
    return Snapshot(index, analyser, retriever, sentences, generators)


def _ranker(settings: Settings, index: Index, embeddings: Any) -> ViewRanker | None:
    """The ranker learned from the index's views; a unit nobody annotated is learned from its
    own text, so it can still be chosen. None when switched off or nothing is annotated. Its
    dense half only where the embedder's dense lists count in fusion."""
    if not (settings.learned_ranker and settings.annotation_views and index.views):
        return None
    weights = FUSION_WEIGHTS.get(str(index.meta.get("embedder")), DEFAULT_WEIGHTS)
    dense = embeddings is not None and weights.get("dense_views", 0.0) > 0
    examples = [(v.text, v.unit) for v in index.views]
    annotated = {unit for _, unit in examples}
    examples += [(c.embedding_text(), c.cid) for c in index.chunks if c.cid not in annotated]
    return ViewRanker.fit(examples, index.record_vectors() if dense else None)


class SnapshotHolder:
    """The current snapshot; looks for a newer generation at most every ``interval`` seconds."""

    def __init__(
        self,
        snapshot: Snapshot,
        settings: Settings,
        rebuild: Callable[[Index], Snapshot] | None = None,
        interval: float = 2.0,
    ) -> None:
        self._snapshot = snapshot
        self._settings = settings
        self._rebuild = rebuild
        self._interval = interval
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        if self._rebuild is None or time.monotonic() - self._checked < self._interval:
            return self._snapshot
        with self._lock:
            if time.monotonic() - self._checked >= self._interval:
                self._checked = time.monotonic()
                self._maybe_switch()
        return self._snapshot

    def _maybe_switch(self) -> None:
        latest = Generations(self._settings).current_id()
        if latest is None or latest == self._snapshot.index.generation:
            return
        try:
            index = Index(self._settings, latest)
            fresh = self._rebuild(index) if self._rebuild else None
            if fresh is not None:
                fresh.retriever.invoke("warm up: record backups")
                self._snapshot = fresh
                log.info("now serving index generation %s", latest)
        except (RegqaError, OSError, ValueError) as err:  # keep serving the old generation
            log.warning("could not switch to generation %s: %s", latest, err)
