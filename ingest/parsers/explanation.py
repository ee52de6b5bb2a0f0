"""Structure of the Explanation of the 2012 revision draft.

Title line, then the preamble, then parts ``I, …`` and ``II, …``, each with an
intro and numbered points ``1, …``. The page the text was saved from also holds
a WordPress comment section and "Posted on" lines: page noise, dropped here.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.citations import CitationId
from ingest.errors import CorpusError
from ingest.manifest import DocumentEntry
from ingest.numerals import roman_to_int
from ingest.parsers.common import Block, blocks, check_count, check_sequence, make_chunk
from ingest.units import Chunk, Link, Span

_PART_RE = re.compile(r"^(?P<roman>[IVX]+)\s*[,，.、]\s*(?P<heading>\S.*)$")
_POINT_RE = re.compile(r"^(?P<n>\d{1,2})\s*[,，.、]\s*(?P<body>\S.*)$", re.DOTALL)
_NOISE_RE = re.compile(r"^(Posted on\b|Updated on\b|Share this:|Like this:|Related$)")
#: The first line of a comment section; everything from here on is page noise.
_COMMENTS_RE = re.compile(
    r"^\s*(?:One|No|\d+)\s+(?:thoughts?|comments?|responses?|repl(?:y|ies))\s+(?:on|to)\b"
    r"|^\s*Leave a (?:Reply|Comment)\b",
    re.MULTILINE | re.IGNORECASE,
)
_DRAFT_REF_RE = re.compile(r"Articles?\s+(\d+)\s+of\s+the\s+opinion-seeking\s+version")


def content_end(text: str) -> int:
    """Offset where page noise (the comment section) begins, or the end of the text."""
    m = _COMMENTS_RE.search(text)
    return m.start() if m else len(text)


def _title(body: str) -> str:
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0].rstrip(".")
    return first if len(first) <= 120 else first[:117].rstrip() + "…"


def parse_explanation(path: Path, text: str, entry: DocumentEntry) -> list[Chunk]:
    end_of_text = content_end(text)
    paras = [b for b in blocks(text, 0, end_of_text) if not _NOISE_RE.match(b.text)]
    if len(paras) < 2:
        raise CorpusError(path, "has no body under its title.")
    body = paras[1:]  # paras[0] is the document title
    part_idx = [i for i, b in enumerate(body) if _PART_RE.match(b.text)]
    if not part_idx:
        raise CorpusError(
            path, "no parts found.", hint="Parts must start a line with a Roman numeral: 'I, …'."
        )
    check_sequence(
        path,
        text,
        [
            (
                roman_to_int(_PART_RE.match(body[i].text)["roman"]) or 0,  # type: ignore[index]
                body[i].start,
            )
            for i in part_idx
        ],
        "part",
    )
    chunks: list[Chunk] = []
    preamble = body[: part_idx[0]]
    if preamble:
        chunks.append(_chunk(path, text, entry, "preamble", "Preamble", preamble, None))
    for n, i in enumerate(part_idx):
        stop = part_idx[n + 1] if n + 1 < len(part_idx) else len(body)
        section = body[i:stop]
        m = _PART_RE.match(section[0].text)
        assert m
        roman = m["roman"]
        first_point = next(
            (k for k, b in enumerate(section) if _POINT_RE.match(b.text)), len(section)
        )
        chunks.append(
            _chunk(
                path,
                text,
                entry,
                roman,
                f"{roman}. {m['heading'].strip()}",
                section[:first_point],
                None,
            )
        )
        points = section[first_point:]
        numbers = []
        groups: list[list[Block]] = []
        for block in points:
            pm = _POINT_RE.match(block.text)
            if pm:
                numbers.append((int(pm["n"]), block.start))
                groups.append([block])
            else:  # a continuation paragraph of the point before
                groups[-1].append(block)
        check_sequence(path, text, numbers, f"point of part {roman}")
        for (number, _), group in zip(numbers, groups, strict=True):
            pm = _POINT_RE.match(group[0].text)
            assert pm
            title = f"{roman}.{number} {_title(pm['body'])}"
            chunks.append(_chunk(path, text, entry, f"{roman}.{number}", title, group, roman))
    check_count(path, entry, chunks, "unit")
    return chunks


def _chunk(
    path: Path,
    text: str,
    entry: DocumentEntry,
    locator: str,
    title: str,
    group: list[Block],
    parent: str | None,
) -> Chunk:
    if not group:
        raise CorpusError(path, f"section {locator} is empty.", line=None)
    parts = [
        Span(
            locator=CitationId(entry.doc, locator).sub("paragraph", k).locator,
            kind="paragraph",
            start=b.start,
            end=b.end,
        )
        for k, b in enumerate(group, start=1)
    ]
    chunk = make_chunk(
        entry,
        path,
        text,
        locator=locator,
        title=title,
        start=group[0].start,
        end=group[-1].end,
        parts=parts,
        parent=str(CitationId(entry.doc, parent, entry.version)) if parent else None,
    )
    chunk.links = [
        Link(
            target=str(CitationId.draft_article(int(m.group(1)))),
            in_corpus=False,
            start=m.start(),
            end=m.end(),
        )
        for m in _DRAFT_REF_RE.finditer(text, chunk.start, chunk.end)
    ]
    return chunk


__all__ = ["content_end", "parse_explanation"]
