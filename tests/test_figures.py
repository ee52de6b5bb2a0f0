"""The figures check on model-written answers, and the fallback to the extractive answer
(fast tier: the tiny corpus, the fake embedder, deterministic fake chat models)."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.answer import Answer
from assistant.figures import SentenceGate, check, figures, sentences
from assistant.generators.llm import LLMGenerator

SOURCES = {
    "1": ["rules@2024#art-4", "Article 4\nkeep record backups for 60 days"],
    "2": ["rules@2024#art-6", "fined not less than RMB 5,000 but not more than RMB 50,000"],
}


def _sources(raw: str) -> list[str] | None:
    return SOURCES.get(raw)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a fine of RMB 5,000 to RMB 50,000 [2]", {5000, 50000}),
        ("处5000元以上5万元以下的罚款", {5000, 50000}),
        ("保存六十日，第十四条", {60, 14}),
        ("sixty days, thirty days in advance", {60, 30}),
        ("no figure here [1][2]", set()),
        ("RMB 1 million", {1_000_000}),
    ],
)
def test_figures(text: str, values: set[float]) -> None:
    assert figures(text) == values


def test_sentences_keep_their_markers_and_decimals() -> None:
    assert sentences("Kept for 60 days. [1] See II.4 and 2.5 here [2].\nNext [1]") == [
        "Kept for 60 days. [1]",
        " See II.4 and 2.5 here [2].",
        "\n",
        "Next [1]",
    ]


def test_a_sentence_whose_figure_its_unit_does_not_state_is_dropped() -> None:
    checked = check(
        "Backups are kept for 60 days [1]. The fine is up to RMB 90,000 [2]. "
        "Article 4 says so [1]. Changes need 30 days' notice. No figure, no marker.",
        _sources,
    )
    assert (
        checked.text
        == "Backups are kept for 60 days [1]. Article 4 says so [1]. No figure, no marker."
    )
    assert checked.dropped == ["The fine is up to RMB 90,000 [2].", "Changes need 30 days' notice."]
    # a figure cited to the wrong unit fails too, and a marker that names nothing vouches nothing
    assert check("Fines reach RMB 50,000 [1].", _sources).dropped
    assert check("Kept 60 days [9].", _sources).dropped


def test_the_stream_gate_releases_what_the_check_keeps() -> None:
    text = "Backups are kept for 60 days. [1] The fine is RMB 90,000 [2]. Up to RMB 50,000 [2]."
    gate = SentenceGate(_sources)
    out = "".join(gate.feed(ch) for ch in text) + gate.flush()
    assert out.strip() == check(text, _sources).text
    assert gate.dropped == check(text, _sources).dropped


@pytest.fixture()
def fresh(tiny_settings):
    from assistant import Assistant

    return Assistant.from_settings(tiny_settings)


def _model(fresh, reply: str) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)] * 10))
    fresh.generators["local"] = LLMGenerator(model)  # as the registry's model-written generator


QUESTION = "How long must internet access service providers keep record backups?"


def test_model_answer_loses_the_unsupported_sentence_asked_and_streamed(fresh) -> None:
    reply = "Record backups are kept for 60 days [1]. They must be kept for 90 days [1]."
    _model(fresh, reply)
    asked = fresh.ask(QUESTION, generator="local")
    assert asked.answer == "Record backups are kept for 60 days [1]."
    assert asked.dropped_sentences == ["They must be kept for 90 days [1]."]
    assert asked.fallback is None and [c.id for c in asked.citations] == ["rules@2024#art-4"]
    _model(fresh, reply)
    items = list(fresh.stream(QUESTION, generator="local"))
    streamed = "".join(i for i in items if isinstance(i, str))
    final = items[-1]
    assert isinstance(final, Answer) and final.answer == asked.answer
    assert "90" not in streamed


def test_no_supported_sentence_falls_back_to_the_extractive_answer(fresh) -> None:
    _model(fresh, "Record backups are kept for 90 days [1].")
    answer = fresh.ask(QUESTION, generator="local")
    assert answer.fallback == "extractive" and answer.generator == "local"
    assert answer.dropped_sentences == ["Record backups are kept for 90 days [1]."]
    assert "60 days" in answer.answer and answer.citations and not answer.abstained


def test_a_model_abstention_is_not_replaced(fresh) -> None:
    _model(fresh, "The Rules and the Explanation in this corpus do not address this.")
    answer = fresh.ask(QUESTION, generator="local")
    assert answer.abstained and answer.fallback is None
