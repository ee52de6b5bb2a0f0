"""Explaining an answer with a model, grounded on exactly the units the answer cited (fast
tier: tiny corpus, fake embedder, a deterministic fake chat model)."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.answer import Answer
from assistant.generators.llm import LLMGenerator
from ingest.errors import QuestionError

QUESTION = "How long must internet access service providers keep record backups?"


@pytest.fixture()
def fresh(tiny_settings):
    from assistant import Assistant

    return Assistant.from_settings(tiny_settings)


def test_explanation_reads_only_the_cited_units(fresh) -> None:
    answer = fresh.ask(QUESTION)
    assert [c.id for c in answer.citations] == ["rules@2024#art-4"]
    reply = (
        "Access providers must keep record backups for 60 days [1], "
        "so a week of logs is not enough [1]. Footers are covered elsewhere [2]."
    )
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    fresh.generators["local"] = LLMGenerator(model)
    items = list(fresh.explain(answer, "local"))
    final = items[-1]
    assert isinstance(final, Answer)
    assert [r.id for r in final.retrieved] == ["rules@2024#art-4"]
    assert [r.via for r in final.retrieved] == [["cited"]]
    assert [c.id for c in final.citations] == ["rules@2024#art-4"]
    assert "2" in final.dropped_citations and "[2]" not in final.answer
    assert "".join(i for i in items if isinstance(i, str)).startswith("Access providers")


def test_only_an_answer_with_citations_is_explained(fresh) -> None:
    refused = fresh.ask("What is the capital of France?")
    with pytest.raises(QuestionError, match="citations"):
        fresh.explain(refused, "local")
