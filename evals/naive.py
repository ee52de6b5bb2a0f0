"""The naive baseline: what a textbook LangChain RAG over the raw files would do.

RecursiveCharacterTextSplitter (1000/200) over the raw corpus files — page noise and
all — then Chroma similarity top-4 and the same extractive generator. It never
abstains and knows no units; each chunk is credited with the unit it overlaps most,
so its citations can be scored against the same gold ids.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.answer import Answer, Citation, Retrieved
from assistant.generators.base import GenerationInput
from assistant.generators.extractive import ExtractiveGenerator
from assistant.history import normalise, standalone
from assistant.query import analyze
from assistant.sentences import SentenceIndex
from assistant.validate import Resolver, rewrite_markers
from ingest.index import Index
from ingest.parsers import read_source
from ingest.units import Chunk


class NaiveRAG:
    def __init__(self, index: Index, embeddings: Any, k: int = 4) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.index = index
        self.k = k
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        docs: list[Document] = []
        corpus = Path(str(index.meta.get("manifest", "."))).parent
        for entry in index.meta["documents"]:
            path = corpus / Path(entry["path"]).name
            text = read_source(path, 10_000_000)
            for n, piece in enumerate(splitter.create_documents([text])):
                start = int(piece.metadata["start_index"])
                unit = self._credit(path.name, start, start + len(piece.page_content))
                if unit is None:
                    continue
                meta = {
                    **unit.model_dump(exclude={"text", "parts", "links", "annotations"}),
                    "start": start,
                    "end": start + len(piece.page_content),
                }
                docs.append(
                    Document(
                        page_content=piece.page_content, metadata=meta, id=f"naive:{path.name}:{n}"
                    )
                )
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name=f"naive-{time.time_ns()}", client=client, embedding_function=embeddings
        )
        self.store.add_documents(docs)
        self.generator = ExtractiveGenerator(SentenceIndex(index))

    def _credit(self, source: str, start: int, end: int) -> Chunk | None:
        best, overlap = None, 0
        for c in self.index.chunks:
            if c.source == source:
                shared = min(end, c.end) - max(start, c.start)
                if shared > overlap:
                    best, overlap = c, shared
        return best

    def ask(self, question: str, history: Any = None, generator: str | None = None) -> Answer:
        started = time.perf_counter()
        past = normalise(history)
        text = standalone(question, past, False) if past else question
        a = analyze(text)
        docs = self.store.similarity_search(text, k=self.k)
        draft = self.generator.generate(GenerationInput(question, a, docs, past))
        resolver = Resolver(docs)
        answer_text = rewrite_markers(draft.text, resolver)
        citations = []
        for doc_index in resolver.order:
            meta = docs[doc_index].metadata
            citations.append(
                Citation(
                    id=meta["id"],
                    doc=meta["doc"],
                    version=meta.get("version"),
                    locator=meta["locator"],
                    title=meta["title"],
                    lang=meta["lang"],
                    quote=docs[doc_index].page_content,
                    start=meta["start"],
                    end=meta["end"],
                    source=meta["source"],
                )
            )
        retrieved = [
            Retrieved(id=d.metadata["id"], score=0.0, rank=i, via=["naive"])
            for i, d in enumerate(docs, start=1)
        ]
        return Answer(
            question=question,
            answer=answer_text,
            citations=citations,
            abstained=draft.abstained,
            reason=draft.reason,
            retrieved=retrieved,
            lang=a.lang,
            generator="naive",
            timings={"total": round((time.perf_counter() - started) * 1000, 2)},
        )
