"""The CI gate: thresholds kept in a committed file, checked against a run's summary."""

from __future__ import annotations

from pathlib import Path

import yaml

from evals.dataset import DatasetError
from evals.results import SUMMARY_KEYS, RunSummary

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
#: Metrics where lower is better: the threshold is a maximum.
LOWER_IS_BETTER = {
    "invented_citations",
    "dropped_citations",
    "dropped_sentences",
    "fallback_rate",
    "latency_p50_ms",
    "latency_p95_ms",
}


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, float]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise DatasetError(f"Cannot read the thresholds file {path}: {err}.") from None
    limits: dict[str, float] = data.get("thresholds") or {}
    unknown = set(limits) - set(SUMMARY_KEYS)
    if unknown:
        raise DatasetError(
            f"{path}: unknown metrics {sorted(unknown)}.",
            hint=f"Use summary keys: {', '.join(SUMMARY_KEYS)}.",
        )
    return {k: float(v) for k, v in limits.items()}


def check(summary: RunSummary, thresholds: dict[str, float]) -> list[str]:
    """Failures as sentences; empty when the run passes."""
    scores = summary.scores()
    failures = []
    for metric, limit in thresholds.items():
        value = scores.get(metric)
        if value is None:
            failures.append(f"{metric} was not measured (threshold {limit})")
        elif metric in LOWER_IS_BETTER and value > limit:
            failures.append(f"{metric} = {value} is above the maximum {limit}")
        elif metric not in LOWER_IS_BETTER and value < limit:
            failures.append(f"{metric} = {value} is below the minimum {limit}")
    return failures
