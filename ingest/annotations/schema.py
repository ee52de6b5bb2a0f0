"""The annotation schema: what a provision is (duty, sanction, …), who it binds, the values it
sets, what it punishes, and the words users type for it.

One file per document, ``corpus/annotations/<doc>.yaml``; one entry per provision (an
article, or one of its paragraphs ``art-14.p2`` or items ``art-15.i6``; for the Explanation a
point such as ``II.4``). Every ``words`` value is the text's own words, checked at ingest
against the unit it annotates (``ingest.annotations.check``): an annotation states nothing the
text does not say.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Kind = Literal[
    "purpose",
    "scope",
    "definition",
    "regime",
    "duty",
    "prohibition",
    "permission",
    "procedure",
    "competence",
    "sanction",
    "transitional",
    "commencement",
]
FactType = Literal[
    "duration", "deadline", "amount_range", "gains_multiple", "count", "date", "regime"
]
MeasureType = Literal[
    "order_to_correct",
    "warning",
    "fine",
    "confiscation",
    "suspension",
    "closure",
    "licence_revocation",
    "filing_cancellation",
    "criminal_liability",
    "administrative_sanction",
    "other",
]
#: Penalty measures in the order a register lists them (lightest first).
MEASURE_ORDER: tuple[str, ...] = (
    "order_to_correct",
    "warning",
    "confiscation",
    "fine",
    "suspension",
    "closure",
    "licence_revocation",
    "filing_cancellation",
    "administrative_sanction",
    "criminal_liability",
    "other",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    """The exact words of the text that state something, per language of the unit."""

    zh: str | None = Field(default=None, min_length=1)
    en: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _some(self) -> Words:
        if not (self.zh or self.en):
            raise ValueError("give the words in at least one language (zh, en)")
        return self

    def items(self) -> list[tuple[str, str]]:
        return [(lang, text) for lang, text in (("zh", self.zh), ("en", self.en)) if text]


class Fact(_Strict):
    """A typed value the provision sets: a period, a fine range, a regime…"""

    type: FactType
    value: str = Field(min_length=1, description="Normalised: '60 days', 'RMB 5000-50000'.")
    words: Words


class Measure(_Strict):
    """One penalty measure of a sanction, with its words."""

    type: MeasureType
    value: str | None = Field(default=None, description="Fine range or period, normalised.")
    words: Words


class Sanction(_Strict):
    """What a sanction provision punishes and how.

    ``punishes`` names the Rules' own provisions the text says are punished; ``breach`` quotes
    the act punished when the text names none of them ("violates other laws")."""

    punishes: list[str] = Field(
        default_factory=list, description="Provision locators: art-14, art-12.p1"
    )
    breach: Words | None = None
    measures: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _target(self) -> Sanction:
        if not (self.punishes or self.breach):
            raise ValueError("say what is punished: punishes (provisions) or breach (the words)")
        return self


class Phrases(_Strict):
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.en, *self.zh]


class Provision(_Strict):
    id: str = Field(min_length=1, description="Locator inside the document: art-14.p2, II.4")
    #: The wordings this entry describes (Rules: "2011", "2024"); None = every wording.
    wordings: list[str] | None = None
    kind: Kind
    actor: list[str] = Field(default_factory=list)
    applies_to: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    sanctions: list[Sanction] = Field(default_factory=list)
    topics: Phrases = Field(default_factory=Phrases)
    questions: Phrases = Field(default_factory=Phrases)
    #: Explanation points: the Rules articles the point proposes to revise (art-14) …
    revises: list[str] = Field(default_factory=list)
    #: … and the values the draft proposed, with the point's words.
    proposed: list[Fact] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _locator(cls, value: str) -> str:
        if "#" in value or "@" in value:
            raise ValueError("give the locator only (art-14.p2, II.4), not a citation id")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Provision:
        if self.sanctions and self.kind != "sanction":
            raise ValueError("only kind: sanction may list sanctions")
        if self.kind == "sanction" and not self.sanctions:
            raise ValueError("a sanction provision must say what it punishes (sanctions)")
        n = len(self.questions.all())
        if not 3 <= n <= 64:
            raise ValueError(f"give 3 to 64 questions the provision answers (found {n})")
        return self


class AnnotationFile(_Strict):
    doc: str = Field(min_length=1, description="The document's id in the manifest (rules).")
    provisions: list[Provision] = Field(min_length=1)
