"""Broken corpus files and manifests: a clear error naming file and line; the index untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CorpusError
from ingest.pipeline import run_ingest
from ingest.settings import IndexSettings
from ingest.store import Layout

from .corpus_edits import corpus_error, edit


def test_undecodable_file(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "rules-2024-en.md"
    data = path.read_bytes()
    cut = data.index(b"Article 3 ")
    path.write_bytes(data[:cut] + b"\xff\xfe broken " + data[cut:])
    err = corpus_error(corpus_copy, tmp_path)
    assert err.path == path and err.line == data[:cut].count(b"\n") + 1
    assert "UTF-8" in str(err)


def test_empty_file(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "rules-2000-rev2011-zh.md").write_text("\n  \n", encoding="utf-8")
    err = corpus_error(corpus_copy, tmp_path)
    assert err.path.name == "rules-2000-rev2011-zh.md" and "empty" in str(err)


def test_duplicate_article(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "rules-2000-rev2024-zh.md"
    edit(path, "第十一条 ", "第十条 ")
    err = corpus_error(corpus_copy, tmp_path)
    assert "article 10 appears twice" in str(err)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[err.line - 1].startswith("第十条 互联网信息服务提供者应当按照")  # type: ignore[operator]


def test_gap_in_numbering(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "rules-2011-en.md"
    edit(path, "Article 12 ", "Article 13 ")
    err = corpus_error(corpus_copy, tmp_path)
    assert "article 12 is missing" in str(err) and err.path == path
    assert (
        path.read_text()
        .splitlines()[err.line - 1]
        .startswith("Article 13 Internet information service providers shall display")
    )  # type: ignore[operator]


def test_truncated_file(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "rules-2024-en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("Article 20 ")], encoding="utf-8")
    err = corpus_error(corpus_copy, tmp_path)
    assert "has 19 articles, the manifest expects 27" in str(err)


def test_unknown_parser_in_manifest(corpus_copy: Path, tmp_path: Path) -> None:
    manifest = corpus_copy / "manifest.yaml"
    edit(manifest, "parser: explanation-en", "parser: pdf")
    err = corpus_error(corpus_copy, tmp_path)
    assert err.path == manifest and "parser" in str(err)
    assert "explanation-2012-draft-en.txt" in manifest.read_text().splitlines()[err.line - 1]  # type: ignore[operator]


def test_missing_required_file(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "rules-2011-en.md").unlink()
    err = corpus_error(corpus_copy, tmp_path)
    assert "rules-2011-en.md" in str(err) and "not found" in str(err)


def test_languages_must_align(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "rules-2024-en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("Article 27 ")], encoding="utf-8")
    manifest = corpus_copy / "manifest.yaml"
    edit(
        manifest,
        "file: rules-2024-en.md\n    parser: rules-en\n    expect_units: 27",
        "file: rules-2024-en.md\n    parser: rules-en",
    )
    err = corpus_error(corpus_copy, tmp_path)
    assert "do not match the other language" in str(err)


def test_bad_corpus_leaves_index_untouched(
    index_settings: IndexSettings, corpus_copy: Path
) -> None:
    layout = Layout(index_settings.data_dir)
    before = layout.current_id()
    edit(corpus_copy / "rules-2000-rev2024-zh.md", "第十一条 ", "第十条 ")
    broken = index_settings.model_copy(update={"corpus_dir": corpus_copy})
    with pytest.raises(CorpusError):
        run_ingest(broken)
    assert layout.current_id() == before
    assert sorted(p.name for p in layout.generations.iterdir()) == [before]
