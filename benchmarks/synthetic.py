"""Synthetic corpora of N units made from the real ones, for scaling measurements.

Each synthetic unit is a real chunk with its words lightly perturbed (a few dropped or
swapped) and its vector the real chunk's vector plus small Gaussian noise, renormalised —
so N can reach 100k without embedding 100k texts on two cores (annotations, and so their
views, are left out). What this measures is the
store and the search at size N, not the embedder (whose throughput is measured on its own).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np

from ingest.index import Index
from ingest.records import to_metadata
from ingest.settings import IndexSettings
from ingest.store import Generations, Layout, collection_name, open_client
from ingest.units import Chunk

BATCH = 5000


def _perturb(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 15)):
        i = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 3:
            words.pop(i)
        else:
            j = rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
    return " ".join(words)


def build_synthetic(
    source: Index, size: int, data_dir: Path, seed: int = 0
) -> tuple[IndexSettings, float]:
    """A generation of ``size`` chunks in ``data_dir``; returns its settings and build seconds."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    stored = source.vectorstore(None).get(include=["embeddings", "metadatas"])
    vectors = {
        (str(m["id"]), str(m["lang"])): np.asarray(v, dtype=np.float32)
        for m, v in zip(stored["metadatas"], stored["embeddings"], strict=True)
        if m.get("view", "unit") == "unit"  # the units' own vectors, not their annotation views
    }
    real = source.chunks
    started = time.perf_counter()
    chunks: list[Chunk] = []
    embeddings: list[np.ndarray] = []
    for n in range(size):
        chunk = real[n % len(real)]
        copy = n // len(real)
        if copy == 0:
            synthetic = chunk.model_copy(update={"annotations": []})
        else:
            synthetic = chunk.model_copy(
                update={
                    "id": str(chunk.cid.with_version(f"{chunk.version or 'x'}{copy}")),
                    "version": f"{chunk.version or 'x'}{copy}",
                    "text": _perturb(chunk.text, rng),
                    "annotations": [],
                }
            )
        base = vectors[(chunk.id, chunk.lang)]
        vec = base + np_rng.normal(0, 0.02, base.shape)
        chunks.append(synthetic)
        embeddings.append((vec / np.linalg.norm(vec)).astype(np.float32))
    settings = IndexSettings(data_dir=data_dir, embedder=source.meta["embedder"])
    layout = Layout(data_dir)
    gen = f"synthetic-{size}"
    folder = layout.generation(gen)
    folder.mkdir(parents=True, exist_ok=True)
    client = open_client(settings, folder)
    collection = client.get_or_create_collection(
        collection_name(gen, False), configuration={"hnsw": {"space": "cosine"}}
    )
    for i in range(0, size, BATCH):
        part = chunks[i : i + BATCH]
        collection.add(
            ids=[str(c.key) for c in part],
            embeddings=np.stack(embeddings[i : i + BATCH]),
            documents=[c.embedding_text() for c in part],
            metadatas=[to_metadata(c, i + k) for k, c in enumerate(part)],
        )
    Generations(settings).publish(
        gen,
        {
            "generation": gen,
            "embedder": source.meta["embedder"],
            "documents": source.meta["documents"],
            "chunks": size,
        },
    )
    return settings, time.perf_counter() - started
