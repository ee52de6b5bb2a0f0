"""Structure parsers: a corpus file → the chunks of its units."""

from __future__ import annotations

from pathlib import Path

from ingest.manifest import DocumentEntry
from ingest.parsers.common import read_source
from ingest.parsers.explanation import parse_explanation
from ingest.parsers.rules import EN, ZH, parse_rules
from ingest.units import Chunk


def parse_text(path: Path, text: str, entry: DocumentEntry) -> list[Chunk]:
    if entry.parser == "rules-en":
        return parse_rules(path, text, entry, EN)
    if entry.parser == "rules-zh":
        return parse_rules(path, text, entry, ZH)
    return parse_explanation(path, text, entry)


def parse_file(path: Path, entry: DocumentEntry, max_bytes: int = 5_000_000) -> list[Chunk]:
    return parse_text(path, read_source(path, max_bytes), entry)


__all__ = ["parse_file", "parse_text", "read_source"]
