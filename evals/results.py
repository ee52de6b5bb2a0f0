"""What an evaluation run produces: one record per case and an aggregate summary."""

from __future__ import annotations

from pydantic import BaseModel, Field

#: The aggregate keys scripts read from ``regqa eval --json`` (a contract; add, never rename).
SUMMARY_KEYS = (
    "n_cases",
    "citation_precision",
    "citation_recall",
    "citation_f1",
    "invented_citations",
    "retrieval_recall_at_1",
    "retrieval_recall_at_3",
    "retrieval_recall_at_5",
    "mrr",
    "alce_citation_recall",
    "alce_citation_precision",
    "keypoint_recall",
    "abstention_precision",
    "abstention_recall",
    "abstention_accuracy",
    "latency_p50_ms",
    "latency_p95_ms",
    "dropped_citations",
    "dropped_sentences",
    "fallback_rate",
)


class CaseResult(BaseModel):
    """One case: what was asked, expected and answered, and its metrics (None = not applicable)."""

    id: str
    question: str = Field(description="The scored (last) turn.")
    turns: list[str] = Field(default_factory=list)
    answerable: bool
    lang: str | None = None
    tags: list[str] = Field(default_factory=list)
    gold: list[str] = Field(default_factory=list)
    keypoints: list[str] = Field(default_factory=list)

    answer: str = ""
    cited: list[str] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = None
    retrieved: list[str] = Field(default_factory=list)
    error: str | None = None

    citation_precision: float | None = None
    citation_recall: float | None = None
    citation_f1: float | None = None
    invented_citations: int = 0
    dropped_citations: int = Field(
        default=0, description="Markers the validator removed (cited nothing retrieved)."
    )
    dropped_sentences: int = Field(
        default=0, description="Model-written sentences removed by the figures check."
    )
    fallback: bool = Field(
        default=False, description="The generator's answer kept nothing; extractive answered."
    )
    recall_at_1: float | None = None
    recall_at_3: float | None = None
    recall_at_5: float | None = None
    reciprocal_rank: float | None = None
    alce_recall: float | None = None
    alce_precision: float | None = None
    keypoint_recall: float | None = None
    keypoints_missed: list[str] = Field(default_factory=list)
    abstention_correct: bool = True
    latency_ms: float = 0.0
    failures: list[str] = Field(default_factory=list, description="Why the case fell short.")

    @property
    def failed(self) -> bool:
        return bool(self.failures)


class RunSummary(BaseModel):
    """Aggregates over the cases of one configuration, with 95 % bootstrap intervals."""

    config: str
    dataset: str
    generator: str
    embedder: str
    retrieval: str
    judge: str
    date: str
    n_cases: int
    citation_precision: float | None = None
    citation_recall: float | None = None
    citation_f1: float | None = None
    invented_citations: int = 0
    #: markers removed by the validator, summed over the cases (per generator: one run each)
    dropped_citations: int = 0
    #: model-written sentences the figures check removed, summed over the cases
    dropped_sentences: int = 0
    #: share of the cases where the generator's answer fell back to the extractive one
    fallback_rate: float | None = None
    retrieval_recall_at_1: float | None = None
    retrieval_recall_at_3: float | None = None
    retrieval_recall_at_5: float | None = None
    mrr: float | None = None
    alce_citation_recall: float | None = None
    alce_citation_precision: float | None = None
    keypoint_recall: float | None = None
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    abstention_accuracy: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    #: metric → [low, high] of its 95 % bootstrap interval
    intervals: dict[str, list[float]] = Field(default_factory=dict)
    #: tag → metric → value (same metric names as above)
    by_tag: dict[str, dict[str, float | None]] = Field(default_factory=dict)
    #: abstention confusion: {"true_abstain", "false_abstain", "missed_abstain", "true_answer"}
    confusion: dict[str, int] = Field(default_factory=dict)

    def scores(self) -> dict[str, float | int | None]:
        """The contract keys only, for ``--json`` and the CI gate."""
        data = self.model_dump()
        return {key: data[key] for key in SUMMARY_KEYS}


class EvalRun(BaseModel):
    summary: RunSummary
    cases: list[CaseResult]
