"""Helpers for tests that break a copy of a corpus and expect a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CorpusError
from ingest.pipeline import load_corpus
from ingest.settings import IndexSettings


def fake_settings(corpus: Path, data_dir: Path) -> IndexSettings:
    return IndexSettings(corpus_dir=corpus, data_dir=data_dir, embedder="fake")


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; returns the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def corpus_error(corpus: Path, tmp_path: Path) -> CorpusError:
    """The error loading ``corpus`` raises (the test fails when it loads)."""
    with pytest.raises(CorpusError) as info:
        load_corpus(fake_settings(corpus, tmp_path / "data"))
    return info.value
