"""`regqa obligations`: the register of duties and prohibitions, printed or exported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def obligations_command(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="table, csv, json or xlsx (default: from --out, else table)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Only rows whose actor or scope contains this text."),
    ] = None,
    wording: Annotated[
        str | None, typer.Option("--wording", help="2024 (in force, the default) or 2011.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only duties or only prohibitions.")
    ] = None,
) -> None:
    """Every duty and prohibition of the Rules: actor, words, deadline, sanction, citations."""
    from assistant.obligations import build_register
    from assistant.obligations.export import format_for, write
    from assistant.settings import Settings
    from ingest.index import Index

    chosen = format_for(out, fmt)  # a bad format fails before the index is opened
    register = build_register(Index.open(Settings()), wording, actor, kind)
    text = write(register, chosen, out)
    if text is not None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        typer.echo(
            f"Wrote {register.count} obligations ({register.wording} wording) to {out}.", err=True
        )
