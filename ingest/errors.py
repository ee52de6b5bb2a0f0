"""Errors regqa raises, each saying what went wrong and what to do about it.

They carry plain text; the CLI, the chat and the HTTP API turn them into
messages (exit status 2, ``gr.Error``, a 4xx JSON body) at their boundary.
"""

from __future__ import annotations

from pathlib import Path


class RegqaError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing message."""

    #: Short machine-readable code for JSON error bodies.
    code = "regqa_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class SettingsError(RegqaError):
    code = "bad_settings"


class CorpusError(RegqaError):
    """A corpus file or the manifest cannot be used as it is."""

    code = "corpus_error"

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, hint: str | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}", hint=hint)


class IngestLockedError(RegqaError):
    code = "ingest_running"


class IndexMissingError(RegqaError):
    code = "index_missing"


class IndexError_(RegqaError):
    """The index exists but cannot be opened or written."""

    code = "index_error"


class StorageError(RegqaError):
    """Something could not be written (a read-only or full data dir)."""

    code = "storage_error"


class InvalidCitationId(RegqaError, ValueError):
    code = "invalid_citation_id"


class UnknownUnitError(RegqaError, LookupError):
    code = "unknown_unit"


class EmbedderError(RegqaError):
    code = "embedder_error"


class QuestionError(RegqaError, ValueError):
    """The question itself is unusable (empty, too long, not text)."""

    code = "bad_question"


class QuestionTooLong(QuestionError):
    code = "question_too_long"


class GeneratorError(RegqaError):
    code = "generator_error"


class FilterError(RegqaError, ValueError):
    """A filter names nothing the corpus has (a wording, a kind)."""

    code = "bad_filter"
