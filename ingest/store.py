"""The one place that knows where index generations live and opens Chroma.

Chroma is the one store of a generation: each chunk is a record with its embedding, the text
the embedder saw, flat metadata for filtering, and the whole unit (``chunk`` JSON) — so the
units table and the BM25 index are rebuilt from the collection, and nothing else holds vectors.

Embedded (default), in the data dir::

    CURRENT                 id of the generation being served (replaced atomically)
    ingest.lock             held (flock) while an ingest runs
    generations/<id>/       chroma/ (collection ``regqa-units``) and meta.json, written last —
                            a folder without meta.json is unfinished (removed by the next ingest)

With ``REGQA_CHROMA_URL``, everything lives on the Chroma server: collection ``regqa-<id>`` per
generation, and ``regqa-generations`` holding each finished generation's meta and the
``CURRENT`` pointer (one record, replaced atomically). A serving replica needs no data dir;
the data dir of the ingesting machine only holds its ingest lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ingest.errors import IndexError_, IndexMissingError, IngestLockedError, SettingsError
from ingest.settings import IndexSettings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

META = "meta.json"
EMBEDDED_COLLECTION = "regqa-units"
GENERATIONS_COLLECTION = "regqa-generations"
POINTER = "CURRENT"


@dataclass(frozen=True)
class Layout:
    data_dir: Path

    @property
    def current_file(self) -> Path:
        return self.data_dir / "CURRENT"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "ingest.lock"

    @property
    def generations(self) -> Path:
        return self.data_dir / "generations"

    def generation(self, gen_id: str) -> Path:
        return self.generations / gen_id

    def current_id(self) -> str | None:
        try:
            gen_id = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return gen_id if gen_id and (self.generation(gen_id) / META).is_file() else None

    def require_current(self) -> str:
        gen_id = self.current_id()
        if gen_id is None:
            raise IndexMissingError(
                f"No index in {self.data_dir}.",
                hint="Run `regqa ingest` first (or set REGQA_DATA_DIR to the folder that holds it).",
            )
        return gen_id

    def switch_to(self, gen_id: str) -> None:
        """Make ``gen_id`` the served generation; readers see the old or the new, never neither."""
        tmp = self.current_file.with_name(f"CURRENT.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(gen_id + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.current_file)
        _fsync_dir(self.data_dir)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def new_generation_id() -> str:
    return time.strftime("g%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{os.urandom(2).hex()}"


@contextlib.contextmanager
def ingest_lock(layout: Layout) -> Iterator[None]:
    """Hold the data dir's ingest lock, or fail at once if another ingest holds it."""
    try:
        layout.data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(layout.lock_file, "a+", encoding="utf-8")  # noqa: SIM115
    except OSError as err:
        raise IndexError_(
            f"Cannot write to the data dir {layout.data_dir}: {err.strerror or err}.",
            hint="Choose a writable folder with REGQA_DATA_DIR or --data-dir.",
        ) from None
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IngestLockedError(
                f"Another ingest is already running on {layout.data_dir} ({holder}).",
                hint="Wait for it to finish; the index it replaces keeps serving meanwhile.",
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        fh.flush()
        yield
    finally:
        fh.close()


def remove_stale(layout: Layout, keep: int) -> list[str]:
    """Drop unfinished local generation folders and all but the ``keep`` newest finished ones.

    Call only while holding the ingest lock (so nothing is being built).
    """
    if not layout.generations.is_dir():
        return []
    current = layout.current_id()
    dirs = sorted((p for p in layout.generations.iterdir() if p.is_dir()), key=lambda p: p.name)
    finished = [p for p in dirs if (p / META).is_file()]
    doomed = [p for p in dirs if not (p / META).is_file()]
    doomed += [p for p in finished[:-keep] if p.name != current]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in doomed]


def collection_name(gen_id: str, remote: bool) -> str:
    return f"regqa-{gen_id}" if remote else EMBEDDED_COLLECTION


_CLIENTS: dict[tuple[str, str], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def open_client(settings: IndexSettings, gen_dir: Path | None) -> ClientAPI:
    """A Chroma client: the server at ``chroma_url``, else embedded in ``gen_dir/chroma``.

    One client per server or folder and process (Chroma's clients are thread-safe).
    """
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise SettingsError(
                f"REGQA_CHROMA_URL={settings.chroma_url!r} is not an http(s) URL.",
                hint="Use e.g. http://127.0.0.1:8000.",
            )
        headers = {}
        if settings.chroma_token is not None:
            headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
        key = ("server", settings.chroma_url + "|" + ",".join(sorted(headers.values())))
        with _CLIENTS_LOCK:
            if key in _CLIENTS:
                return _CLIENTS[key]  # type: ignore[no-any-return]
            try:
                client = chromadb.HttpClient(
                    host=url.hostname,
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    headers=headers,
                    settings=chroma_settings,
                )
            except Exception as err:  # chromadb raises plain exceptions for connection failures
                raise IndexError_(
                    f"Cannot reach the Chroma server at {settings.chroma_url}: {err}.",
                    hint="Start it (chroma run --path DIR --port N) or unset REGQA_CHROMA_URL.",
                ) from None
            _CLIENTS[key] = client
            return client
    if gen_dir is None:
        raise SettingsError("An embedded Chroma store needs a generation folder.")
    try:
        return chromadb.PersistentClient(path=str(gen_dir / "chroma"), settings=chroma_settings)
    except Exception as err:
        raise IndexError_(f"Cannot open the Chroma store in {gen_dir}: {err}.") from None


class Generations:
    """Which generations exist and which one is served, wherever they live."""

    def __init__(self, settings: IndexSettings) -> None:
        self.settings = settings
        self.layout = Layout(settings.data_dir)
        self.remote = bool(settings.chroma_url)

    def _registry(self) -> Any:
        client = open_client(self.settings, None)
        # no embedding function: records here carry a placeholder vector, and Chroma's default
        # function would try to download a model
        return client.get_or_create_collection(GENERATIONS_COLLECTION, embedding_function=None)

    def current_id(self) -> str | None:
        if not self.remote:
            return self.layout.current_id()
        got = self._registry().get(ids=[POINTER], include=["metadatas"])
        metas = got.get("metadatas") or []
        gen = str(metas[0].get("generation", "")) if metas and metas[0] else ""
        return gen or None

    def require_current(self) -> str:
        gen_id = self.current_id()
        if gen_id is None:
            where = self.settings.chroma_url or str(self.settings.data_dir)
            raise IndexMissingError(
                f"No index in {where}.",
                hint="Run `regqa ingest` first (or point REGQA_DATA_DIR / REGQA_CHROMA_URL at "
                "the store that holds it).",
            )
        return gen_id

    def meta(self, gen_id: str) -> dict[str, Any]:
        if not self.remote:
            return read_json(self.layout.generation(gen_id) / META)  # type: ignore[no-any-return]
        got = self._registry().get(ids=[gen_id], include=["documents"])
        docs = got.get("documents") or []
        if not docs or not docs[0]:
            raise IndexError_(
                f"Generation {gen_id} is not on the Chroma server {self.settings.chroma_url}.",
                hint="Run `regqa ingest` to build a fresh index generation.",
            )
        return json.loads(docs[0])  # type: ignore[no-any-return]

    def client(self, gen_id: str) -> ClientAPI:
        return open_client(self.settings, None if self.remote else self.layout.generation(gen_id))

    def publish(self, gen_id: str, meta: dict[str, Any]) -> None:
        """Record a finished generation and make it the served one (readers see old or new)."""
        gen_dir = self.layout.generation(gen_id)
        if self.remote:
            registry = self._registry()
            registry.upsert(
                ids=[gen_id],
                documents=[json.dumps(meta)],
                metadatas=[{"done": 1}],
                embeddings=[[0.0]],
            )
            registry.upsert(
                ids=[POINTER],
                documents=[gen_id],
                metadatas=[{"generation": gen_id}],
                embeddings=[[0.0]],
            )
            gen_dir.mkdir(parents=True, exist_ok=True)
            write_json(gen_dir / META, meta)  # the ingesting machine's own record
            return
        write_json(gen_dir / META, meta)  # the generation is complete from here on
        self.layout.switch_to(gen_id)

    def remove_stale(self, keep: int) -> list[str]:
        removed = remove_stale(self.layout, keep)
        if self.remote:
            registry = self._registry()
            current = self.current_id()
            known = sorted(i for i in (registry.get(include=[]).get("ids") or []) if i != POINTER)
            client = open_client(self.settings, None)
            for gen in known[:-keep]:
                if gen == current:
                    continue
                with contextlib.suppress(Exception):
                    client.delete_collection(collection_name(gen, remote=True))
                registry.delete(ids=[gen])
                removed.append(gen)
        return sorted(set(removed))


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as err:
        raise IndexError_(
            f"The index file {path} cannot be read ({err}).",
            hint="Run `regqa ingest` to build a fresh index generation.",
        ) from None
