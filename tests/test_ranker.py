"""The ranker learned from the annotations (assistant.ranker)."""

from __future__ import annotations

import pytest

from assistant.ranker import ViewRanker
from ingest.citations import CitationId

BACKUPS = CitationId.parse("rules@2024#art-14")
REGIME = CitationId.parse("rules@2024#art-4")
EXAMPLES = [
    ("how long do we keep the logs", BACKUPS),
    ("日志要保存多久", BACKUPS),
    ("record backups retention period", BACKUPS),
    ("do we need a licence or a filing", REGIME),
    ("要办许可证还是备案", REGIME),
    ("licensing system for commercial sites", REGIME),
]


def test_the_ranker_names_the_unit_whose_phrasings_a_question_shares() -> None:
    ranker = ViewRanker.fit(EXAMPLES)
    assert ranker is not None and ranker.dense is None  # no vectors: no dense half
    for question, unit in (("日志保存几天？", BACKUPS), ("许可证还是备案？", REGIME)):
        scores = ranker.scores(question, None)
        assert max(scores, key=scores.__getitem__) == CitationId(unit.doc, unit.locator, None)
        assert sum(scores.values()) == pytest.approx(1.0)


def test_the_dense_half_reads_the_vectors_it_is_given() -> None:
    # vectors that only the dense half can tell apart: the texts share no characters
    examples = [("aaa", BACKUPS), ("bbb", BACKUPS), ("ccc", REGIME), ("ddd", REGIME)]
    vectors = {"aaa": [1.0, 0.0], "bbb": [0.9, 0.1], "ccc": [0.0, 1.0], "ddd": [0.1, 0.9]}
    ranker = ViewRanker.fit(examples, vectors)
    assert ranker is not None and ranker.dense is not None
    toward_regime = ranker.scores("zzz", [0.0, 1.0])
    toward_backups = ranker.scores("zzz", [1.0, 0.0])
    regime = CitationId("rules", "art-4", None)
    assert toward_regime[regime] > 0.5 > toward_backups[regime]


def test_one_unit_is_nothing_to_rank() -> None:
    assert ViewRanker.fit(EXAMPLES[:3]) is None


def test_the_retriever_fuses_the_ranker_and_an_unannotated_unit_can_win(tiny_assistant) -> None:
    retriever = tiny_assistant.retriever
    assert retriever.ranker is not None
    # the tiny corpus annotates Articles 4-6 only; Article 2 (the regimes) is learned from its text
    scores = retriever.ranker.scores("经营性互联网信息服务实行什么制度？", None)
    assert max(scores, key=scores.__getitem__) == CitationId("rules", "art-2", None)
    docs = retriever.invoke("经营性互联网信息服务实行什么制度？")
    assert docs[0].metadata["id"] == "rules@2024#art-2"
    assert "ranker" in docs[0].metadata["via"]


def test_the_ranker_can_be_switched_off(tiny_settings) -> None:
    from assistant import Assistant

    off = Assistant.from_settings(tiny_settings.model_copy(update={"learned_ranker": False}))
    assert off.retriever.ranker is None
    docs = off.retriever.invoke("经营性互联网信息服务实行什么制度？")
    assert all("ranker" not in d.metadata["via"] for d in docs)
