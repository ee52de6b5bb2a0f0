"""The extractive generator's scoring and composition, on the tiny corpus (fast tier)."""

from __future__ import annotations

import pytest

from assistant.generators.base import GenerationInput
from assistant.generators.extractive import ExtractiveGenerator, question_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How long must record backups be kept?", "duration"),
        ("How much is the fine for not showing the number?", "money"),
        ("经营性互联网信息服务实行什么制度？", "system"),
        ("Who supervises the content?", None),
    ],
)
def test_question_types(question: str, kind: str | None) -> None:
    got = question_type(question)
    assert got == kind or (kind is None and got not in ("duration", "money", "system"))


def _draft(assistant, question: str):
    analysis = assistant.retriever.analyser.analyze(question)
    docs = assistant.retriever.invoke(question)[: assistant.settings.top_k]
    generator = assistant.generators["extractive"]
    assert isinstance(generator, ExtractiveGenerator)
    return generator.generate(GenerationInput(question, analysis, docs, [])), docs


def test_the_lead_states_the_period_and_the_quote_holds_it(tiny_assistant) -> None:
    draft, docs = _draft(tiny_assistant, "How long must access providers keep record backups?")
    # who must do what, in the annotation's words, with its marker
    lead = draft.text.splitlines()[0]
    assert lead == "Internet access service providers must keep record backups for 60 days. [1]"
    assert not draft.abstained
    n, (start, end) = next(iter(draft.quotes.items()))
    doc = docs[n - 1]
    chunk = tiny_assistant.index.unit(doc.metadata["id"], doc.metadata["lang"])
    assert "60 days" in chunk.text[start - chunk.start : end - chunk.start]


def test_a_regime_question_in_chinese_is_answered_in_chinese(tiny_assistant) -> None:
    draft, _ = _draft(tiny_assistant, "经营性互联网信息服务实行什么制度？")
    assert draft.text.startswith("许可制度") and "第二条" in draft.text


def test_an_article_asked_for_by_number_is_quoted_from_its_start(tiny_assistant) -> None:
    draft, docs = _draft(tiny_assistant, "What does Article 6 say?")
    assert docs[0].metadata["id"] == "rules@2024#art-6" and list(draft.quotes) == [1]
    assert "“Whoever violates Article 4 of these Rules shall be ordered" in draft.text
