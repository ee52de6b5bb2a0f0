"""Ingest: corpus files → units → a new index generation, switched in when complete."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.annotations.load import load_annotations
from ingest.annotations.views import views_of
from ingest.citations import document_label
from ingest.errors import CorpusError, IndexError_, RegqaError
from ingest.manifest import CorpusPlan, DocumentEntry, plan_corpus
from ingest.parsers import parse_file
from ingest.records import TEXT_HASH_FIELD, to_metadata, view_metadata
from ingest.settings import IndexSettings
from ingest.store import Generations, Layout, collection_name, ingest_lock, new_generation_id
from ingest.units import Chunk

#: Bump when the unit model or the stored layout changes: forces a rebuild.
SCHEMA_VERSION = 5  # 5: views embedded in their query form
BATCH = 32

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    generation: str
    up_to_date: bool
    chunks: int
    units: int
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    documents: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def load_corpus(
    settings: IndexSettings, corpus_dirs: list[Path] | None = None
) -> tuple[CorpusPlan, list[Chunk]]:
    """Parse every document the manifest names; raises :class:`CorpusError` on bad input."""
    plan = plan_corpus(list(corpus_dirs or [settings.corpus_dir]))
    chunks: list[Chunk] = []
    for located in plan.found:
        chunks.extend(parse_file(located.path, located.entry, settings.max_corpus_file_bytes))
    _check_alignment(plan, chunks)
    found = load_annotations([plan.manifest_path.parent], chunks)
    chunks = [c.model_copy(update={"annotations": found.of(c.cid)}) for c in chunks]
    return plan, chunks


def _check_alignment(plan: CorpusPlan, chunks: list[Chunk]) -> None:
    """Languages of one document and version must hold the same units."""
    by_doc: dict[tuple[str, str | None], dict[str, set[str]]] = {}
    for c in chunks:
        by_doc.setdefault((c.doc, c.version), {}).setdefault(c.lang, set()).add(c.id)
    for (doc, version), langs in by_doc.items():
        reference = next(iter(langs.values()))
        for lang, ids in langs.items():
            if ids != reference:
                odd = sorted(ids ^ reference)[:5]
                entry = next(
                    d
                    for d in plan.found
                    if (d.entry.doc, d.entry.version, d.entry.lang) == (doc, version, lang)
                )
                raise CorpusError(
                    entry.path,
                    f"its units do not match the other language of {doc} "
                    f"{version or ''}: {', '.join(odd)}.",
                    hint="Each language of a document must have the same articles or points.",
                )


def fingerprint(chunks: list[Chunk], embedder: str) -> str:
    from ingest.lexical import TOKENIZER_VERSION

    h = hashlib.sha256(f"{SCHEMA_VERSION}|{TOKENIZER_VERSION}|{embedder}".encode())
    for c in sorted(chunks, key=lambda c: str(c.key)):
        h.update(f"|{c.key}={c.content_hash}".encode())
    return h.hexdigest()[:24]


def _label(entry: DocumentEntry) -> str:
    return f"{entry.label} {entry.file}"


def run_ingest(
    settings: IndexSettings,
    corpus_dirs: list[Path] | None = None,
    *,
    progress: Progress | None = None,
    force: bool = False,
) -> IngestReport:
    started = time.perf_counter()
    plan, chunks = load_corpus(settings, corpus_dirs)
    layout = Layout(settings.data_dir)
    generations = Generations(settings)
    stamp = fingerprint(chunks, settings.embedder)
    documents = [_label(d.entry) for d in plan.found]
    units = len({c.id for c in chunks})
    with ingest_lock(layout):
        current = generations.current_id()
        if current and not force and generations.meta(current).get("fingerprint") == stamp:
            return IngestReport(
                current,
                True,
                len(chunks),
                units,
                documents=documents,
                seconds=time.perf_counter() - started,
            )
        report = _build(settings, generations, plan, chunks, stamp, progress)
        report.documents = documents
        report.seconds = time.perf_counter() - started
        return report


def _previous_vectors(generations: Generations, embedder: str) -> dict[str, list[float]]:
    """Vectors of the served generation by text hash (empty when there is none to reuse)."""
    from langchain_chroma import Chroma

    current = generations.current_id()
    if current is None:
        return {}
    try:
        if generations.meta(current).get("embedder") != embedder:
            return {}
        old = Chroma(
            collection_name=collection_name(current, generations.remote),
            client=generations.client(current),
            create_collection_if_not_exists=False,
        ).get(include=["embeddings", "metadatas"])
    except Exception:  # an unreadable old generation only means embedding everything again
        return {}
    vectors = old.get("embeddings")
    if vectors is None:
        return {}
    return {
        str(meta[TEXT_HASH_FIELD]): [float(x) for x in vector]
        for meta, vector in zip(old.get("metadatas") or [], vectors, strict=False)
        if meta and TEXT_HASH_FIELD in meta
    }


def _build(
    settings: IndexSettings,
    generations: Generations,
    plan: CorpusPlan,
    chunks: list[Chunk],
    stamp: str,
    progress: Progress | None,
) -> IngestReport:
    from langchain_chroma import Chroma

    from ingest.embeddings import ReusedEmbeddings, make_embeddings

    removed = generations.remove_stale(settings.keep_generations)
    gen_id = new_generation_id()
    gen_dir = generations.layout.generation(gen_id)
    try:
        gen_dir.mkdir(parents=True)
        base = make_embeddings(settings.embedder)
        known = _previous_vectors(generations, settings.embedder)
        embeddings = ReusedEmbeddings(base, known)
        as_queries = ReusedEmbeddings(base, known, queries=True)  # the views: users' questions

        def handle(function: ReusedEmbeddings) -> Chroma:  # one collection, two ways to embed
            return Chroma(
                collection_name=collection_name(gen_id, generations.remote),
                embedding_function=function,
                client=generations.client(gen_id),
                collection_configuration={"hnsw": {"space": "cosine"}},
            )

        store = handle(embeddings)
        for i in range(0, len(chunks), BATCH):
            batch = chunks[i : i + BATCH]
            store.add_texts(
                [c.embedding_text() for c in batch],
                metadatas=[to_metadata(c, i + k) for k, c in enumerate(batch)],
                ids=[str(c.key) for c in batch],
            )
            if progress:
                progress(min(i + BATCH, len(chunks)), len(chunks))
        views = views_of(chunks)
        view_store = handle(as_queries)
        for i in range(0, len(views), BATCH * 4):
            vbatch = views[i : i + BATCH * 4]
            view_store.add_texts(
                [v.text for v in vbatch],
                metadatas=[view_metadata(v, len(chunks) + i + k) for k, v in enumerate(vbatch)],
                ids=[f"view-{len(chunks) + i + k}" for k in range(len(vbatch))],
            )
        meta = {
            "generation": gen_id,
            "schema": SCHEMA_VERSION,
            "fingerprint": stamp,
            "embedder": settings.embedder,
            "distance": "cosine",
            "chroma": settings.chroma_url or "embedded",
            "collection": collection_name(gen_id, generations.remote),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "manifest": str(plan.manifest_path),
            "chunks": len(chunks),
            "views": len(views),
            "documents": [{**d.entry.model_dump(), "path": d.path.name} for d in plan.found],
        }
        generations.publish(gen_id, meta)
    except RegqaError:
        raise
    except Exception as err:  # disk full, read-only, store errors: all end the same way
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise IndexError_(
            f"Writing the index in {settings.chroma_url or settings.data_dir} failed: {reason}.",
            hint="Free space or choose a writable REGQA_DATA_DIR; the previous index still serves.",
        ) from err
    return IngestReport(
        gen_id,
        False,
        len(chunks),
        len({c.id for c in chunks}),
        embedded=embeddings.computed + as_queries.computed,
        reused=embeddings.reused + as_queries.reused,
        removed=removed,
    )


def summary(chunks: list[dict[str, object]]) -> dict[str, object]:
    """Counts per document, version and language (for `regqa corpus`)."""
    counts: dict[str, int] = {}
    for c in chunks:
        key = f"{document_label(str(c['doc']), str(c.get('version') or '') or None)} [{c['lang']}]"
        counts[key] = counts.get(key, 0) + 1
    return {"chunks": len(chunks), "by_document": counts, "units": len({c["id"] for c in chunks})}


__all__ = ["IngestReport", "fingerprint", "load_corpus", "run_ingest", "summary"]
