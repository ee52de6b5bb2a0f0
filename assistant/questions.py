"""The one check a question passes before anything else runs (every surface uses it)."""

from __future__ import annotations

import re
from typing import Any

from ingest.errors import QuestionError, QuestionTooLong

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_question(question: Any, limit: int) -> str:
    """The question as text without control characters; a clear error when it is unusable."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    if len(question) > limit:
        raise QuestionTooLong(
            f"The question is {len(question):,} characters long; the limit is {limit:,}.",
            hint="Shorten it to the part you want answered.",
        )
    text = _CONTROL.sub(" ", question).strip()
    if not text:
        raise QuestionError("The question is empty.", hint="Type a question about the Rules.")
    return text
