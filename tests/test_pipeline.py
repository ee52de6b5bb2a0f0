"""One pipeline: ``ask`` and ``stream`` run the same stages; one registry of generators."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from assistant.answer import Answer
from assistant.generators import registry
from assistant.generators.base import Draft, GenerationInput, Generator
from assistant.settings import Settings

QUESTIONS = [
    "How long must record backups be kept?",
    "What happens if we do not keep record backups?",
    "What is the capital of France?",
    "第四条怎么规定的？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_is_the_last_item_of_stream(tiny_assistant, question: str) -> None:
    items = list(tiny_assistant.stream(question))
    streamed = items[-1]
    assert isinstance(streamed, Answer) and all(isinstance(i, str) for i in items[:-1])
    asked = tiny_assistant.ask(question)
    assert asked.answer == streamed.answer and asked.abstained == streamed.abstained
    assert [c.id for c in asked.citations] == [c.id for c in streamed.citations]
    assert set(asked.timings) == set(streamed.timings) >= {"prepare", "retrieve", "generate"}
    # the pieces spell the answer (whitespace aside)
    assert "".join(items[:-1]).split() == streamed.answer.split()


class Recording:
    """A generator that records which of its methods the pipeline calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def generate(self, inp: GenerationInput) -> Draft:
        self.calls.append("generate")
        return Draft(text="Backups are kept for 60 days [1].")

    def stream(self, inp: GenerationInput) -> Iterator[str | Draft]:
        self.calls.append("stream")
        yield "Backups are kept "
        yield "for 60 days [1]."
        yield Draft(text="Backups are kept for 60 days [1].")

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> str | None:
        return None


def test_ask_and_stream_both_run_the_generators_stream(tiny_assistant) -> None:
    recording = Recording()
    assert isinstance(recording, Generator)
    tiny_assistant.generators["recording"] = recording
    question = "How long must record backups be kept?"
    asked = tiny_assistant.ask(question, generator="recording")
    streamed = list(tiny_assistant.stream(question, generator="recording"))
    assert recording.calls == ["stream", "stream"]
    assert asked.answer == streamed[-1].answer == "Backups are kept for 60 days [1]."
    assert streamed[:-1] == ["Backups are kept ", "for 60 days [1]."]


def test_the_registry_is_the_one_list(tiny_assistant) -> None:
    assert registry.NAMES == ("extractive", "local", "openai", "ollama")
    with pytest.raises(ValidationError, match="unknown generator"):
        Settings(generator="gpt-7")
    names = tiny_assistant.generator_names()
    assert names[0] == "extractive" and set(names) <= set(registry.NAMES) | set(
        tiny_assistant.generators
    )
    configured = Settings(openai_base_url="http://127.0.0.1:9/v1")
    assert ("openai" in registry.available(configured)) == registry.REGISTRY["openai"].configured(
        configured
    )


def test_history_reaches_no_model_with_control_characters() -> None:
    from assistant.history import normalise

    assert normalise([{"role": "user", "content": "a\x00b\x1b"}, ("c\x07", "d")]) == [
        ("user", "a b "),
        ("user", "c "),
        ("assistant", "d"),
    ]
