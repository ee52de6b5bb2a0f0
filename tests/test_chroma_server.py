"""Scale-out on a real Chroma server (`chroma run`): ingest there, serve stateless replicas."""

from __future__ import annotations

import shutil
from pathlib import Path

import chromadb

from assistant import Assistant, Settings
from ingest.pipeline import run_ingest
from ingest.store import Layout


def _settings(index_settings, chroma_url: str, data_dir: Path, **more) -> Settings:
    return Settings(
        **{
            **index_settings.model_dump(),
            "data_dir": data_dir,
            "chroma_url": chroma_url,
            **more,
        }
    )


def test_ingest_and_answer_through_a_chroma_server(
    index_settings, chroma_url: str, tmp_path: Path
) -> None:
    settings = _settings(index_settings, chroma_url, tmp_path / "data")
    first = run_ingest(settings)
    assert not (Layout(settings.data_dir).generation(first.generation) / "chroma").exists()
    answer = Assistant.from_settings(settings).ask("How long must record backups be kept?")
    assert answer.citations[0].id == "rules@2024#art-14"
    second = run_ingest(settings, force=True)  # a new generation, switched atomically
    assert (second.embedded, second.reused) == (0, first.embedded + first.reused)
    port = int(chroma_url.split(":")[-1])
    names = {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()}
    assert f"regqa-{second.generation}" in names
    again = Assistant.from_settings(settings)
    assert again.index.generation == second.generation
    assert again.ask("经营性互联网信息服务实行什么制度？").citations[0].id == "rules@2024#art-4"


def test_a_replica_with_an_empty_data_dir_serves_from_the_server_alone(
    index_settings, chroma_url: str, corpus_copy: Path, tmp_path: Path
) -> None:
    ingesting = _settings(index_settings, chroma_url, tmp_path / "ingest", corpus_dir=corpus_copy)
    run_ingest(ingesting)
    empty = tmp_path / "replica"
    empty.mkdir()
    replica = Assistant.from_settings(
        _settings(index_settings, chroma_url, empty, reload_interval_s=0.0)
    )
    answer = replica.ask("How long must record backups be kept?")
    assert answer.citations[0].id == "rules@2024#art-14" and "60 days" in answer.answer
    assert replica.index.articles("rules") == 27 and len(replica.index.chunks) == 121
    # The ingesting machine changes one article and publishes a new generation ...
    path = corpus_copy / "rules-2024-en.md"
    path.write_text(path.read_text().replace("for 60 days", "for 60 days (sixty days)"))
    report = run_ingest(ingesting)
    assert report.embedded == 1
    # ... and the replica, which shares only the server, switches to it by itself.
    switched = replica.ask("How long must record backups be kept?")
    assert switched.generation == report.generation
    assert "(sixty days)" in switched.citations[0].quote
    assert not any(empty.iterdir()), "the replica wrote to its data dir"
    shutil.rmtree(empty)
