"""`regqa eval`: run datasets over configurations; print, report, gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from evals.dataset import DEFAULT_DATASET


def eval_command(
    dataset: Annotated[
        Path, typer.Option("--dataset", help="YAML cases (see evals/README.md).")
    ] = DEFAULT_DATASET,
    generator: Annotated[
        str | None, typer.Option("--generator", help="Generator for every config.")
    ] = None,
    config: Annotated[
        list[str] | None,
        typer.Option(
            "--config",
            help="Configuration (repeatable): default, hybrid, dense, bm25, e5, minilm, naive, local, … combine with +.",
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write report.md and report.html here.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the aggregate summary as JSON.")
    ] = None,
    gate: Annotated[
        Path | None, typer.Option("--gate", help="Fail (exit 1) below the thresholds in this file.")
    ] = None,
    judge: Annotated[
        str, typer.Option("--judge", help="lexical (default) or llm (uses the generator's model).")
    ] = "lexical",
) -> None:
    """Evaluate citation accuracy, retrieval and abstention on a dataset."""
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.table import Table

    from assistant import Settings
    from evals.gate import check, load_thresholds
    from evals.judges import Judge, LexicalJudge, LLMJudge
    from evals.runner import evaluate

    base = Settings()
    if generator:
        base = base.model_copy(update={"generator": generator})
    chosen: Judge = LexicalJudge()
    if judge == "llm":
        from assistant.generators.llm import chat_model

        chosen = LLMJudge(chat_model(base, base.generator))
    thresholds = load_thresholds(gate) if gate else None
    console = Console(stderr=True)
    runs = []
    for name in config or ["default"]:
        with Progress(console=console, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task(f"eval {name}", total=None)

            def step(done: int, total: int, t: TaskID = task) -> None:
                bar.update(t, completed=done, total=total)

            run = evaluate(dataset, name, base, chosen, progress=step)
        runs.append(run)
    table = Table(title=f"regqa eval — {dataset.name}")
    keys = list(runs[0].summary.scores())
    table.add_column("metric")
    for run in runs:
        table.add_column(run.summary.config, justify="right")
    for key in keys:
        table.add_row(key, *[_fmt(run.summary.scores()[key]) for run in runs])
    Console().print(table)
    if json_out:
        payload: dict[str, object] = dict(runs[0].summary.scores())
        payload["config"] = runs[0].summary.config
        payload["configs"] = {run.summary.config: run.summary.scores() for run in runs}
        json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if report:
        from evals.report import write_report

        report.mkdir(parents=True, exist_ok=True)
        md, html = write_report(runs, report)
        typer.echo(f"Report: {md} and {html}")
    if thresholds is not None:
        failures = check(runs[0].summary, thresholds)
        if failures:
            typer.echo("Eval gate FAILED:\n  " + "\n  ".join(failures), err=True)
            raise typer.Exit(1)
        typer.echo(f"Eval gate passed ({len(thresholds)} thresholds).")


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
