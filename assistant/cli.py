"""`regqa ask`: one question, or a terminal chat when no question is given."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.obligations.cli import obligations_command
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
    memo: Annotated[
        Path | None,
        typer.Option("--memo", help="Also write an answer memo (.docx or .md) for the file."),
    ] = None,
) -> None:
    """Ask a question about the Rules (or chat, without a question)."""
    past = _load_history(history)
    if question is not None:
        from assistant.questions import clean_question
        from assistant.settings import Settings

        clean_question(question, Settings().max_question_chars)  # fail before loading anything
        if memo is not None:
            from assistant.memo import format_of

            format_of(memo)  # a file name the memo cannot take fails before anything loads
        assistant = _assistant(generator)
        answer = assistant.ask(question, past)
        typer.echo(answer.model_dump_json(indent=2) if as_json else render(answer))
        if memo is not None:
            from assistant.memo import memo_of, write

            write(memo_of(assistant, answer, past), memo)
            typer.echo(f"Memo written to {memo}.", err=True)
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


def chat_command(
    host: Annotated[
        str | None, typer.Option("--host", help="Bind address (REGQA_CHAT_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (REGQA_CHAT_PORT).")] = None,
) -> None:
    """Start the Gradio chat (default http://127.0.0.1:7860)."""
    from assistant.settings import Settings
    from assistant.surfaces.chat_app import serve_chat

    settings = Settings()
    serve_chat(settings, host or settings.chat_host, port or settings.chat_port)


def serve_command(
    host: Annotated[
        str | None, typer.Option("--host", help="Bind address (REGQA_SERVE_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (REGQA_SERVE_PORT).")] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Allow a non-loopback bind without API keys.")
    ] = False,
    no_chat: Annotated[
        bool, typer.Option("--no-chat", help="Serve the API only, without the chat at /.")
    ] = False,
) -> None:
    """Serve the HTTP API under /v1 (and the chat at /)."""
    from assistant.settings import Settings
    from assistant.surfaces.server import serve

    settings = Settings()
    serve(settings, host or settings.serve_host, port or settings.serve_port, insecure, not no_chat)


feedback_app = typer.Typer(help="Answer feedback from the chat.", no_args_is_help=True)


@feedback_app.command("export")
def feedback_export(
    yaml_out: Annotated[Path, typer.Option("--yaml", help="Write eval-dataset cases here.")],
) -> None:
    """Turn thumbs up/down into eval-dataset cases to review."""
    from assistant.feedback import FeedbackStore, export_yaml
    from assistant.settings import Settings

    count = export_yaml(FeedbackStore(Settings().data_dir), yaml_out)
    typer.echo(f"Wrote {count} cases to {yaml_out}.")


def mcp_command() -> None:
    """Serve regqa's tools (ask, get_unit, obligations) to an MCP client over stdio."""
    import contextlib

    from assistant.surfaces.mcp_server import build_mcp

    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the protocol, nothing else
        server = build_mcp(_assistant(None))
    server.run("stdio")


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
    app.command("chat")(chat_command)
    app.command("serve")(serve_command)
    app.command("obligations")(obligations_command)
    app.command("mcp")(mcp_command)
    app.add_typer(feedback_app, name="feedback")
