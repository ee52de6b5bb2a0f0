"""Shared fixtures: the real corpus, a real index built once per session, real embedder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_SOURCES = ROOT.parent / "shared" / "corpus-sources"


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    if not (SHARED_SOURCES / "rules-2000-rev2024-zh.md").is_file():
        pytest.fail(f"The official Chinese texts are expected in {SHARED_SOURCES} (../shared).")
    return SHARED_SOURCES


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory, shared_sources: Path):
    """Settings pointing at a data dir with a freshly ingested real index."""
    from ingest.pipeline import run_ingest
    from ingest.settings import IndexSettings

    data_dir = tmp_path_factory.mktemp("data")
    settings = IndexSettings(
        data_dir=data_dir, corpus_dir=CORPUS, extra_corpus_dirs=[shared_sources]
    )
    run_ingest(settings)
    return settings


@pytest.fixture(scope="session")
def embeddings(index_settings):
    from ingest.embeddings import make_embeddings

    return make_embeddings(index_settings.embedder)


@pytest.fixture()
def corpus_copy(tmp_path: Path, shared_sources: Path) -> Path:
    """A writable copy of the whole corpus (project files and Chinese originals) in one folder."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    for path in shared_sources.glob("*.md"):
        if path.name != "SOURCES.md":
            shutil.copy(path, target / path.name)
    manifest = target / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("  - ../../shared/corpus-sources", "  - ."))
    return target


@pytest.fixture(scope="session")
def assistant(index_settings):
    from assistant import Assistant, Settings

    settings = Settings(**index_settings.model_dump())
    return Assistant.from_settings(settings)
