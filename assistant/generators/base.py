"""What generators take and give, and the protocol every generator implements.

A generator turns a :class:`GenerationInput` into a :class:`Draft`: text whose claims carry
markers ``[n]`` naming the n-th unit it was given (1-based). The pipeline always runs a
generator through :meth:`Generator.stream` — text pieces as they are written, then the
finished draft — so a streamed answer and an asked one come from the same call. The
validator (``assistant.validate``) is the same for every generator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from langchain_core.documents import Document
from pydantic import BaseModel, Field

from assistant.query import Analysis
from ingest.citations import CitationId

if TYPE_CHECKING:
    from assistant.plan import AnswerPlan


@dataclass
class GenerationInput:
    question: str
    analysis: Analysis
    documents: list[Document]
    history: list[tuple[str, str]] = field(default_factory=list)
    #: The answer plan, made once by the pipeline from the annotations (the model's brief).
    plan: AnswerPlan | None = None


class Draft(BaseModel):
    text: str
    #: Exact quotes chosen by the generator: unit number → (start, end) in its source file.
    quotes: dict[int, tuple[int, int]] = Field(default_factory=dict)
    abstained: bool = False
    reason: str | None = None
    #: The answer plan the draft followed (``assistant.plan.AnswerPlan.trace()``), if any.
    plan: dict[str, Any] | None = None


#: What an answer says when the texts do not answer the question, per answer language.
ABSTAIN = {
    "en": "The Rules and the Explanation in this corpus do not address this.",
    "zh": "本库收录的《互联网信息服务管理办法》及其修订草案说明未涉及这一问题。",
}


@runtime_checkable
class Generator(Protocol):
    """What the pipeline needs from a generator (see :mod:`assistant.generators.registry`)."""

    def generate(self, inp: GenerationInput) -> Draft:
        """The whole draft at once."""
        ...

    def stream(self, inp: GenerationInput) -> Iterator[str | Draft]:
        """Text pieces as they are written, then the finished :class:`Draft` (always last)."""
        ...

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> str | None:
        """A follow-up made standalone, or None to let the rule-based rewrite do it."""
        ...


def unit_label(meta: dict[str, object], lang: str, *, wording: bool = True) -> str:
    """Human label of a unit: "Article 14 (2024 wording)", "第十四条（2024年文本）", "Explanation II.4".

    ``wording=False`` leaves the version out ("Article 14").
    """
    cid = CitationId.parse(str(meta.get("id")))
    doc, version, locator, n = cid.doc, cid.version, cid.locator, cid.article_number
    if doc == "rules" and n is not None:
        if lang == "zh":
            from ingest.numerals import int_to_zh

            return f"第{int_to_zh(n)}条" + (f"（{version}年文本）" if wording and version else "")
        return f"Article {n}" + (f" ({version} wording)" if wording and version else "")
    if doc == "explanation":
        if lang == "zh":
            return f"《修订草案征求意见稿说明》{locator}"
        name = "preamble" if locator == "preamble" else locator
        return f"Explanation of the 2012 draft, {name}"
    return f"{doc} {locator}"


_EXPLANATION_LABEL = re.compile(
    r"Explanation of the 2012 draft, (preamble|[IVX]+(?:\.\d+)?)\b|《修订草案征求意见稿说明》(preamble|[IVX]+(?:\.\d+)?)"
)


def first_explanation_label(text: str) -> int:
    """Where the first label of an Explanation unit stands in ``text``; -1 if none does."""
    m = _EXPLANATION_LABEL.search(text)
    return m.start() if m else -1


def explanation_units_named(text: str) -> list[CitationId]:
    """The Explanation's units an answer names by their labels (:func:`unit_label`), in order."""
    out: list[CitationId] = []
    for m in _EXPLANATION_LABEL.finditer(text):
        cid = CitationId("explanation", m.group(1) or m.group(2))
        if cid not in out:
            out.append(cid)
    return out


def numbered_context(documents: list[Document], numbers: list[int] | None = None) -> str:
    """The units as the LLM prompt shows them: ``[n] label\\ntext`` — all of them, or only
    those numbered ``numbers`` (keeping their numbers, so markers still name the same units)."""
    blocks = []
    for n, doc in enumerate(documents, start=1):
        if numbers is not None and n not in numbers:
            continue
        label = unit_label(doc.metadata, "en")
        blocks.append(f"[{n}] {label} — id {doc.metadata['id']}\n{doc.page_content.strip()}")
    return "\n\n".join(blocks)
