"""Stage 5 — from a draft (or a refusal) to the :class:`Answer`, citations validated.

The same for every generator and for asked and streamed answers: markers are checked
against the units retrieved for this question (``assistant.validate``); an answer left with
no valid citation is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.documents import Document

from assistant.answer import Answer, Retrieved
from assistant.generators.base import ABSTAIN, Draft
from assistant.sentences import SentenceIndex
from assistant.validate import validate
from ingest.index import Index

WITHHELD = "The generated answer cited nothing that was retrieved, so it was withheld."


@dataclass(frozen=True)
class Evidence:
    """What retrieval and the refusal/relevance policy found (stages 2 and 3)."""

    documents: tuple[Document, ...] = ()  # every unit retrieved, best first
    retrieved: tuple[Retrieved, ...] = ()
    refused: str | None = None  # why the question is not answered, if it is not
    #: Units a refused question names ("does Article 6 mean MLPS level 3?"): offered to read.
    named: tuple[str, ...] = ()


def assemble(
    draft: Draft | None,
    evidence: Evidence,
    given: list[Document],
    index: Index,
    sentences: SentenceIndex,
    lang: str,
    **base: Any,
) -> Answer:
    """The answer to return. ``given`` are the units the generator read; ``base`` carries the
    fields every answer has (question, generation, timings…)."""
    base.update(retrieved=list(evidence.retrieved), lang=lang, plan=draft.plan if draft else None)
    if evidence.refused or draft is None or draft.abstained:
        reason = evidence.refused or (draft.reason if draft else None) or "No answer found."
        # in-domain questions the texts leave open get the closest units to read; refusals of
        # the policy (off-topic, other laws, injections) get none
        in_domain = evidence.refused is None and draft is not None
        see_also = (
            [str(d.metadata["id"]) for d in evidence.documents[:3]]
            if in_domain
            else list(evidence.named)
        )
        return Answer(
            answer=ABSTAIN[lang], abstained=True, reason=reason, see_also=see_also, **base
        )
    text, citations, dropped, unsupported = validate(draft, given, index, sentences, ABSTAIN[lang])
    if not citations:
        return Answer(
            answer=ABSTAIN[lang], abstained=True, dropped_citations=dropped, reason=WITHHELD, **base
        )
    return Answer(
        answer=text,
        citations=citations,
        dropped_citations=dropped,
        unsupported_sentences=unsupported,
        **base,
    )
