"""The one check a question passes before anything else runs (every surface uses it)."""

from __future__ import annotations

import re
from typing import Any

from ingest.errors import QuestionError, QuestionTooLong

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: What a question may not consist of only: the control characters above, what Python strips
#: as space, and what JSON Schema's regexes count as space (U+FEFF). Spelled out character by
#: character, so the API's schema (an ECMA regex) and its validation (pydantic's) agree.
BLANK = (
    "".join(ch for ch in map(chr, range(0x3001)) if _CONTROL.match(ch) or ch.isspace()) + "\ufeff"
)
#: A pattern that holds when some character is not blank (the API's question fields).
NOT_BLANK = f"[^{BLANK}]"


def without_control(text: str) -> str:
    """``text`` with control characters (NUL, escapes…) turned into spaces: nothing a user
    sends reaches a tokenizer or a model as a control character."""
    return _CONTROL.sub(" ", text)


def clean_question(question: Any, limit: int) -> str:
    """The question as text without control characters; a clear error when it is unusable."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    if len(question) > limit:
        raise QuestionTooLong(
            f"The question is {len(question):,} characters long; the limit is {limit:,}.",
            hint="Shorten it to the part you want answered.",
        )
    text = without_control(question).strip(BLANK)
    if not text:
        raise QuestionError("The question is empty.", hint="Type a question about the Rules.")
    return text
