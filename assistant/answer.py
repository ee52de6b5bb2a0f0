"""The answer every generator and surface shares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """A citation of one unit; ``[n]`` in the answer text refers to ``citations[n-1]``."""

    id: str
    doc: str
    version: str | None = None
    locator: str
    title: str
    lang: str = Field(description="Language of the quoted text.")
    quote: str = Field(description="The supporting span, verbatim from the source file.")
    start: int = Field(description="Offset of the quote in the source file (characters).")
    end: int
    source: str = Field(default="", description="Source file name.")


class Retrieved(BaseModel):
    id: str
    score: float
    rank: int
    via: list[str] = Field(default_factory=list, description="ref, bm25, dense")


class Answer(BaseModel):
    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = Field(default=None, description="Why the assistant abstained.")
    dropped_citations: list[str] = Field(
        default_factory=list, description="Markers removed because they cite nothing retrieved."
    )
    unsupported_sentences: list[str] = Field(default_factory=list)
    dropped_sentences: list[str] = Field(
        default_factory=list,
        description="Model-written sentences removed because a figure they state (a period, "
        "an amount, a count, a date) is not in the units they cite.",
    )
    fallback: str | None = Field(
        default=None,
        description="Set when the chosen generator's answer kept no supported sentence and "
        "this answer comes from another generator (extractive): its name.",
    )
    retrieved: list[Retrieved] = Field(default_factory=list)
    standalone_question: str | None = None
    lang: str = "en"
    generator: str = "extractive"
    generation: str | None = Field(default=None, description="Index generation that answered.")
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")
    see_also: list[str] = Field(
        default_factory=list,
        description="When the answer abstains: the closest units, for reading, not cited.",
    )
    plan: dict[str, Any] | None = Field(
        default=None,
        description="The answer plan: intent, scope, subject, target units, facts to state.",
    )

    @property
    def cited_ids(self) -> list[str]:
        return [c.id for c in self.citations]
