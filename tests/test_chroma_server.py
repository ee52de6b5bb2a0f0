"""Scale-out: ingest into and answer from a real Chroma server (`chroma run`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings
from ingest.pipeline import run_ingest
from ingest.store import Layout

from .conftest import free_port


@pytest.fixture()
def chroma_url(tmp_path: Path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("the Chroma server did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_and_answer_through_a_chroma_server(
    index_settings, chroma_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        **{**index_settings.model_dump(), "data_dir": tmp_path / "data", "chroma_url": chroma_url}
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "embeddings.sqlite").write_bytes(
        Layout(index_settings.data_dir).embedding_cache.read_bytes()
    )
    first = run_ingest(settings)
    assert not (Layout(settings.data_dir).generation(first.generation) / "chroma").exists()
    answer = Assistant.from_settings(settings).ask("How long must record backups be kept?")
    assert answer.citations[0].id == "rules@2024#art-14"
    second = run_ingest(settings, force=True)  # a new generation, switched atomically
    names = {
        c.name
        for c in __import__("chromadb")
        .HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
        .list_collections()
    }
    assert f"regqa-{second.generation}" in names
    again = Assistant.from_settings(settings)
    assert again.index.generation == second.generation
    assert again.ask("经营性互联网信息服务实行什么制度？").citations[0].id == "rules@2024#art-4"
