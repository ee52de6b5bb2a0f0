"""The `regqa` console script: gathers the sub-commands of each stage.

It sits above ingest, assistant and evals so that no stage imports a later one.
Errors become one-line messages and exit status 2 here, nowhere deeper.
"""

from __future__ import annotations

import os
import sys

import typer

from ingest.errors import RegqaError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Questions and answers on China's Internet Information Service Management Rules.",
)


#: Each stage contributes its sub-commands through a ``register(app)`` function.
STAGES = ("ingest.cli", "assistant.cli", "evals.cli", "benchmarks.cli")


def _register() -> None:
    import importlib

    for name in STAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a stage not installed
            continue
        module.register(app)


_register()


def main() -> None:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    try:
        app()
    except RegqaError as err:
        typer.echo(f"Error: {err}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
