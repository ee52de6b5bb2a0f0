"""Reading a finished index generation: its units, its vector store, its BM25 index.

Everything comes from the generation's Chroma collection (embedded or on a server), so a
serving replica needs nothing but access to the store.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ingest.annotations.views import View, revision_links, sanction_links, views_of
from ingest.citations import ChunkKey, CitationId
from ingest.errors import IndexError_, UnknownUnitError
from ingest.lexical import tokenize
from ingest.records import from_metadatas
from ingest.settings import IndexSettings
from ingest.store import Generations, collection_name
from ingest.units import Chunk

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings


class Index:
    """One index generation, opened for reading. Safe to share between threads."""

    def __init__(
        self, settings: IndexSettings, generation: str, generations: Generations | None = None
    ) -> None:
        self.settings = settings
        self.generations = generations or Generations(settings)
        self.generation = generation
        self.meta: dict[str, Any] = self.generations.meta(generation)
        self._lock = threading.RLock()
        self._store_cache: dict[int, Chroma] = {}
        self._record_choices: dict[tuple[frozenset[str], bool | None], list[str]] = {}
        try:
            got = self.vectorstore(None).get(include=["metadatas"])
        except Exception as err:  # the store's own errors: missing collection, server gone
            raise IndexError_(
                f"The units of generation {generation} cannot be read from the store ({err}).",
                hint="Run `regqa ingest` to build a fresh index generation.",
            ) from None
        self.chunks: list[Chunk] = from_metadatas(got.get("metadatas") or [])
        #: Every record of the collection (units and their views) → the unit it stands for.
        self._record_units: dict[str, tuple[CitationId, bool]] = {
            str(rid): (CitationId.parse(str(m["id"])), m.get("view", "unit") != "unit")
            for rid, m in zip(got.get("ids") or [], got.get("metadatas") or [], strict=False)
            if m and "id" in m
        }
        #: Each record's wording ("" for a unit of one wording only).
        self._record_versions: dict[str, str] = {
            str(rid): str(m.get("version") or "")
            for rid, m in zip(got.get("ids") or [], got.get("metadatas") or [], strict=False)
            if m and "id" in m
        }

    @classmethod
    def open(cls, settings: IndexSettings) -> Index:
        generations = Generations(settings)
        return cls(settings, generations.require_current(), generations)

    def is_current(self) -> bool:
        return self.generations.current_id() == self.generation

    # -- units ---------------------------------------------------------------
    @cached_property
    def by_key(self) -> dict[ChunkKey, Chunk]:
        return {c.key: c for c in self.chunks}

    @cached_property
    def _by_unit(self) -> dict[CitationId, list[Chunk]]:
        out: dict[CitationId, list[Chunk]] = defaultdict(list)
        for c in self.chunks:
            out[c.cid].append(c)
        return dict(out)

    def unit_ids(self) -> list[CitationId]:
        """Every citable unit, in corpus order."""
        return list(self._by_unit)

    def chunks_of(self, cid: str | CitationId) -> list[Chunk]:
        """Every language of a unit (sub-locators allowed); empty when there is no such unit."""
        try:
            parsed = CitationId.parse(cid)
        except ValueError:
            return []
        return self._by_unit.get(parsed.unit, [])

    @cached_property
    def _wordings(self) -> dict[tuple[str, str], list[CitationId]]:
        """(doc, unit locator) → the unit in every wording, oldest first."""
        out: dict[tuple[str, str], list[CitationId]] = defaultdict(list)
        for u in sorted(self._by_unit, key=lambda u: u.version or ""):
            out[(u.doc, u.locator)].append(u)
        return dict(out)

    def versions_of(self, cid: str | CitationId) -> list[CitationId]:
        """The same unit in every wording the corpus has, oldest first (itself when unversioned)."""
        parsed = CitationId.parse(cid).unit
        return list(self._wordings.get((parsed.doc, parsed.locator), []))

    def linked_from(self, cid: str | CitationId) -> list[CitationId]:
        """Units whose text refers to ``cid`` (a unit, or a target outside the corpus)."""
        return list(self._references.get(CitationId.parse(cid).unit, []))

    def draft_articles_named(self) -> list[int]:
        """The articles of the 2012 draft that a unit of the corpus refers to, in order."""
        return sorted(n for c in self._references if c.is_draft and (n := c.article_number))

    def refers_to(self, cid: str | CitationId) -> list[CitationId]:
        """The units of the corpus that the text of ``cid`` refers to ("… Article 5 …")."""
        return list(self._refers_to.get(CitationId.parse(cid).unit, []))

    @cached_property
    def _refers_to(self) -> dict[CitationId, list[CitationId]]:
        units = set(self.unit_ids())
        out: dict[CitationId, list[CitationId]] = defaultdict(list)
        for c in self.chunks:
            for link in c.links:
                target = CitationId.parse(link.target).unit
                if target in units and target not in out[c.cid.unit]:
                    out[c.cid.unit].append(target)
        return dict(out)

    @cached_property
    def _references(self) -> dict[CitationId, list[CitationId]]:
        out: dict[CitationId, list[CitationId]] = defaultdict(list)
        for c in self.chunks:
            for link in c.links:
                target = CitationId.parse(link.target)
                if c.cid not in out[target]:
                    out[target].append(c.cid)
        return dict(out)

    def articles(self, doc: str = "rules", version: str | None = None) -> int:
        """How many articles a document has (in one version, or its latest)."""
        version = version or next(reversed(self.versions.get(doc) or [""]), None) or None
        return sum(1 for u in self._by_unit if u.doc == doc and u.version == version)

    @cached_property
    def changed_units(self) -> list[CitationId]:
        """Versioned units whose wording differs between versions (in any language)."""
        from ingest.wording import same_text

        out: list[CitationId] = []
        for unit in self._by_unit:
            if unit.version is None:
                continue
            twins = [self._by_unit[v] for v in self.versions_of(unit)]
            for lang in {c.lang for c in self._by_unit[unit]}:
                texts = [c.text for chunks in twins for c in chunks if c.lang == lang]
                if len(texts) > 1 and not all(same_text(texts[0], t) for t in texts[1:]):
                    out.append(unit)
                    break
        return out

    @cached_property
    def versions(self) -> dict[str, list[str]]:
        """Versions per doc, oldest first (``{"rules": ["2011", "2024"]}``)."""
        out: dict[str, set[str]] = defaultdict(set)
        for c in self.chunks:
            if c.version:
                out[c.doc].add(c.version)
        return {doc: sorted(v) for doc, v in out.items()}

    def unit(self, cid: str | CitationId, lang: str | None = None) -> Chunk:
        """The chunk of a unit in ``lang`` (or its first language); sub-locators allowed."""
        parsed = CitationId.parse(cid)
        chunks = self._by_unit.get(parsed.unit)
        if not chunks:
            raise UnknownUnitError(
                f"There is no unit {parsed} in the corpus.", hint="`regqa corpus` lists every unit."
            )
        return next((c for c in chunks if c.lang == lang), chunks[0])

    def has(self, cid: str | CitationId) -> bool:
        return bool(self.chunks_of(cid))

    # -- search structures ---------------------------------------------------
    def vectorstore(self, embeddings: Embeddings | None) -> Chroma:
        """The generation's collection through LangChain's Chroma (one per embedder object)."""
        from langchain_chroma import Chroma

        with self._lock:
            store = self._store_cache.get(id(embeddings))
            if store is None:
                store = Chroma(
                    collection_name=collection_name(self.generation, self.generations.remote),
                    embedding_function=embeddings,
                    client=self.generations.client(self.generation),
                    create_collection_if_not_exists=False,
                )
                self._store_cache[id(embeddings)] = store
            return store

    @cached_property
    def chroma_collection(self) -> Collection:
        return self.generations.client(self.generation).get_collection(
            collection_name(self.generation, self.generations.remote)
        )

    def nearest(
        self, vector: list[float], k: int, *, versions: Iterable[str], views: bool | None = None
    ) -> list[tuple[CitationId, bool, float]]:
        """The records nearest ``vector`` in the given wordings ("" for units of one wording
        only): units only (``views=False``), views only (``True``) or both (``None``), as
        (unit, is a view, cosine similarity), best first.

        Chroma searches among the matching records' ids, which it does several times faster
        than it evaluates the same choice as a metadata filter; it returns ids and distances
        only (a unit's record carries the whole unit, which the index already holds)."""
        ids = self._records(frozenset(versions), views)
        if not ids:
            return []
        got = self.chroma_collection.query(
            query_embeddings=[list(vector)],  # type: ignore[arg-type]
            ids=ids,
            n_results=min(k, len(ids)),
            include=["distances"],  # type: ignore[list-item]
        )
        found, distances = got["ids"][0], (got.get("distances") or [[]])[0]
        return [
            (*self._record_units[str(rid)], 1.0 - float(d))
            for rid, d in zip(found, distances, strict=True)
            if str(rid) in self._record_units
        ]

    def _records(self, versions: frozenset[str], views: bool | None) -> list[str]:
        """The ids of the records in ``versions`` of the kind asked for (cached per choice)."""
        key = (versions, views)
        with self._lock:
            ids = self._record_choices.get(key)
            if ids is None:
                ids = [
                    rid
                    for rid, (_, is_view) in self._record_units.items()
                    if self._record_versions.get(rid, "") in versions
                    and (views is None or is_view == views)
                ]
                self._record_choices[key] = ids
        return ids

    @cached_property
    def lexical(self) -> tuple[Any, list[ChunkKey]]:
        """The bm25s retriever over the generation's chunks and the key of each document.

        Built in memory from the units (milliseconds at this corpus' size), so it needs no
        file beside the store.
        """
        from ingest.lexical import build_lexical_index

        texts = [c.embedding_text() for c in self.chunks]
        return build_lexical_index(texts), [c.key for c in self.chunks]

    @cached_property
    def lexical_views(self) -> tuple[Any, list[ChunkKey]] | None:
        """The same over the views (None when nothing is annotated)."""
        from ingest.lexical import build_lexical_index

        if not self.views:
            return None
        keys = [self.unit(v.unit, v.lang).key for v in self.views]
        return build_lexical_index([v.text for v in self.views]), keys

    # -- the annotation layer ---------------------------------------------------
    @cached_property
    def views(self) -> list[View]:
        """Phrases and questions that stand for annotated units (see ingest.annotations.views)."""
        return views_of(self.chunks)

    def record_vectors(self) -> dict[str, list[float]]:
        """Each record's text (a unit's embedding text, a view's) → its stored vector."""
        got = self.chroma_collection.get(include=["embeddings", "documents"])  # type: ignore[list-item]
        vectors: dict[str, list[float]] = {}
        embedded = got.get("embeddings")
        for text, vector in zip(
            got.get("documents") or [], [] if embedded is None else embedded, strict=True
        ):
            vectors.setdefault(str(text), [float(x) for x in vector])
        return vectors

    @cached_property
    def _sanctions(self) -> dict[CitationId, list[CitationId]]:
        return sanction_links(self.chunks)

    @cached_property
    def _revisions(self) -> dict[CitationId, list[CitationId]]:
        return revision_links(self.chunks)

    @cached_property
    def _kinds(self) -> dict[CitationId, frozenset[str]]:
        return {c.cid: frozenset(p.kind for p in c.annotations) for c in self.chunks}

    def kinds(self, cid: str | CitationId) -> frozenset[str]:
        """The kinds of the unit's annotated provisions (duty, sanction, regime…)."""
        return self._kinds.get(CitationId.parse(cid).unit, frozenset())

    def paragraph_count(self, cid: str | CitationId) -> int:
        """How many paragraphs the unit has (1 for an undivided unit; 0 for no such unit)."""
        chunks = self.chunks_of(cid)
        if not chunks:
            return 0
        unit = chunks[0].cid
        found = {CitationId(unit.doc, p.locator, unit.version).part for p in chunks[0].parts}
        return len({part for part in found if part and part[0] == "paragraph"}) or 1

    @cached_property
    def _applies_to(self) -> dict[CitationId, frozenset[str]]:
        return {
            c.cid: frozenset(a for p in c.annotations for a in p.applies_to) for c in self.chunks
        }

    def applies_to(self, cid: str | CitationId) -> frozenset[str]:
        """Whom the unit's annotated provisions apply to (commercial providers, anyone…)."""
        return self._applies_to.get(CitationId.parse(cid).unit, frozenset())

    @cached_property
    def _own_words(self) -> dict[tuple[CitationId, str], frozenset[str]]:
        words = {(c.cid, c.lang): frozenset(tokenize(c.text)) for c in self.chunks}
        out: dict[tuple[CitationId, str], frozenset[str]] = {}
        for (cid, lang), own in words.items():
            others = [
                w
                for (o, ol), w in words.items()
                if ol == lang and o.doc == cid.doc and o.version == cid.version and o != cid
            ]
            out[(cid, lang)] = own.difference(*others)
        return out

    @cached_property
    def _word_shares(self) -> dict[str, dict[str, float]]:
        """Per language: each search token of the Rules' text → the share of the Rules' articles
        (both wordings taken together) whose text uses it."""
        articles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for c in self.chunks:
            if c.doc == "rules":
                articles[c.lang][c.cid.unit.locator].update(tokenize(c.text))
        out: dict[str, dict[str, float]] = {}
        for lang, words_of in articles.items():
            counts = Counter(w for words in words_of.values() for w in words)
            out[lang] = {w: n / len(words_of) for w, n in counts.items()}
        return out

    def word_share(self, word: str, lang: str) -> float:
        """The share of the Rules' articles (text in ``lang``) that use the search token ``word``:
        0 for a word the Rules never use, near 1 for one every article uses."""
        return self._word_shares.get(lang, {}).get(word, 0.0)

    def own_words(self, cid: str | CitationId, lang: str) -> frozenset[str]:
        """The words (search tokens) of the unit's text in ``lang`` that no other unit of its
        document and wording uses: what names its matter and nothing else's."""
        return self._own_words.get((CitationId.parse(cid).unit, lang), frozenset())

    def sanctions_for(self, cid: str | CitationId) -> list[CitationId]:
        """The sanction units that punish a provision of ``cid`` (from the annotations)."""
        return list(self._sanctions.get(CitationId.parse(cid).unit, []))

    def revision_links(self, cid: str | CitationId, versions: list[str]) -> list[CitationId]:
        """An Explanation point's revised articles (in ``versions``), or an article's points."""
        unit = CitationId.parse(cid).unit
        out: list[CitationId] = []
        for other in self._revisions.get(unit.without_version(), []):
            if other.doc == unit.doc:
                continue
            out += [
                v for v in self.versions_of(other) if v.version is None or v.version in versions
            ]
        return out
