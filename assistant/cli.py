"""`regqa ask`: one question, or a terminal chat when no question is given."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ingest.errors import QuestionError, RegqaError

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.core import Assistant


def render(answer: Answer) -> str:
    """Plain-text rendering for a terminal: the answer, then its sources."""
    lines = [answer.answer]
    if answer.abstained and answer.reason:
        lines.append(f"({answer.reason})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:" if answer.lang == "en" else "出处：")
        for k, c in enumerate(answer.citations, start=1):
            lines.append(f"  [{k}] {c.id} — {c.title} ({c.lang}, {c.source} {c.start}–{c.end})")
    if answer.dropped_citations:
        lines.append(
            f"(removed citations that were not supported: {', '.join(answer.dropped_citations)})"
        )
    return "\n".join(lines)


def _load_history(path: Path | None) -> list[Any]:
    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise QuestionError(
            f"Cannot read the history file {path}: {err}.",
            hint="Give a JSON list of {role, content} messages.",
        ) from None
    if not isinstance(data, list):
        raise QuestionError(f"The history file {path} must hold a JSON list.")
    return data


def _assistant(generator: str | None) -> Assistant:
    from assistant.core import Assistant
    from assistant.settings import Settings

    settings = Settings()
    if generator:
        settings = settings.model_copy(update={"generator": generator})
    return Assistant.from_settings(settings)


def ask_command(
    question: Annotated[
        str | None, typer.Argument(help="The question; omit it for a chat.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    history: Annotated[
        Path | None, typer.Option("--history", help="JSON file of earlier messages.")
    ] = None,
    generator: Annotated[
        str | None, typer.Option("--generator", help="extractive, local, openai or ollama.")
    ] = None,
) -> None:
    """Ask a question about the Rules (or chat, without a question)."""
    past = _load_history(history)
    if question is not None:
        from assistant.core import clean_question
        from assistant.settings import Settings

        clean_question(question, Settings().max_question_chars)  # fail before loading anything
        answer = _assistant(generator).ask(question, past)
        typer.echo(answer.model_dump_json(indent=2) if as_json else render(answer))
        return
    _chat(_assistant(generator), past, as_json)


def _chat(assistant: Assistant, history: list[Any], as_json: bool) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        typer.echo(
            "regqa — questions on the Internet Information Service Management Rules. "
            "Not legal advice. Ctrl-D or /quit to leave."
        )
    assistant.warm()
    while True:
        try:
            question = input("\nYou: " if interactive else "")
        except EOFError:
            break
        if question.strip() in ("/quit", "/exit"):
            break
        if not question.strip():
            continue
        try:
            answer = assistant.ask(question, history)
        except RegqaError as err:
            typer.echo(f"Error: {err}", err=True)
            continue
        typer.echo(answer.model_dump_json() if as_json else "\n" + render(answer))
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
