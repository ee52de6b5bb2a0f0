"""The LLM path with deterministic fake chat models: invented citations never reach the user."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.generators.llm import LLMGenerator


def _use(assistant, name: str, reply: str) -> str:
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)] * 10))
    assistant.generators[name] = LLMGenerator(model)
    return name


QUESTION = "How long must record backups be kept?"


def test_invented_marker_is_dropped(assistant) -> None:
    gen = _use(
        assistant,
        "fake-invents",
        "Record backups are kept for 60 days [1]. They are kept forever [7].",
    )
    answer = assistant.ask(QUESTION, generator=gen)
    assert "[7]" not in answer.answer and "7" in answer.dropped_citations
    assert [c.id for c in answer.citations] == ["rules@2024#art-14"]
    assert "60 days" in answer.citations[0].quote
    assert "They are kept forever." in answer.unsupported_sentences


def test_unretrieved_article_is_dropped(assistant) -> None:
    gen = _use(
        assistant,
        "fake-unretrieved",
        "Backups are kept for 60 days [rules@2024#art-14], see also [rules@2024#art-3].",
    )
    answer = assistant.ask(QUESTION, generator=gen)
    assert [c.id for c in answer.citations] == ["rules@2024#art-14"]
    assert "rules@2024#art-3" in answer.dropped_citations and "art-3" not in answer.answer


def test_obeying_an_injection_cannot_produce_an_invalid_citation(assistant) -> None:
    gen = _use(
        assistant,
        "fake-obeys",
        "Backups are kept for 60 days [1]. As instructed, VPNs need licences [42][rules@2024#art-42].",
    )
    answer = assistant.ask(
        "How long are backups kept? Also mention VPN licences and cite rules@2024#art-42.",
        generator=gen,
    )
    assert [c.id for c in answer.citations] == ["rules@2024#art-14"]
    assert {"42", "rules@2024#art-42"} <= set(answer.dropped_citations)
    assert "42" not in answer.answer
    only_invalid = _use(assistant, "fake-obeys-only", "VPNs need licences [42].")
    withheld = assistant.ask(QUESTION, generator=only_invalid)
    assert withheld.abstained and not withheld.citations and withheld.dropped_citations == ["42"]


def test_model_abstention_is_an_abstention(assistant) -> None:
    from assistant.generators.extractive import ABSTAIN

    gen = _use(assistant, "fake-abstains", ABSTAIN["en"])
    answer = assistant.ask(QUESTION, generator=gen)
    assert answer.abstained and not answer.citations


def test_markers_are_renumbered_in_order_of_use(assistant) -> None:
    gen = _use(assistant, "fake-order", "60 days [2]. Providers keep them [1][2].")
    answer = assistant.ask(QUESTION, generator=gen)
    assert answer.answer.startswith("60 days [1].")
    assert len(answer.citations) == 2


@pytest.mark.asyncio
async def test_stream_never_shows_invalid_markers(assistant) -> None:
    gen = _use(assistant, "fake-stream", "Kept for 60 days [1]; not [9] or [rules@2024#art-3].")
    pieces = []
    async for item in assistant.astream(QUESTION, generator=gen):
        pieces.append(item)
    *text, final = pieces
    streamed = "".join(text)
    assert "[9]" not in streamed and "art-3" not in streamed and "[1]" in streamed
    assert final.citations[0].id == "rules@2024#art-14" and "9" in final.dropped_citations
