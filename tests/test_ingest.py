"""Ingest into a real Chroma store with the real packaged embedder."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.citations import CitationId
from ingest.errors import IngestLockedError
from ingest.index import Index
from ingest.manifest import plan_corpus
from ingest.pipeline import run_ingest
from ingest.settings import IndexSettings
from ingest.store import META, Layout, ingest_lock

from .conftest import CORPUS, ROOT

EXPLANATION = ["preamble", "I", "I.1", "I.2", "I.3", "II", *(f"II.{n}" for n in range(1, 8))]


def _env(settings: IndexSettings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        REGQA_DATA_DIR=str(settings.data_dir),
        REGQA_CORPUS_DIR=str(settings.corpus_dir),
    )
    return env


def _regqa(settings: IndexSettings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regqa", *args],
        env=_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_index_holds_every_unit_in_both_languages(index_settings: IndexSettings) -> None:
    index = Index.open(index_settings)
    for version in ("2011", "2024"):
        for n in range(1, 28):
            langs = {c.lang for c in index.chunks_of(CitationId.article(n, version))}
            assert langs == {"en", "zh"}
    assert [c.id for c in index.chunks if c.doc == "explanation"] == [
        f"explanation#{loc}" for loc in EXPLANATION
    ]


def test_corpus_json_lists_units_without_page_noise(index_settings: IndexSettings) -> None:
    result = _regqa(index_settings, "corpus", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {"id", "doc", "version", "lang", "title", "text"} <= rows[0].keys()
    ids = {(r["id"], r["lang"]) for r in rows}
    assert ("rules@2024#art-27", "zh") in ids and ("rules@2011#art-1", "en") in ids
    assert ("explanation#II.7", "en") in ids
    blob = "\n".join(r["text"] for r in rows)
    for noise in ("Leave a Reply", "Log Out", "Like this"):
        assert noise not in blob


def test_second_ingest_embeds_nothing(index_settings: IndexSettings) -> None:
    # How fast it is comes from `regqa bench` (warm re-ingest ≤ 2 s), not from a timed test.
    before = Layout(index_settings.data_dir).current_id()
    result = _regqa(index_settings, "ingest")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout and "nothing embedded" in result.stdout
    assert Layout(index_settings.data_dir).current_id() == before


def test_ids_are_stable_across_runs(index_settings: IndexSettings, tmp_path: Path) -> None:
    other = index_settings.model_copy(update={"data_dir": tmp_path / "data"})
    run_ingest(other)
    first = [(c.key, c.content_hash) for c in Index.open(index_settings).chunks]
    second = [(c.key, c.content_hash) for c in Index.open(other).chunks]
    assert first == second


def test_changed_file_re_embeds_only_changed_units(
    index_settings: IndexSettings, corpus_copy: Path, tmp_path: Path
) -> None:
    settings = index_settings.model_copy(
        update={"corpus_dir": corpus_copy, "data_dir": tmp_path / "d"}
    )
    # Start from a copy of the session's index: its vectors are the ones to reuse.
    shutil.copytree(index_settings.data_dir, tmp_path / "d")
    assert run_ingest(settings).up_to_date
    path = corpus_copy / "rules-2024-en.md"
    path.write_text(path.read_text().replace("for 60 days", "for 60 days (sixty days)"))
    report = run_ingest(settings)
    assert (report.embedded, report.up_to_date) == (1, False)
    index = Index.open(settings)
    assert "(sixty days)" in index.unit("rules@2024#art-14", "en").text


def test_vector_search_finds_the_article(index_settings: IndexSettings, embeddings) -> None:
    store = Index.open(index_settings).vectorstore(embeddings)
    hits = store.similarity_search(
        "How long must record backups be kept?", k=4, filter={"lang": "en"}
    )
    assert "art-14" in {h.metadata["locator"] for h in hits}


def test_concurrent_ingest_is_refused(index_settings: IndexSettings) -> None:
    with ingest_lock(Layout(index_settings.data_dir)):
        result = _regqa(index_settings, "ingest", "--force")
        assert result.returncode == 2
        assert "Another ingest is already running" in result.stderr
        assert "Traceback" not in result.stderr
        with pytest.raises(IngestLockedError):
            run_ingest(index_settings, force=True)


def test_sigkill_mid_ingest_leaves_previous_index_serving(
    index_settings: IndexSettings, embeddings, tmp_path: Path
) -> None:
    settings = index_settings.model_copy(update={"data_dir": tmp_path / "data"})
    (tmp_path / "data").mkdir()
    run_ingest(settings)
    layout = Layout(settings.data_dir)
    served = layout.current_id()
    rng = random.Random(7)
    killed = 0
    for _ in range(10):  # SIGKILL at random points of a real ingest
        proc = subprocess.Popen(
            [sys.executable, "-m", "regqa", "ingest", "--force"],
            env=_env(settings),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            unfinished = [p for p in layout.generations.iterdir() if not (p / META).exists()]
            if unfinished:
                time.sleep(rng.uniform(0, 1.5))
                break
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        current = layout.current_id()
        index = Index.open(settings)  # the served generation (old, or new if it finished)
        assert current is not None and index.generation == current
        hits = index.vectorstore(embeddings).similarity_search("record backups 60 days", k=3)
        assert hits
    assert killed >= 5
    assert layout.current_id() in {served, *(p.name for p in layout.generations.iterdir())}
    report = run_ingest(settings, force=True)
    assert not report.up_to_date and layout.current_id() == report.generation
    assert all((p / META).exists() for p in layout.generations.iterdir())


def test_the_repository_holds_the_whole_corpus() -> None:
    """A clone is complete: every file the manifest names is in corpus/, with its dates."""
    plan = plan_corpus([CORPUS])
    found = {(d.entry.doc, d.entry.version, d.entry.lang) for d in plan.found}
    assert {("rules", v, lang) for v in ("2011", "2024") for lang in ("en", "zh")} <= found
    for located in plan.found:
        assert located.path.parent == CORPUS and located.path.is_file()
        if located.entry.doc == "rules":
            assert located.entry.promulgated == "2000-09-25"
    effective = {d.entry.version: d.entry.effective for d in plan.found if d.entry.lang == "zh"}
    assert effective == {"2011": "2011-01-08", "2024": "2025-01-20"}


class _Sides:
    """An embedder that tells the two sides apart: passages point one way, queries another."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [0.0, 1.0]


def test_views_are_embedded_as_queries_and_keyed_apart_from_passages() -> None:
    from ingest.embeddings import ReusedEmbeddings
    from ingest.records import text_hash

    text = "How long must record backups be kept?"
    passages = ReusedEmbeddings(_Sides())  # type: ignore[arg-type]
    assert passages.embed_documents([text]) == [[1.0, 0.0]]
    # a passage vector of the same text is not reused for the view: it is embedded as a query
    views = ReusedEmbeddings(_Sides(), {text_hash(text): [1.0, 0.0]}, queries=True)  # type: ignore[arg-type]
    assert views.embed_documents([text, text]) == [[0.0, 1.0], [0.0, 1.0]]
    assert (views.computed, views.reused) == (1, 1)
    assert text_hash(text, query=True) != text_hash(text)
