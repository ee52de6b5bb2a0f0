"""The evaluation suite: dataset format, judge, metrics, the CI gate."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer import Answer, Citation, Retrieved
from assistant.retriever import HybridRetriever
from evals.dataset import DEFAULT_DATASET, DatasetError, EvalCase, load_dataset
from evals.gate import check, load_thresholds
from evals.judges import LexicalJudge, alce_scores, statements
from evals.metrics import score_case, summarize
from evals.runner import evaluate

ART14 = (
    "Internet information service providers and internet access service providers shall keep "
    "record backups for 60 days and provide them when relevant State authorities make "
    "inquiries in accordance with the law."
)


def test_core_dataset_meets_its_brief() -> None:
    cases = load_dataset(DEFAULT_DATASET)
    tags = [t for c in cases for t in c.tags]
    assert len(cases) >= 100
    english_articles = {
        g.locator for c in cases if c.lang != "zh" for g in c.gold if g.doc == "rules"
    }
    assert {f"art-{n}" for n in range(1, 28)} <= english_articles
    assert sum(c.lang == "zh" for c in cases) >= 20
    expl = {g.locator for c in cases for g in c.gold if g.doc == "explanation"}
    assert {"preamble", "I.1", "I.2", "I.3", "II", *(f"II.{n}" for n in range(1, 8))} <= expl
    assert tags.count("version") >= 5 and tags.count("draft-comparison") >= 5
    assert sum(1 for c in cases if c.turns) >= 10
    assert sum(1 for c in cases if not c.answerable) >= 15
    pairs = [t for t in set(tags) if t.startswith("pair-")]
    assert len(pairs) >= 10


def test_bad_dataset_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- id: x\n  question: q\n  citations: ['art-14']\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="case x"):
        load_dataset(path)
    path.write_text("- id: y\n  question: q\n  answerable: false\n  citations: ['rules#art-1']\n")
    with pytest.raises(DatasetError, match="refused"):
        load_dataset(path)


def test_lexical_judge_says_yes_and_no() -> None:
    judge = LexicalJudge()
    assert judge.entails([ART14], "Record backups shall be kept for 60 days.")  # quoted facts
    assert judge.entails([ART14], "60 days.")
    assert not judge.entails([ART14], "Record backups shall be kept for 90 days.")  # wrong number
    assert not judge.entails([ART14], "Providers must encrypt all user passwords.")  # new claim
    assert not judge.entails([], "60 days.")  # no evidence
    assert judge.entails(["国家对经营性互联网信息服务实行许可制度"], "许可制度。")


def test_alce_recall_and_precision() -> None:
    judge = LexicalJudge()
    good = "60 days. [1]\n\nArticle 14: “Providers shall keep record backups for 60 days.” [1]"
    assert alce_scores(good, [ART14], judge) == (1.0, 1.0)
    irrelevant = "Record backups are kept for 60 days. [1][2]"
    recall, precision = alce_scores(
        irrelevant, [ART14, "Article 27 These Rules take effect."], judge
    )
    assert recall == 1.0 and precision == 0.5
    assert alce_scores("They are kept for a year. [1]", [ART14], judge) == (0.0, 0.0)
    assert [s.cited for s in statements(good)] == [[1], [1]]


def _answer(cited: list[str], text: str = "60 days. [1]", abstained: bool = False) -> Answer:
    return Answer(
        question="q",
        answer=text,
        abstained=abstained,
        citations=[
            Citation(
                id=c,
                doc="rules",
                version="2024",
                locator=c.split("#")[1],
                title="",
                lang="en",
                quote=ART14,
                start=0,
                end=1,
            )
            for c in cited
        ],
        retrieved=[
            Retrieved(id=c, score=1.0, rank=i)
            for i, c in enumerate(["rules@2024#art-4", *cited], 1)
        ],
    )


_INFO = dict(
    config="t", dataset="d", generator="g", embedder="e", retrieval="r", judge="lexical", date="n"
)


def test_case_metrics() -> None:
    case = EvalCase(
        id="c", question="q", citations=["rules#art-14"], keypoints=["60 days|sixty days"]
    )
    known = lambda cid: True  # noqa: E731
    good = score_case(case, _answer(["rules@2024#art-14"]), 10.0, LexicalJudge(), known)
    assert (good.citation_precision, good.citation_recall, good.keypoint_recall) == (1.0, 1.0, 1.0)
    assert good.recall_at_1 == 0.0 and good.recall_at_3 == 1.0 and good.reciprocal_rank == 0.5
    assert not good.failures
    extra = score_case(
        case, _answer(["rules@2024#art-14", "rules@2024#art-3"]), 1, LexicalJudge(), known
    )
    assert extra.citation_precision == 0.5 and "also cited rules@2024#art-3" in extra.failures
    refuse = EvalCase(id="r", question="weather?", answerable=False)
    wrong = score_case(refuse, _answer(["rules@2024#art-14"]), 1, LexicalJudge(), lambda c: False)
    assert not wrong.abstention_correct and wrong.invented_citations == 1
    with_dropped = _answer(["rules@2024#art-14"]).model_copy(update={"dropped_citations": ["7"]})
    dropped = score_case(case, with_dropped, 1, LexicalJudge(), known)
    assert dropped.dropped_citations == 1 and good.dropped_citations == 0
    assert summarize([good, dropped], **_INFO).dropped_citations == 1
    summary = summarize(
        [good, extra, wrong],
        config="t",
        dataset="d",
        generator="g",
        embedder="e",
        retrieval="r",
        judge="lexical",
        date="now",
    )
    assert summary.citation_precision == 0.75 and summary.abstention_accuracy == pytest.approx(
        0.6667, abs=1e-3
    )
    assert summary.confusion == {
        "true_abstain": 0,
        "missed_abstain": 1,
        "false_abstain": 0,
        "true_answer": 2,
    }


def test_default_passes_the_gate_and_a_broken_retriever_fails_it(assistant) -> None:
    thresholds = load_thresholds()
    run = evaluate(DEFAULT_DATASET, system=assistant)
    assert check(run.summary, thresholds) == [], run.summary.scores()
    assert run.summary.invented_citations == 0

    class ReversedRetriever(HybridRetriever):  # the least relevant units first
        def search(self, question, analysis=None, anchors=None):
            return list(reversed(super().search(question, analysis, anchors)))

    r = assistant.retriever
    broken_retriever = ReversedRetriever(
        index=r.index,
        analyser=r.analyser,
        embeddings=r.embeddings,
        mode=r.mode,
        k=r.k,
        window=r.window,
        candidates=r.candidates,
        fusion=r.fusion,
        rrf_k=r.rrf_k,
    )
    snap = assistant.snapshot()
    broken_system = Assistant(
        assistant.settings, dataclasses.replace(snap, retriever=broken_retriever)
    )
    broken = evaluate(DEFAULT_DATASET, system=broken_system)
    failures = check(broken.summary, thresholds)
    assert any(f.startswith("citation_recall") for f in failures)
    assert any(f.startswith("retrieval_recall_at_5") for f in failures)


def test_a_quote_over_several_lines_carries_its_marker_to_every_line() -> None:
    """A provision's items are quoted on their own lines with one marker at the end: every
    sentence of the quote is cited by it (as the validator reads the quote)."""
    answer = (
        "Lead. [1]\n\nArticle 6 (2024 wording): “Anyone shall meet the following conditions:\n\n"
        "(1) having a plan;\n\n(2) having safeguards.” [2]\n\nUncited line."
    )
    assert [(s.text, s.cited) for s in statements(answer)] == [
        ("Lead.", [1]),
        ("Anyone shall meet the following conditions:", [2]),
        ("(1) having a plan;", [2]),
        ("(2) having safeguards.", [2]),
        ("Uncited line.", []),
    ]


def test_a_paragraph_quoted_whole_on_one_line_carries_its_marker_to_every_sentence() -> None:
    """A paragraph of several sentences quoted whole, with one marker after it: each of its
    sentences is cited by that marker; a sentence before the quote opens is not."""
    answer = (
        "Lead without a marker. Explanation of the 2012 draft, II: “The draft has six chapters. "
        "The main content is as follows:” [1]"
    )
    assert [(s.text, s.cited) for s in statements(answer)] == [
        ("Lead without a marker.", []),
        ("The draft has six chapters.", [1]),
        ("The main content is as follows:", [1]),
    ]


def test_a_quotes_marker_is_not_lent_to_what_stands_outside_it() -> None:
    one_line = "Providers must delete it all. Article 14: “Backups are kept for 60 days.” [1]"
    assert [s.cited for s in statements(one_line)] == [[], [1]]
    unclosed = "Article 4 says “licensing\n\nBogus statement.\n\nAnother."
    assert all(s.cited == [] for s in statements(unclosed))
