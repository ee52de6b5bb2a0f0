"""The register's rows: what a compliance team keeps for each duty or prohibition.

Every value that states something about the law is the text's own words (``Quote``) or an
annotation whose words were checked against the text at ingest; labels such as
"order to correct" only name the type of a measure whose words are given beside it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MEASURE_LABELS: dict[str, str] = {
    "order_to_correct": "order to correct",
    "warning": "warning",
    "confiscation": "confiscation of illegal gains",
    "fine": "fine",
    "suspension": "suspension of business",
    "closure": "closure of the website",
    "licence_revocation": "revocation of the licence",
    "filing_cancellation": "cancellation of the filing",
    "administrative_sanction": "administrative sanction",
    "criminal_liability": "criminal liability",
    "other": "other",
}


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class Quote(_Row):
    """The same words in each language the corpus has them in."""

    en: str | None = None
    zh: str | None = None


class Term(_Row):
    """A period or deadline the provision sets."""

    type: str = Field(description="duration or deadline")
    value: str = Field(description="Normalised: '60 days', '30 days in advance'.")
    words: Quote


class Measure(_Row):
    type: str
    label: str
    value: str | None = Field(default=None, description="A fine range, normalised.")
    words: Quote

    def short(self) -> str:
        return f"{self.label} ({self.value})" if self.value else self.label


class SanctionRef(_Row):
    """A sanction provision that punishes the obligation, with its measures in order."""

    id: str = Field(description="Citation id of the sanction provision: rules@2024#art-22.p1.")
    measures: list[Measure]


class Obligation(_Row):
    id: str = Field(description="Citation id of the provision: rules@2024#art-14.p2.")
    unit: str = Field(description="Citation id of the article holding it: rules@2024#art-14.")
    label: str = Field(description="Article 14, paragraph 2")
    kind: str = Field(description="duty or prohibition")
    wording: str
    actor: list[str] = Field(description="Who the provision binds, in the text's words.")
    applies_to: list[str] = Field(description="The kinds of service it concerns.")
    what: Quote = Field(description="The provision's own words, English and Chinese.")
    deadlines: list[Term] = Field(default_factory=list)
    sanctions: list[SanctionRef] = Field(default_factory=list)
    citations: list[str] = Field(description="The provision's id, then its sanctions' ids.")


class Register(_Row):
    wording: str
    generation: str
    actor: str | None = None
    kind: str | None = None
    count: int
    obligations: list[Obligation]
    notice: str = (
        "Made from the text of the Rules and regqa's checked annotations. The English is an "
        "unofficial translation; the Chinese text is authoritative. Not legal advice."
    )


def flat(row: Obligation) -> dict[str, str]:
    """One row as spreadsheet cells (csv, xlsx, the terminal table)."""
    return {
        "id": row.id,
        "label": row.label,
        "kind": row.kind,
        "actor": "; ".join(row.actor),
        "applies_to": "; ".join(row.applies_to),
        "what_en": row.what.en or "",
        "what_zh": row.what.zh or "",
        "deadline": "; ".join(t.value for t in row.deadlines),
        "deadline_words_en": "; ".join(t.words.en or "" for t in row.deadlines),
        "deadline_words_zh": "; ".join(t.words.zh or "" for t in row.deadlines),
        "sanction_ids": "; ".join(s.id for s in row.sanctions),
        "measures": " | ".join("; ".join(m.short() for m in s.measures) for s in row.sanctions),
        "citations": "; ".join(row.citations),
    }


COLUMNS: tuple[str, ...] = tuple(
    flat(
        Obligation(
            id="",
            unit="",
            label="",
            kind="",
            wording="",
            actor=[],
            applies_to=[],
            what=Quote(),
            citations=[],
        )
    )
)
