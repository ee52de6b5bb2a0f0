"""Shared fixtures, in two tiers.

Fast tier: ``tiny_*`` fixtures — a six-article corpus in tests/data/tiny — and ``rules_*``
fixtures — the real corpus and its annotations, for the answer plan — each ingested once per
session with the deterministic fake embedder (no model). Slow tier: the real embedder, servers
and a browser. A test that uses any slow fixture is marked ``slow``
automatically (see :func:`pytest_collection_modifyitems`); subprocess, benchmark and other
heavy tests carry the marker themselves. ``pytest -m "not slow"`` runs the fast tier alone.
"""

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
TINY = Path(__file__).resolve().parent / "data" / "tiny"

#: Fixtures that need the real corpus, the real embedder, a server or a browser.
SLOW_FIXTURES = frozenset(
    {
        "index_settings",
        "embeddings",
        "assistant",
        "chat_url",
        "api_url",
        "browser",
        "corpus_copy",
        "own_index",
        "real_gguf",
        "local_assistant",
        "llama_server",
        "http",
        "client",
        "parsed",
        "chroma_url",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# -- fast tier ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tiny_settings(tmp_path_factory: pytest.TempPathFactory):
    """Assistant settings over the tiny corpus, ingested once with the fake embedder."""
    from assistant import Settings
    from ingest.pipeline import run_ingest

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("tiny-data"), corpus_dir=TINY, embedder="fake"
    )
    run_ingest(settings)
    return settings


@pytest.fixture(scope="session")
def tiny_assistant(tiny_settings):
    from assistant import Assistant

    return Assistant.from_settings(tiny_settings)


@pytest.fixture(scope="session")
def rules_settings(tmp_path_factory: pytest.TempPathFactory):
    """The real corpus and its annotations, ingested once with the fake embedder: for what
    needs the law's structure but no model (the obligations register)."""
    from assistant import Settings
    from ingest.pipeline import run_ingest

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("rules-data"), corpus_dir=CORPUS, embedder="fake"
    )
    run_ingest(settings)
    return settings


@pytest.fixture(scope="session")
def rules_assistant(rules_settings):
    """One assistant over the real corpus with the fake embedder, for the tests that only ask."""
    from assistant import Assistant

    return Assistant.from_settings(rules_settings)


@pytest.fixture(scope="session")
def rules_index(rules_settings):
    from ingest.index import Index

    return Index.open(rules_settings)


@pytest.fixture()
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny corpus."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


# -- slow tier ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory):
    """Settings pointing at a data dir with a freshly ingested real index."""
    from ingest.pipeline import run_ingest
    from ingest.settings import IndexSettings

    data_dir = tmp_path_factory.mktemp("data")
    settings = IndexSettings(data_dir=data_dir, corpus_dir=CORPUS)
    run_ingest(settings)
    return settings


@pytest.fixture(scope="session")
def embeddings(index_settings):
    from ingest.embeddings import make_embeddings

    return make_embeddings(index_settings.embedder)


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the whole real corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def assistant(index_settings):
    from assistant import Assistant, Settings

    settings = Settings(**index_settings.model_dump())
    return Assistant.from_settings(settings)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chat_url(assistant):
    """The Gradio chat served on a free loopback port (in this process)."""
    from assistant.surfaces.chat_app import build_chat, launch_kwargs

    demo = build_chat(assistant)
    demo.queue()
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **launch_kwargs(),
    )
    yield f"http://127.0.0.1:{port}/"
    demo.close()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture()
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REGQA_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


class LiveServer:
    """An ASGI app under a real uvicorn server on a free loopback port, in a thread."""

    def __init__(self, app) -> None:
        import threading
        import time

        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_url(assistant):
    """The HTTP API (no keys, generous rate limit, CORS for one test origin)."""
    from assistant.surfaces.api import create_app

    assistant.warm()  # as `regqa serve` does before it listens
    settings = assistant.settings.model_copy(
        update={"rate_limit_per_minute": 100_000, "cors_origins": ["http://127.0.0.1:9"]}
    )
    server = LiveServer(create_app(assistant, settings))
    yield server.url
    server.stop()


@pytest.fixture()
def chroma_url(tmp_path_factory: pytest.TempPathFactory):
    """A real Chroma server (`chroma run`) on a free loopback port, with its own folder."""
    import shutil as _shutil
    import subprocess
    import sys
    import time

    import httpx

    chroma = _shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
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
