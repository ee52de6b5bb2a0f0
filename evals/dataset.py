"""Evaluation datasets: YAML lists of cases (format in evals/README.md)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from ingest.citations import CitationId
from ingest.errors import RegqaError

DATASETS = Path(__file__).resolve().parent / "datasets"
DEFAULT_DATASET = DATASETS / "core.yaml"


class DatasetError(RegqaError):
    code = "bad_dataset"


class EvalCase(BaseModel):
    id: str
    question: str | None = None
    turns: list[str] | None = None
    citations: list[str] = Field(default_factory=list)
    keypoints: list[str] = Field(default_factory=list)
    answerable: bool = True
    lang: str | None = None
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> EvalCase:
        if bool(self.question) == bool(self.turns):
            raise ValueError("give either question or turns")
        for cid in self.citations:
            CitationId.parse(cid)
        if not self.answerable and (self.citations or self.keypoints):
            raise ValueError("a case that must be refused has no citations or keypoints")
        return self

    @property
    def all_turns(self) -> list[str]:
        return list(self.turns or [self.question or ""])

    @property
    def gold(self) -> list[CitationId]:
        return [CitationId.parse(c) for c in self.citations]


def load_dataset(path: Path) -> list[EvalCase]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DatasetError(f"Cannot read the dataset {path}: {err.strerror or err}.") from None
    except yaml.YAMLError as err:
        raise DatasetError(f"{path} is not valid YAML: {err}.") from None
    if not isinstance(data, list):
        raise DatasetError(f"{path} must hold a YAML list of cases.", hint="See evals/README.md.")
    cases, seen = [], set()
    for n, raw in enumerate(data, start=1):
        try:
            case = EvalCase.model_validate(raw)
        except (ValidationError, ValueError) as err:
            name = raw.get("id", f"number {n}") if isinstance(raw, dict) else f"number {n}"
            raise DatasetError(
                f"{path}: case {name}: {err}".splitlines()[0],
                hint="See evals/README.md for the case format.",
            ) from None
        if case.id in seen:
            raise DatasetError(f"{path}: case id {case.id!r} is used twice.")
        seen.add(case.id)
        cases.append(case)
    return cases
