"""The assistant: question (+history) → retrieve → generate → validate → :class:`Answer`.

An LCEL chain of small steps; the heavy parts (index, embedder, generator) are built in
:meth:`Assistant.from_settings` and injected, so tests and users can swap any of them.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import Answer, Retrieved
from assistant.generators.base import Draft, GenerationInput
from assistant.generators.extractive import ABSTAIN
from assistant.history import History, normalise, standalone
from assistant.policy import NOT_ADDRESSED, refusal, relevance
from assistant.query import Analysis, strip_markup
from assistant.retriever import HybridRetriever
from assistant.sentences import SentenceIndex
from assistant.settings import Settings
from assistant.snapshot import Snapshot, SnapshotHolder, build_snapshot
from assistant.validate import StreamFilter, validate
from ingest.errors import QuestionError, RegqaError
from ingest.index import Index

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class _State:
    question: str
    history: list[tuple[str, str]]
    generator: str
    snap: Snapshot
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    standalone: str = ""
    analysis: Analysis | None = None
    documents: list[Document] = field(default_factory=list)
    retrieved: list[Retrieved] = field(default_factory=list)
    abstain_reason: str | None = None
    draft: Draft | None = None

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[name] = round((now - since) * 1000, 2)
        return now


def clean_question(question: Any, limit: int) -> str:
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    if len(question) > limit:
        raise QuestionError(
            f"The question is {len(question):,} characters long; the limit is {limit:,}.",
            hint="Shorten it to the part you want answered.",
        )
    text = _CONTROL.sub(" ", question).strip()
    if not text:
        raise QuestionError("The question is empty.", hint="Type a question about the Rules.")
    return text


class Assistant:
    """Answers questions; see :meth:`ask`. Build with :meth:`from_settings`."""

    def __init__(
        self,
        settings: Settings,
        index: Index,
        retriever: HybridRetriever,
        sentences: SentenceIndex,
        generators: dict[str, Runnable[GenerationInput, Draft]],
        rebuild: Callable[[Index], Snapshot] | None = None,
    ) -> None:
        self.settings = settings
        snapshot = Snapshot(index, retriever, sentences, generators)
        self._holder = SnapshotHolder(snapshot, settings, rebuild, settings.reload_interval_s)
        self._llm: dict[str, Runnable[GenerationInput, Draft]] = {}
        self.chain: Runnable[_State, Answer] = (
            RunnableLambda(self._prepare, name="prepare")
            | RunnableLambda(self._retrieve, name="retrieve")
            | RunnableLambda(self._generate, name="generate")
            | RunnableLambda(self._finish, name="validate")
        )

    # -- construction ----------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        from ingest.embeddings import QueryCache, make_embeddings

        settings = settings or Settings(**overrides)
        index = Index.open(settings)
        embedder = str(index.meta.get("embedder", settings.embedder))
        embeddings = (
            QueryCache(make_embeddings(embedder)) if settings.retrieval_mode != "bm25" else None
        )
        snap = build_snapshot(settings, index, embeddings)

        def rebuild(new: Index) -> Snapshot:
            if str(new.meta.get("embedder")) != embedder:
                raise RegqaError("The new generation uses another embedder; restart to use it.")
            return build_snapshot(settings, new, embeddings)

        assistant = cls(
            settings, snap.index, snap.retriever, snap.sentences, snap.generators, rebuild
        )
        if settings.generator != "extractive":
            assistant.generator(settings.generator)  # fail early on a bad configuration
        return assistant

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
    def generators(self) -> dict[str, Runnable[GenerationInput, Draft]]:
        return self._holder.current().generators

    def generator(
        self, name: str | None = None, snap: Snapshot | None = None
    ) -> Runnable[GenerationInput, Draft]:
        name = name or self.settings.generator
        snap = snap or self._holder.current()
        if name in snap.generators:
            return snap.generators[name]
        if name not in self._llm:
            from assistant.generators.llm import LLMGenerator, chat_model

            self._llm[name] = LLMGenerator(chat_model(self.settings, name))
        return self._llm[name]

    def warm(self) -> None:
        """Load the embedder and search structures now rather than on the first question."""
        self.retriever.search("warm up: record backups")

    # -- the chain steps -------------------------------------------------------
    def _prepare(self, state: _State) -> _State:
        t = time.perf_counter()
        gen = self.generator(state.generator, state.snap)
        question = strip_markup(state.question)
        own = state.snap.retriever.analyze(question)
        state.standalone = question
        if state.history:
            rewrite = getattr(gen, "rewrite", None)
            if rewrite is not None:
                state.standalone = rewrite(question, state.history)
            else:
                state.standalone = standalone(question, state.history, bool(own.refs))
        if state.standalone == question:
            state.analysis = own
        else:
            state.analysis = state.snap.retriever.analyze(state.standalone)
            # answer in the language of the question asked, not of the history
            state.analysis.lang = own.lang
        state.lap("prepare", t)
        return state

    def _retrieve(self, state: _State) -> _State:
        t = time.perf_counter()
        a = state.analysis
        assert a is not None
        state.abstain_reason = refusal(a, state.snap.index)
        if state.abstain_reason is None:
            hits = state.snap.retriever.search(state.standalone, a)
            state.retrieved = [
                Retrieved(id=str(h.unit), score=round(h.score, 5), rank=i, via=h.via)
                for i, h in enumerate(hits[: self.settings.candidates], start=1)
            ]
            state.documents = state.snap.retriever.documents(hits, a.lang)
            if not a.refs:
                gate = relevance(
                    state.standalone,
                    [(h.unit, h.dense) for h in hits],
                    state.snap.index,
                    state.snap.sentences,
                    dense_search=state.snap.retriever.embeddings is not None,
                    min_dense=self.settings.min_dense_score,
                    min_coverage=self.settings.min_lexical_coverage,
                )
                state.timings["coverage"] = round(gate.coverage, 3)
                state.timings["dense_top"] = round(gate.dense, 3)
                if not gate.relevant:
                    state.abstain_reason = NOT_ADDRESSED
        state.lap("retrieve", t)
        return state

    def _generate(self, state: _State) -> _State:
        t = time.perf_counter()
        if state.abstain_reason is None:
            inp = self._generation_input(state)
            state.draft = self.generator(state.generator, state.snap).invoke(inp)
        state.lap("generate", t)
        return state

    def _generation_input(self, state: _State) -> GenerationInput:
        assert state.analysis is not None
        return GenerationInput(
            state.question, state.analysis, state.documents[: self.settings.top_k], state.history
        )

    def _finish(self, state: _State) -> Answer:
        t = time.perf_counter()
        a = state.analysis
        assert a is not None
        lang = a.lang
        base: dict[str, Any] = dict(
            generation=state.snap.index.generation,
            question=state.question,
            lang=lang,
            generator=state.generator,
            retrieved=state.retrieved,
            standalone_question=state.standalone if state.standalone != state.question else None,
        )
        draft = state.draft
        if state.abstain_reason or draft is None or draft.abstained:
            reason = state.abstain_reason or (draft.reason if draft else None) or "No answer found."
            state.lap("validate", t)
            return Answer(
                answer=ABSTAIN[lang],
                abstained=True,
                reason=reason,
                timings=self._timings(state),
                **base,
            )
        text, citations, dropped, unsupported = validate(
            draft,
            state.documents[: self.settings.top_k],
            state.snap.index,
            state.snap.sentences,
            ABSTAIN[lang],
        )
        state.lap("validate", t)
        if not citations:
            return Answer(
                answer=ABSTAIN[lang],
                abstained=True,
                dropped_citations=dropped,
                reason="The generated answer cited nothing that was retrieved, so it was withheld.",
                timings=self._timings(state),
                **base,
            )
        return Answer(
            answer=text,
            citations=citations,
            dropped_citations=dropped,
            unsupported_sentences=unsupported,
            timings=self._timings(state),
            **base,
        )

    def _timings(self, state: _State) -> dict[str, float]:
        state.timings["total"] = round((time.perf_counter() - state.started) * 1000, 2)
        return dict(state.timings)

    # -- public API ------------------------------------------------------------
    def _state(self, question: Any, history: History | None, generator: str | None) -> _State:
        text = clean_question(question, self.settings.max_question_chars)
        name = generator or self.settings.generator
        return _State(
            question=text, history=normalise(history), generator=name, snap=self._holder.current()
        )

    def ask(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Answer:
        return self.chain.invoke(self._state(question, history, generator))

    async def aask(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Answer:
        return await self.chain.ainvoke(self._state(question, history, generator))

    def stream(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as they are produced (markers already validated), then the ``Answer``."""
        state = self._prepare(self._state(question, history, generator))
        state = self._retrieve(state)
        gen = self.generator(state.generator, state.snap)
        stream_text = getattr(gen, "stream_text", None)
        if state.abstain_reason is None and stream_text is not None:
            assert state.analysis is not None
            inp = self._generation_input(state)
            filt = StreamFilter(inp.documents)
            pieces: list[str] = []
            t = time.perf_counter()
            for piece in stream_text(inp):
                pieces.append(piece)
                out = filt.feed(piece)
                if out:
                    yield out
            tail = filt.flush()
            if tail:
                yield tail
            from assistant.generators.llm import _draft

            state.draft = _draft("".join(pieces), state.analysis.lang)
            state.lap("generate", t)
            yield self._finish(state)
            return
        answer = self._finish(self._generate(state))
        for piece in re.split(r"(?<=\s)", answer.answer):
            yield piece
        yield answer

    async def astream(
        self, question: str, history: History | None = None, generator: str | None = None
    ) -> AsyncIterator[str | Answer]:
        import asyncio

        iterator = self.stream(question, history, generator)
        sentinel = object()
        while True:
            item = await asyncio.to_thread(next, iterator, sentinel)
            if item is sentinel:
                return
            yield item  # type: ignore[misc]
