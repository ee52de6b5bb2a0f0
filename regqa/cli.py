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


def _register() -> None:
    from ingest.cli import register as register_ingest

    register_ingest(app)
    try:
        from assistant.cli import register as register_assistant
    except ImportError:  # pragma: no cover - stage not present
        pass
    else:
        register_assistant(app)
    try:
        from evals.cli import register as register_evals
    except ImportError:  # pragma: no cover
        pass
    else:
        register_evals(app)
    try:
        from benchmarks.cli import register as register_bench
    except ImportError:  # pragma: no cover - benchmarks not installed
        pass
    else:
        register_bench(app)


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
