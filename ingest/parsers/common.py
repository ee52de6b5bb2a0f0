"""What every structure parser needs: safe reading, paragraph blocks, checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.citations import CitationId
from ingest.errors import CorpusError
from ingest.manifest import DocumentEntry
from ingest.units import Chunk, Span


def read_source(path: Path, max_bytes: int) -> str:
    """The file's text, or a :class:`CorpusError` naming the file (and line)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(
                path,
                f"is {size:,} bytes, over the {max_bytes:,}-byte limit for a corpus file.",
                hint="Check that it is the right file, or raise REGQA_MAX_CORPUS_FILE_BYTES.",
            )
        data = path.read_bytes()
    except OSError as err:
        raise CorpusError(path, f"cannot be read: {err.strerror or err}.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CorpusError(
            path,
            f"is not valid UTF-8 (byte {err.start}: {err.reason}).",
            line=line,
            hint="Save the file as UTF-8.",
        ) from None
    if not text.strip():
        raise CorpusError(
            path, "is empty.", hint="Restore its content or remove it from the manifest."
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CorpusError(path, "contains NUL bytes; it is not a text file.", line=line)
    return text


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Block:
    """A paragraph: non-blank lines between blank lines, offsets trimmed of white space."""

    start: int
    end: int
    text: str


_BLOCK_RE = re.compile(r"\S(?:.*\S)?(?:\n[ \t\u3000]*\S.*)*", re.MULTILINE)


def blocks(text: str, start: int = 0, end: int | None = None) -> Iterator[Block]:
    end = len(text) if end is None else end
    for m in _BLOCK_RE.finditer(text, start, end):
        body = m.group(0).rstrip()
        # strip trailing ideographic/other white space kept by the lazy pattern
        yield Block(m.start(), m.start() + len(body), body)


def check_sequence(path: Path, text: str, numbers: list[tuple[int, int]], what: str) -> None:
    """``numbers``: (number, offset) in file order; must be 1, 2, 3, … without gaps."""
    seen: dict[int, int] = {}
    for expected, (number, offset) in enumerate(numbers, start=1):
        if number in seen:
            raise CorpusError(
                path,
                f"{what} {number} appears twice (first at line {line_of(text, seen[number])}).",
                line=line_of(text, offset),
                hint=f"Renumber or remove the duplicate {what}.",
            )
        if number != expected:
            raise CorpusError(
                path,
                f"{what} {number} follows {what} {expected - 1}; {what} {expected} is missing.",
                line=line_of(text, offset),
                hint=f"Restore {what} {expected} or fix the numbering.",
            )
        seen[number] = offset


def check_count(path: Path, entry: DocumentEntry, chunks: list[Chunk], what: str) -> None:
    if entry.expect_units is not None and len(chunks) != entry.expect_units:
        raise CorpusError(
            path,
            f"has {len(chunks)} {what}s, the manifest expects {entry.expect_units}.",
            hint="The file may be truncated; restore it or correct expect_units in the manifest.",
        )


def make_chunk(
    entry: DocumentEntry,
    path: Path,
    text: str,
    *,
    locator: str,
    title: str,
    start: int,
    end: int,
    parts: list[Span],
    parent: str | None = None,
) -> Chunk:
    return Chunk(
        id=str(CitationId(entry.doc, locator, entry.version)),
        doc=entry.doc,
        version=entry.version,
        locator=locator,
        lang=entry.lang,
        title=title,
        text=text[start:end],
        source=path.name,
        start=start,
        end=end,
        status=entry.status,
        date=entry.date,
        doc_title=entry.title,
        parent=parent,
        parts=parts,
    )
