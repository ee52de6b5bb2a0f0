"""The assistant: the factory that builds the pipeline's parts, and the door questions use.

:meth:`Assistant.from_settings` opens the index, loads the embedder and builds a
:class:`~assistant.snapshot.Snapshot` (index, analyser, retriever, sentences, generators);
each question runs through :class:`~assistant.pipeline.Pipeline` on the snapshot current
when it arrives. :meth:`ask` and :meth:`stream` are the same run: ``ask`` keeps its last item.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.answer import Answer
from assistant.generators import registry
from assistant.generators.base import Generator
from assistant.history import History, normalise
from assistant.pipeline import Pipeline, Request
from assistant.questions import clean_question
from assistant.retriever import HybridRetriever
from assistant.sentences import SentenceIndex
from assistant.settings import Settings
from assistant.snapshot import Snapshot, SnapshotHolder, build_snapshot
from ingest.citations import CitationId
from ingest.errors import QuestionError, RegqaError
from ingest.index import Index

__all__ = ["Assistant", "Readiness", "clean_question"]


@dataclass(frozen=True)
class Readiness:
    ready: bool
    generation: str
    units: int


class Assistant:
    """Answers questions; see :meth:`ask`. Build with :meth:`from_settings`."""

    def __init__(
        self,
        settings: Settings,
        snapshot: Snapshot,
        rebuild: Callable[[Index], Snapshot] | None = None,
    ) -> None:
        self.settings = settings
        self._holder = SnapshotHolder(snapshot, settings, rebuild, settings.reload_interval_s)
        self._models: dict[str, Generator] = {}  # model-backed generators, built once
        self._warm = snapshot.retriever.embeddings is None
        self.pipeline = Pipeline(settings, self.generator)

    # -- construction ----------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        from ingest.embeddings import QueryCache, make_embeddings

        settings = settings or Settings(**overrides)
        registry.check_name(settings.generator)
        index = Index.open(settings)
        embedder = str(index.meta.get("embedder", settings.embedder))
        embeddings = (
            QueryCache(make_embeddings(embedder)) if settings.retrieval_mode != "bm25" else None
        )

        def rebuild(new: Index) -> Snapshot:
            if str(new.meta.get("embedder")) != embedder:
                raise RegqaError("The new generation uses another embedder; restart to use it.")
            return build_snapshot(settings, new, embeddings)

        assistant = cls(settings, build_snapshot(settings, index, embeddings), rebuild)
        if settings.generator not in assistant.generators:
            assistant.generator(settings.generator)  # fail early on a bad configuration
        return assistant

    def snapshot(self) -> Snapshot:
        """What the next question will be answered from."""
        return self._holder.current()

    # The current snapshot's parts (a new ingest replaces them between questions).
    @property
    def index(self) -> Index:
        return self._holder.current().index

    @property
    def retriever(self) -> HybridRetriever:
        return self._holder.current().retriever

    @property
    def sentences(self) -> SentenceIndex:
        return self._holder.current().sentences

    @property
    def generators(self) -> dict[str, Generator]:
        return self._holder.current().generators

    def generator(self, name: str | None = None, snap: Snapshot | None = None) -> Generator:
        """Generator ``name`` (the configured one by default), built on first use."""
        name = name or self.settings.generator
        snap = snap or self._holder.current()
        if name in snap.generators:
            return snap.generators[name]
        if name not in self._models:
            self._models[name] = registry.build(name, self.settings, snap.sentences)
        return self._models[name]

    def generator_names(self) -> list[str]:
        """The generators a caller may choose here (from the registry)."""
        return list(dict.fromkeys([*registry.available(self.settings), *self.generators]))

    # -- what the surfaces ask about -------------------------------------------
    def warm(self) -> None:
        """Load the embedder and search structures now rather than on the first question."""
        self.retriever.invoke("warm up: record backups")
        self._warm = True

    def readiness(self) -> Readiness:
        index = self.index
        return Readiness(bool(index.chunks) and self._warm, index.generation, len(index.unit_ids()))

    def versions_of(self, unit: str | CitationId) -> list[CitationId]:
        """Every wording of a unit that the current index holds."""
        cid = unit if isinstance(unit, CitationId) else CitationId.parse(unit)
        return self.index.versions_of(cid)

    # -- answering ---------------------------------------------------------------
    def _run(
        self, question: Any, history: History | None, generator: str | None
    ) -> Iterator[str | Answer]:
        text = clean_question(question, self.settings.max_question_chars)
        snap = self._holder.current()
        name = generator or self.settings.generator
        self.generator(name, snap)  # an unknown or unusable generator fails before any text
        return self.pipeline.run(Request(text, tuple(normalise(history)), name), snap)

    def ask(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Answer:
        answer: Answer | None = None
        for item in self._run(question, history, generator):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None  # the pipeline always ends with the answer
        return answer

    def stream(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as they are produced (markers already validated), then the ``Answer``.

        A bad question fails here, before the first piece."""
        return self._run(question, history, generator)

    def explain(
        self,
        answer: Answer,
        generator: str,
        history: History | None = None,
    ) -> Iterator[str | Answer]:
        """A model's explanation of an earlier answer, grounded on exactly the units that
        answer cited (validated and checked like any answer): text pieces, then the Answer."""
        if answer.abstained or not answer.citations:
            raise QuestionError(
                "Only an answer with citations can be explained.",
                hint="Ask a question the texts answer first.",
            )
        text = clean_question(answer.question, self.settings.max_question_chars)
        snap = self._holder.current()
        for c in answer.citations:
            if not snap.index.has(c.id):
                raise QuestionError(f"The answer cites {c.id}, which this index does not hold.")
        self.generator(generator, snap)
        cited = tuple(dict.fromkeys(c.id for c in answer.citations))
        return self.pipeline.run(
            Request(text, tuple(normalise(history)), generator, cited=cited), snap
        )

    async def aask(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Answer:
        return await asyncio.to_thread(self.ask, question, history, generator)

    async def astream(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> AsyncIterator[str | Answer]:
        iterator = self.stream(question, history, generator)
        sentinel = object()
        while True:
            item = await asyncio.to_thread(next, iterator, sentinel)
            if item is sentinel:
                return
            yield item  # type: ignore[misc]
