"""The one path from a question to an :class:`Answer`, as small stages.

1. understand — ``assistant.analysis``: follow-up made standalone, question analysed once;
2. retrieve — the ``HybridRetriever`` through LangChain's ``invoke``;
3. policy — ``assistant.policy``: refusals and the relevance gate, from the index;
4. generate — the generator's ``stream`` (every generator streams; see
   ``assistant.generators.base.Generator``), markers checked piece by piece;
5. validate — ``assistant.assemble``: the draft's citations validated into the answer.

:meth:`Pipeline.run` yields the answer's text as it is written and then the ``Answer``;
``Assistant.ask`` keeps only the last item and ``Assistant.stream`` passes all of them on,
so an asked answer and a streamed one are the same run of the same stages.
"""

from __future__ import annotations

import collections.abc
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from langchain_core.documents import Document

from assistant import figures
from assistant.analysis import Understood, understand
from assistant.answer import Answer, Retrieved
from assistant.assemble import Evidence, assemble
from assistant.breaches import omits
from assistant.generators import registry
from assistant.generators.base import (
    ABSTAIN,
    Draft,
    GenerationInput,
    Generator,
    explanation_units_named,
    first_explanation_label,
)
from assistant.history import REFERS_BACK, has_no_topic, is_bare
from assistant.plan import make_plan
from assistant.policy import NOT_ADDRESSED, refusal, relevance, states_asked_fact
from assistant.settings import Settings
from assistant.snapshot import Snapshot
from assistant.validate import Resolver, StreamFilter
from assistant.wordings import names_wording
from ingest.citations import CitationId


@dataclass(frozen=True)
class Request:
    question: str  # already checked (``assistant.questions.clean_question``)
    history: tuple[tuple[str, str], ...]
    generator: str
    #: Explain an earlier answer: read exactly these cited units (no retrieval, no gate).
    cited: tuple[str, ...] = ()


@dataclass
class _Clock:
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round((now - self._mark) * 1000, 2)
        self._mark = now

    def done(self) -> dict[str, float]:
        self.timings["total"] = round((time.perf_counter() - self.started) * 1000, 2)
        return dict(self.timings)


class Pipeline:
    def __init__(self, settings: Settings, generator: Callable[[str, Snapshot], Generator]):
        self.settings = settings
        self._generator = generator

    def run(self, request: Request, snap: Snapshot) -> Iterator[str | Answer]:
        clock = _Clock()
        gen = self._generator(request.generator, snap)
        history = list(request.history)
        understood = understand(request.question, history, snap.analyser, gen)
        clock.lap("prepare")
        evidence = (
            self._cited(request, understood, snap)
            if request.cited
            else self._evidence(understood, snap, clock.timings)
        )
        clock.lap("retrieve")
        given = list(evidence.documents[: self.settings.top_k])
        draft: Draft | None = None
        streamed = False
        spec = registry.REGISTRY.get(request.generator)
        checked = spec is not None and spec.model_written
        sources = _sources(given, snap) if checked else None
        dropped: list[str] = []
        if evidence.refused is None:
            plan = (
                make_plan(
                    request.question,
                    understood.analysis,
                    given,
                    snap.index,
                    snap.sentences.parts,
                )
                if given
                else None
            )
            inp = GenerationInput(request.question, understood.analysis, given, history, plan)
            draft, streamed, dropped = yield from _generate(gen, inp, sources)
            if draft.plan is None and plan is not None:  # every answer keeps its plan
                draft = draft.model_copy(update={"plan": plan.trace()})
        clock.lap("generate")
        base = {
            "generation": snap.index.generation,
            "question": request.question,
            "generator": request.generator,
            "standalone_question": (
                understood.standalone if understood.standalone != request.question else None
            ),
        }
        lang = understood.analysis.lang
        answer = assemble(draft, evidence, given, snap.index, snap.sentences, lang, **base)
        if checked and draft is not None and not draft.abstained and not answer.citations:
            # the model wrote something, but no sentence of it survived: answer extractively
            fallback = self._generator("extractive", snap)
            draft, more, _ = yield from _generate(fallback, inp, None, quiet=streamed)
            streamed = streamed or more
            answer = assemble(draft, evidence, given, snap.index, snap.sentences, lang, **base)
            answer.fallback = "extractive"
        answer.dropped_sentences = dropped
        clock.lap("validate")
        answer.timings = clock.done()
        if not streamed:  # refusals and silent abstentions: the answer's words are the stream
            yield from (piece for piece in re.split(r"(?<=\s)", answer.answer) if piece)
        yield answer

    def _cited(self, request: Request, u: Understood, snap: Snapshot) -> Evidence:
        """An explanation's evidence: the units the explained answer cited, as they are."""
        documents = tuple(snap.retriever.cited(list(request.cited), u.analysis.lang))
        retrieved = tuple(
            Retrieved(id=str(d.metadata["id"]), score=1.0, rank=n, via=["cited"])
            for n, d in enumerate(documents, start=1)
        )
        return Evidence(documents, retrieved)

    def _evidence(self, u: Understood, snap: Snapshot, notes: dict[str, float]) -> Evidence:
        """Stages 2 and 3: retrieve, then refuse or gate."""
        a = u.analysis
        refused = refusal(a, snap.index)
        if refused is not None:
            named = [
                str(v)
                for ref in a.refs
                for v in snap.index.versions_of(ref)
                if v.version in (None, *a.versions)
            ]
            return Evidence(refused=refused, named=tuple(dict.fromkeys(named)))
        documents = tuple(
            snap.retriever.invoke(
                u.standalone,
                analysis=a,
                anchors=_point_of_last_answer(u, snap)
                or _across_documents(u, snap)
                or _anchors(u, snap),
            )
        )
        retrieved = tuple(
            Retrieved(
                id=str(d.metadata["id"]),
                score=round(float(d.metadata["score"]), 5),
                rank=int(d.metadata["rank"]),
                via=list(d.metadata["via"]),
            )
            for d in documents
        )
        # A question naming units, or asking how the corpus's own wordings differ, is about
        # the texts by its wording; every other question passes the relevance gate.
        if not (a.refs or a.asks_change or _rewords_an_answer(u)):
            gate = relevance(
                u.standalone,
                [
                    (CitationId.parse(str(d.metadata["id"])), float(d.metadata["dense"]))
                    for d in documents
                ],
                snap.index,
                snap.sentences,
                dense_search=snap.retriever.embeddings is not None,
                min_dense=self.settings.min_dense_score,
                min_coverage=self.settings.min_lexical_coverage,
                about_the_draft=a.wants_draft,
            )
            notes["coverage"] = round(gate.coverage, 3)
            notes["dense_top"] = round(gate.dense, 3)
            units = [CitationId.parse(str(d.metadata["id"])) for d in documents]
            if not gate.relevant and not states_asked_fact(a.fact, units, snap.index, a.intent):
                refused = NOT_ADDRESSED
        return Evidence(documents, retrieved, refused)


def _rewords_an_answer(u: Understood) -> bool:
    """A bare follow-up naming another wording of the Rules ("and in the 2024 wording?") after
    an answer: the same provision in another wording, which the turn before already found
    relevant (the gate would read the topic without its wording)."""
    a = u.analysis
    answered = u.said is not None and u.said not in ABSTAIN.values()
    return answered and is_bare(u.question) and names_wording(u.question) and not a.wants_draft


def _sources(given: list[Document], snap: Snapshot) -> figures.Sources:
    """What a marker's unit vouches for: its text in every language, its id and title."""
    resolver = Resolver(given)

    def vouched(raw: str) -> list[str] | None:
        doc = resolver.document(raw)
        if doc is None:
            return None
        chunks = snap.index.chunks_of(str(doc.metadata["id"]))
        return [str(doc.metadata["id"]), *(f"{c.title}\n{c.text}" for c in chunks)]

    return vouched


def _generate(
    gen: Generator,
    inp: GenerationInput,
    sources: figures.Sources | None,
    quiet: bool = False,
) -> collections.abc.Generator[str, None, tuple[Draft, bool, list[str]]]:
    """Stage 4: the generator's stream with its markers checked as they arrive — and, for a
    model's sentences (``sources`` given), their figures, a whole sentence at a time. Returns
    (via ``yield from``) the draft (less the dropped sentences), whether any text was passed
    on, and the dropped sentences. ``quiet`` passes nothing on."""
    check = StreamFilter(inp.documents)
    gate = figures.SentenceGate(sources) if sources is not None else None
    draft: Draft | None = None
    emitted = False

    def passed(text: str) -> Iterator[str]:
        nonlocal emitted
        out = check.feed(text)
        if out and not quiet:
            emitted = True
            yield out

    for item in gen.stream(inp):
        if isinstance(item, Draft):
            draft = item
            continue
        yield from passed(gate.feed(item) if gate else item)
    if gate:
        yield from passed(gate.flush())
    tail = check.flush()
    if tail and not quiet:
        emitted = True
        yield tail
    if draft is None:
        raise RuntimeError(f"{type(gen).__name__}.stream ended without a draft.")
    if sources is None or draft.abstained:
        return draft, emitted, []
    kept = figures.check(draft.text, sources)
    return draft.model_copy(update={"text": kept.text}), emitted, kept.dropped


#: A follow-up pointing at one of the points the last answer listed ("and the second one?",
#: "第二点具体讲什么"): its number.
_ORDINAL = re.compile(
    # "the second one", "the third point"; not "the first time", "the first draft"
    r"\bthe (first|second|third|fourth|1st|2nd|3rd|4th)(?: one| point| principle| item| part)?\b"
    r"(?!\s+(?:time|draft|step|version|wording|article|year|filing|licen[cs]e))"
    r"|第([一二三四1-4])(?:个|点|条原则|项)",
    re.I,
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
}


def _point_of_last_answer(u: Understood, snap: Snapshot) -> list[CitationId]:
    """The numbered point ("I.2") of the unit the last answer quoted first ("I"), when the
    follow-up asks about one of its points by its place in the list."""
    m = _ORDINAL.search(u.question)
    if not (u.said and u.topic and m):
        return []
    n = _ORDINALS[(m.group(1) or m.group(2)).lower()]
    for unit in explanation_units_named(u.said)[:1]:
        child = unit.point(n)
        if snap.index.has(child):
            return [child]
    return []


def _across_documents(u: Understood, snap: Snapshot) -> list[CitationId]:
    """A follow-up that turns from the Rules to the 2012 draft ("and how would the draft have
    changed that?") or back ("anything like it in the Rules now?") reads the counterpart of the
    unit the last answer quoted first: the Explanation point that revises that article, or the
    article the point revises."""
    if not (u.said and u.topic):
        return []
    a = snap.analyser.analyze(u.question)
    to_draft = a.wants_draft
    to_rules = not a.wants_draft and bool(_NOW_RULES.search(u.question))
    if not (to_draft or to_rules):
        return []
    first = _first_unit_said(u.said, snap)
    if first is None or (first.doc == "explanation") is to_draft:
        return []
    return snap.index.revision_links(first, a.versions)


#: The Rules as they stand, named in a follow-up ("in the Rules as they stand now", "现行办法").
_NOW_RULES = re.compile(
    r"\b(?:rules|measures)\b[^?]{0,30}\b(?:now|today|currently|in force|as they stand)\b"
    r"|\b(?:current|existing|present) (?:rules|measures|law)\b|现行(?:办法|规定)?|现在的办法",
    re.I,
)


def _first_unit_said(said: str, snap: Snapshot) -> CitationId | None:
    """The unit an earlier answer quoted first, by its label (an article or an Explanation unit)."""
    points = explanation_units_named(said)
    refs = snap.analyser.analyze(said).refs
    if points and refs:
        first_point = first_explanation_label(said)
        first_article = min(
            (i for i in (said.find("Article "), said.find("第")) if i >= 0), default=len(said)
        )
        return points[0] if 0 <= first_point < first_article else refs[0]
    return points[0] if points else (refs[0] if refs else None)


def _anchors(u: Understood, snap: Snapshot) -> list[CitationId]:
    """A bare follow-up asking what follows a breach ("and if we don't?", "不放会怎样？") asks
    about the duty the conversation was on: the provision the last answer quoted first, else
    the one its topic finds first. What punishes it is put first."""
    leans = (
        is_bare(u.question, words=2)
        or has_no_topic(u.question)
        or bool(REFERS_BACK.search(u.question))
    )
    if not (u.topic and u.analysis.asks_sanction and leans):
        return []
    talked: list[CitationId] = []
    if u.said:  # the units the last answer names, in its order
        for ref in snap.analyser.analyze(u.said).refs[:1]:
            talked += [
                v for v in snap.index.versions_of(ref) if v.version in (None, *u.analysis.versions)
            ]
    if not talked:
        talked = [h.unit for h in snap.retriever.search(u.topic)[:1]]
    anchors: list[CitationId] = []
    for unit in talked:
        if "sanction" in snap.index.kinds(unit):  # the last answer was already the sanction
            anchors.append(unit)
            continue
        if omits(u.question) and snap.index.kinds(unit) & {"duty", "procedure"} == set():
            continue  # left undone: a duty, not what the last answer forbade (Art. 15's list)
        sanctions = snap.index.sanctions_for(unit)
        named = [s for s in snap.index.linked_from(unit) if s in sanctions]
        anchors += named or sanctions  # the sanction whose text names the duty, if one does
    return anchors
