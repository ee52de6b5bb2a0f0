"""The evaluation report: both files written, comparisons, failing cases, safe HTML, offline."""

from __future__ import annotations

from pathlib import Path

from evals.report import comparison_table, write_report
from evals.results import CaseResult, EvalRun, RunSummary

WHY = "missing citation rules@2024#art-14"
EVIL = "Is <script>alert(1)</script> allowed | forbidden under Article 14?"


def _summary(config: str, f1: float) -> RunSummary:
    return RunSummary(
        config=config,
        dataset="golden-v1",
        generator="fake-llm",
        embedder="all-minilm-l6-v2",
        retrieval="hybrid",
        judge="keypoint-matcher",
        date="2025-01-01",
        n_cases=4,
        citation_precision=0.8,
        citation_recall=0.7,
        citation_f1=f1,
        invented_citations=1,
        retrieval_recall_at_5=0.9,
        mrr=0.75,
        keypoint_recall=0.6,
        abstention_accuracy=0.75,
        latency_p50_ms=120.04,
        latency_p95_ms=480.5,
        intervals={"citation_f1": [f1 - 0.1, f1 + 0.1]},
        by_tag={
            "licensing": {"citation_f1": 0.9, "keypoint_recall": 0.5},
            "penalties": {"citation_f1": 0.4, "keypoint_recall": None},
        },
        confusion={"true_abstain": 1, "false_abstain": 0, "missed_abstain": 1, "true_answer": 2},
    )


def _cases(failing: bool) -> list[CaseResult]:
    return [
        CaseResult(
            id="q-ok-1", question="Who licenses ICP services?", answerable=True, tags=["licensing"],
            gold=["rules@2024#art-7"], cited=["rules@2024#art-7"], citation_f1=1.0,
            latency_ms=100.0,
        ),
        CaseResult(
            id="q-evil", question=EVIL, answerable=True, tags=["penalties"],
            gold=["rules@2024#art-14"], keypoints=["fine up to 1 million yuan"],
            cited=["rules@2024#art-15"], citation_f1=0.0, latency_ms=450.0,
            failures=[WHY, "keypoint missed"] if failing else [],
        ),
        CaseResult(
            id="q-abstain", question="What is the weather?", answerable=False, abstained=True,
            reason="out of scope", latency_ms=80.0,
        ),
        CaseResult(
            id="q-ok-2", question="When did the 2024 revision apply?", answerable=True,
            gold=["rules@2024#art-27"], cited=["rules@2024#art-27"], latency_ms=200.0,
        ),
    ]  # fmt: skip


def test_report_with_two_runs(tmp_path: Path) -> None:
    runs = [
        EvalRun(summary=_summary("baseline-bm25", 0.7), cases=_cases(failing=True)),
        EvalRun(summary=_summary("hybrid-rerank", 0.8), cases=_cases(failing=False)),
    ]
    md_path, html_path = write_report(runs, tmp_path / "out")
    assert md_path.is_file() and html_path.is_file()
    md = md_path.read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")

    table = comparison_table(runs)
    assert table in md
    assert "baseline-bm25" in table and "hybrid-rerank" in table
    assert "| 0.700 |" in table and "| 0.800 |" in table and "480.5" in table
    assert "[0.600, 0.800]" in md  # the 95 % interval of citation F1

    # The failing case of the first run: id and why, with the pipe escaped in Markdown.
    assert "q-evil" in md and f"{WHY}; keypoint missed" in md
    assert "allowed \\| forbidden" in md
    assert "q-ok-1" not in md.split("Failing cases")[-1]
    assert "licensing" in md and "penalties" in md  # per-tag rows
    assert "<img" not in md and "<svg" not in md

    # HTML shows the question as text, embeds its own plots and works offline.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert page.count("<svg") >= 3
    assert "http://" not in page and "https://" not in page
    assert "q-evil" in page and WHY in page


def test_report_without_failures(tmp_path: Path) -> None:
    runs = [EvalRun(summary=_summary("solo", 0.9), cases=_cases(failing=False))]
    md_path, html_path = write_report(runs, tmp_path)
    md = md_path.read_text(encoding="utf-8")
    assert "No failing cases" in md
    assert "No failing cases" in html_path.read_text(encoding="utf-8")
    assert "Difference from" not in md  # a single run has nothing to compare against


def test_comparison_table_shows_missing_values_as_dash() -> None:
    summary = _summary("empty", 0.5).model_copy(update={"mrr": None, "latency_p50_ms": None})
    table = comparison_table([EvalRun(summary=summary, cases=[])])
    row = table.splitlines()[-1]
    assert row.startswith("| empty | 4 | 0.800 |")
    assert row.count("—") == 5  # mrr, p50, the fallback rate and the two ALCE metrics never set
