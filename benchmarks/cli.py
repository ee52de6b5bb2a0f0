"""`regqa bench`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def bench_command(
    quick: Annotated[
        bool, typer.Option("--quick", help="Skip the 100k size; about 2 minutes.")
    ] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the results as JSON.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write bench.md and the plot here.")
    ] = None,
) -> None:
    """Measure ingest, retrieval, answers, the API and scaling; print PASS/FAIL per target."""
    from benchmarks.run import markdown, run, write_outputs

    data = run(quick, lambda line: typer.echo(line, err=True))
    write_outputs(data, json_out, report)
    typer.echo(markdown(data))


def register(app: typer.Typer) -> None:
    app.command("bench")(bench_command)
