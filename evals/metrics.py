"""Per-case metrics and their aggregation (means with 95 % bootstrap intervals, per tag)."""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable
from typing import Any

from assistant.answer import Answer
from evals.dataset import EvalCase
from evals.judges import Judge, alce_scores
from evals.keypoints import found as keypoint_found
from evals.results import CaseResult, RunSummary
from ingest.citations import CitationId


def _matches(gold: list[CitationId], predicted: str) -> bool:
    try:
        return any(g.matches(predicted) for g in gold)
    except ValueError:
        return False


def score_case(
    case: EvalCase,
    answer: Answer,
    latency_ms: float,
    judge: Judge,
    known_units: Callable[[str], bool],
) -> CaseResult:
    gold = case.gold
    cited = list(dict.fromkeys(answer.cited_ids))
    retrieved = [r.id for r in answer.retrieved]
    result = CaseResult(
        id=case.id,
        question=case.all_turns[-1],
        turns=case.all_turns,
        answerable=case.answerable,
        lang=case.lang,
        tags=case.tags,
        gold=case.citations,
        keypoints=case.keypoints,
        answer=answer.answer,
        cited=cited,
        abstained=answer.abstained,
        reason=answer.reason,
        retrieved=retrieved,
        latency_ms=round(latency_ms, 2),
    )
    result.invented_citations = sum(1 for c in cited if not known_units(c) or c not in retrieved)
    result.dropped_citations = len(getattr(answer, "dropped_citations", []) or [])
    result.dropped_sentences = len(getattr(answer, "dropped_sentences", []) or [])
    result.fallback = getattr(answer, "fallback", None) is not None
    result.abstention_correct = answer.abstained == (not case.answerable)
    why = result.failures
    if not result.abstention_correct:
        why.append(
            "abstained: " + (answer.reason or "")
            if answer.abstained
            else "answered a question it should have refused"
        )
    if result.invented_citations:
        why.append(f"{result.invented_citations} citation(s) not in the corpus or not retrieved")
    if case.answerable:
        hits = [c for c in cited if _matches(gold, c)]
        result.citation_precision = len(hits) / len(cited) if cited else 0.0
        found = [g for g in gold if any(g.matches(c) for c in cited)]
        result.citation_recall = len(found) / len(gold) if gold else None
        p, r = result.citation_precision, result.citation_recall
        result.citation_f1 = (2 * p * r / (p + r) if p + r else 0.0) if r is not None else None
        if gold:
            ranks = [
                next((i for i, rid in enumerate(retrieved, 1) if g.matches(rid)), None)
                for g in gold
            ]
            for k in (1, 3, 5):
                setattr(result, f"recall_at_{k}", sum(1 for x in ranks if x and x <= k) / len(gold))
            first = min((x for x in ranks if x), default=None)
            result.reciprocal_rank = 1 / first if first else 0.0
            missing = [str(g) for g in gold if not any(g.matches(c) for c in cited)]
            if missing:
                why.append("missed " + ", ".join(missing))
        extra = [c for c in cited if c not in hits]
        if extra:
            why.append("also cited " + ", ".join(extra))
        if case.keypoints:
            result.keypoints_missed = [
                k for k in case.keypoints if not keypoint_found(k, answer.answer)
            ]
            result.keypoint_recall = 1 - len(result.keypoints_missed) / len(case.keypoints)
            if result.keypoints_missed:
                why.append("keypoints missing: " + ", ".join(result.keypoints_missed))
        if not answer.abstained:
            texts = [c.quote if c.quote else "" for c in answer.citations]
            result.alce_recall, result.alce_precision = alce_scores(answer.answer, texts, judge)
    elif cited:
        why.append("cited " + ", ".join(cited) + " on a question it should refuse")
    return result


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(statistics.fmean(vals), 4) if vals else None


def _bootstrap(values: list[float], rounds: int = 1000, seed: int = 0) -> list[float] | None:
    if len(values) < 2:
        return None
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return [round(means[int(0.025 * rounds)], 4), round(means[int(0.975 * rounds) - 1], 4)]


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


_CASE_METRICS = {
    "citation_precision": "citation_precision",
    "citation_recall": "citation_recall",
    "citation_f1": "citation_f1",
    "retrieval_recall_at_1": "recall_at_1",
    "retrieval_recall_at_3": "recall_at_3",
    "retrieval_recall_at_5": "recall_at_5",
    "mrr": "reciprocal_rank",
    "alce_citation_recall": "alce_recall",
    "alce_citation_precision": "alce_precision",
    "keypoint_recall": "keypoint_recall",
}


def _aggregate(cases: list[CaseResult]) -> dict[str, float | None]:
    out: dict[str, float | None] = {
        name: _mean(getattr(c, attr) for c in cases) for name, attr in _CASE_METRICS.items()
    }
    out["abstention_accuracy"] = _mean(1.0 if c.abstention_correct else 0.0 for c in cases)
    return out


def summarize(cases: list[CaseResult], **info: str) -> RunSummary:
    flat: dict[str, Any] = dict(_aggregate(cases))
    should = [c for c in cases if not c.answerable]
    did = [c for c in cases if c.abstained]
    confusion = {
        "true_abstain": sum(1 for c in should if c.abstained),
        "missed_abstain": sum(1 for c in should if not c.abstained),
        "false_abstain": sum(1 for c in cases if c.answerable and c.abstained),
        "true_answer": sum(1 for c in cases if c.answerable and not c.abstained),
    }
    latencies = [c.latency_ms for c in cases if c.error is None]
    intervals = {}
    for name, attr in {**_CASE_METRICS, "abstention_accuracy": "abstention_correct"}.items():
        values = [float(getattr(c, attr)) for c in cases if getattr(c, attr) is not None]
        interval = _bootstrap(values)
        if interval:
            intervals[name] = interval
    tags = sorted({t for c in cases for t in c.tags})
    by_tag: dict[str, dict[str, float | None]] = {
        tag: {
            **_aggregate([c for c in cases if tag in c.tags]),
            "n": float(sum(1 for c in cases if tag in c.tags)),
        }
        for tag in tags
    }
    return RunSummary(
        n_cases=len(cases),
        **flat,
        **info,  # type: ignore[arg-type]
        invented_citations=sum(c.invented_citations for c in cases),
        dropped_citations=sum(c.dropped_citations for c in cases),
        dropped_sentences=sum(c.dropped_sentences for c in cases),
        fallback_rate=round(sum(c.fallback for c in cases) / len(cases), 4) if cases else None,
        abstention_precision=round(confusion["true_abstain"] / len(did), 4) if did else None,
        abstention_recall=round(confusion["true_abstain"] / len(should), 4) if should else None,
        latency_p50_ms=_percentile(latencies, 0.5),
        latency_p95_ms=_percentile(latencies, 0.95),
        intervals=intervals,
        by_tag=by_tag,
        confusion=confusion,
    )
