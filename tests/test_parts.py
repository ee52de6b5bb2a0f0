"""Which provision of a unit a question is about, from users' phrasings (assistant.parts)."""

from __future__ import annotations

from assistant.parts import PartMatcher


def test_a_question_is_closest_to_the_phrasings_of_its_provision(tiny_assistant) -> None:
    matcher = PartMatcher.build(tiny_assistant.snapshot().index.chunks)
    assert matcher is not None
    units = ["rules#art-4", "rules#art-5", "rules#art-6"]
    scores = matcher.scores("how long must we keep the user logs?", units)
    assert max(scores, key=scores.__getitem__) == ("rules#art-4", "art-4.p1")
    footer = matcher.scores("where does the licence number go, the footer?", units)
    assert matcher.scores("logs", ["rules#art-99"]) == {}
    assert footer[("rules#art-5", "art-5.p1")] > footer.get(("rules#art-4", "art-4.p1"), 0.0)


def test_a_clause_is_keyed_by_its_unit_without_wording() -> None:
    assert PartMatcher.key("rules@2011#art-4", "art-4.p1") == ("rules#art-4", "art-4.p1")


def test_nothing_annotated_is_nothing_to_match() -> None:
    assert PartMatcher.build([]) is None


def test_the_sentence_index_scores_provisions(tiny_assistant) -> None:
    sentences = tiny_assistant.snapshot().sentences
    scores = sentences.part_scores("licence number on the homepage", ["rules@2024#art-5"])
    assert set(scores) == {("rules#art-5", "art-5.p1")} and scores[("rules#art-5", "art-5.p1")] > 0
