"""Structure of the Rules: articles, paragraphs and numbered items, in Chinese and English.

Chinese: an article starts a line with ``第N条`` (Chinese numerals); items are
``(一)``/``（一）``. English: ``Article N`` starts a line; items are ``(1)``.
Paragraphs are blank-line separated blocks. Paragraph numbers count paragraphs
only (items are numbered on their own), as in Chinese legal drafting (款/项).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.citations import CitationId
from ingest.errors import CorpusError
from ingest.manifest import DocumentEntry
from ingest.numerals import ZH_NUMERAL_CHARS, int_to_zh, zh_to_int
from ingest.parsers.common import blocks, check_count, check_sequence, line_of, make_chunk
from ingest.units import Chunk, Link, Span


@dataclass(frozen=True)
class _Style:
    heading: re.Pattern[str]
    item: re.Pattern[str]
    crossref: re.Pattern[str]
    title: str  # format with n

    def number(self, raw: str) -> int:
        return zh_to_int(raw)


ZH = _Style(
    heading=re.compile(rf"^第([{ZH_NUMERAL_CHARS}0-9]+)条[ \t\u3000]*", re.MULTILINE),
    item=re.compile(rf"^[(（]([{ZH_NUMERAL_CHARS}]+)[)）]"),
    crossref=re.compile(rf"本办法第([{ZH_NUMERAL_CHARS}]+)条"),
    title="第{zh}条",
)
EN = _Style(
    heading=re.compile(r"^Article[ \t]+(\d+)[ \t]*", re.MULTILINE),
    item=re.compile(r"^\((\d+)\)"),
    crossref=re.compile(r"Articles?[ \t]+(\d+)[ \t]+of[ \t]+these[ \t]+Rules"),
    title="Article {n}",
)


def parse_rules(path: Path, text: str, entry: DocumentEntry, style: _Style) -> list[Chunk]:
    headings = list(style.heading.finditer(text))
    if not headings:
        raise CorpusError(
            path,
            "no articles found.",
            hint="Articles must start a line with 第N条 (Chinese) or 'Article N' (English).",
        )
    numbers: list[tuple[int, int]] = []
    for m in headings:
        try:
            numbers.append((style.number(m.group(1)), m.start()))
        except ValueError:
            raise CorpusError(
                path,
                f"article number {m.group(1)!r} is not a number.",
                line=line_of(text, m.start()),
            ) from None
    check_sequence(path, text, numbers, "article")

    chunks: list[Chunk] = []
    for index, m in enumerate(headings):
        number = numbers[index][0]
        limit = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        unit = CitationId.article(number, entry.version, entry.doc)
        locator = unit.locator
        parts: list[Span] = []
        para = item = 0
        end = m.end()
        for block in blocks(text, m.end(), limit):
            end = block.end
            item_match = style.item.match(block.text)
            if item_match:
                item += 1
                parts.append(
                    Span(
                        locator=unit.sub("item", item).locator,
                        kind="item",
                        start=block.start,
                        end=block.end,
                    )
                )
            else:
                para += 1
                parts.append(
                    Span(
                        locator=unit.sub("paragraph", para).locator,
                        kind="paragraph",
                        start=block.start,
                        end=block.end,
                    )
                )
        if not parts:
            raise CorpusError(path, f"article {number} has no text.", line=line_of(text, m.start()))
        title = style.title.format(n=number, zh=int_to_zh(number))
        chunk = make_chunk(
            entry, path, text, locator=locator, title=title, start=m.start(), end=end, parts=parts
        )
        chunk.links = _links(text, m.start(), end, entry, style, number)
        chunks.append(chunk)
    check_count(path, entry, chunks, "article")
    return chunks


def _links(
    text: str, start: int, end: int, entry: DocumentEntry, style: _Style, own: int
) -> list[Link]:
    links = []
    for m in style.crossref.finditer(text, start, end):
        target = style.number(m.group(1))
        if target != own:
            links.append(
                Link(
                    target=str(CitationId.article(target, entry.version, entry.doc)),
                    in_corpus=True,
                    start=m.start(),
                    end=m.end(),
                )
            )
    return links
