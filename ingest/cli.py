"""`regqa ingest` and `regqa corpus`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ingest.citations import document_label
from ingest.settings import IndexSettings


def _settings(data_dir: Path | None, settings: IndexSettings | None = None) -> IndexSettings:
    base = settings or IndexSettings()
    return base.model_copy(update={"data_dir": data_dir}) if data_dir else base


def ingest_command(
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="Corpus folder with manifest.yaml (REGQA_CORPUS_DIR; default: the project's).",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where the index lives (REGQA_DATA_DIR).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Build a new generation even if nothing changed.")
    ] = False,
) -> None:
    """Parse the corpus and build (or refresh) the index."""
    from ingest.pipeline import run_ingest

    settings = _settings(data_dir)
    progress = None
    bar = None
    if sys.stderr.isatty():
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("Embedding", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

    try:
        report = run_ingest(settings, corpus, progress=progress, force=force)
    finally:
        if bar:
            bar.stop()
    if report.up_to_date:
        typer.echo(
            f"Index {report.generation} is up to date: {report.units} units, "
            f"{report.chunks} chunks; nothing embedded ({report.seconds:.2f} s)."
        )
    else:
        typer.echo(
            f"Index {report.generation} ready: {report.units} units, {report.chunks} "
            f"chunks from {len(report.documents)} files; embedded {report.embedded}, "
            f"reused {report.reused} ({report.seconds:.1f} s). Data dir: {settings.data_dir}"
        )


def corpus_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every unit as a JSON array.")
    ] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
) -> None:
    """List the units in the current index."""
    from ingest.index import Index
    from ingest.pipeline import summary

    settings = _settings(data_dir)
    index = Index.open(settings)
    chunks = [c.model_dump(mode="json") for c in index.chunks]
    if as_json:
        typer.echo(json.dumps(chunks, ensure_ascii=False, indent=1))
        return
    info = summary(chunks)
    meta = index.meta
    gen = index.generation
    typer.echo(
        f"Index {gen} ({meta['created']}, embedder {meta['embedder']}): "
        f"{info['units']} units, {info['chunks']} chunks"
    )
    for doc in meta["documents"]:
        label = document_label(doc["doc"], doc.get("version"))
        typer.echo(f"  {label} [{doc['lang']}] {doc['status']:<21} {doc['date']}  {doc['title']}")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("corpus")(corpus_command)
