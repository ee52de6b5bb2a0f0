"""The one place that knows where the index lives and opens Chroma.

Layout of the data dir::

    CURRENT                 id of the generation being served (replaced atomically)
    ingest.lock             held (flock) while an ingest runs
    embeddings.sqlite       document embeddings by text hash (reused across generations)
    generations/<id>/       a generation: units.json, bm25/, chroma/, and meta.json last —
                            a folder without meta.json is unfinished (removed by the next ingest)

With ``REGQA_CHROMA_URL`` set, vectors go to a Chroma server in the collection
``regqa-<id>``; the rest of the generation stays in the data dir.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
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
VECTORS = "vectors.npy"
VECTOR_IDS = "vector_ids.json"
EMBEDDED_COLLECTION = "regqa-units"


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

    @property
    def embedding_cache(self) -> Path:
        return self.data_dir / "embeddings.sqlite"

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


def remove_stale(layout: Layout, keep: int, client: ClientAPI | None = None) -> list[str]:
    """Drop unfinished generations and all but the ``keep`` newest finished ones.

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
        if client is not None:
            with contextlib.suppress(Exception):
                client.delete_collection(collection_name(path.name, remote=True))
    return [p.name for p in doomed]


def collection_name(gen_id: str, remote: bool) -> str:
    return f"regqa-{gen_id}" if remote else EMBEDDED_COLLECTION


def open_client(settings: IndexSettings, gen_dir: Path | None) -> ClientAPI:
    """A Chroma client: the server at ``chroma_url``, else embedded in ``gen_dir/chroma``."""
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
        try:
            return chromadb.HttpClient(
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
    if gen_dir is None:
        raise SettingsError("An embedded Chroma store needs a generation folder.")
    try:
        return chromadb.PersistentClient(path=str(gen_dir / "chroma"), settings=chroma_settings)
    except Exception as err:
        raise IndexError_(f"Cannot open the Chroma store in {gen_dir}: {err}.") from None


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
