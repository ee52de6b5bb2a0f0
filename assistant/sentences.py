"""Sentences and clauses of units, with offsets, and how well they match a question.

Built once per index generation (``SentenceIndex``) — nothing is re-split per query.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from langchain_core.documents import Document

from assistant.parts import PartMatcher
from ingest.citations import ChunkKey, CitationId
from ingest.index import Index
from ingest.lexical import tokenize
from ingest.units import Chunk

# A clause ends at . ; : ? ! (and their full-width forms) followed by space or end.
_END_EN = re.compile(r"[.;:?!][\"”’)]?(?=\s|$)")
_END_ZH = re.compile(r"[。；：？！][”’」]?")


@dataclass(frozen=True)
class Sentence:
    unit: str
    lang: str
    start: int  # offsets into the source file
    end: int
    text: str
    tokens: frozenset[str]
    part: str  # locator of the paragraph or item


def split_chunk(chunk: Chunk) -> list[Sentence]:
    out: list[Sentence] = []
    ender = _END_ZH if chunk.lang == "zh" else _END_EN
    for span in chunk.parts:
        text = chunk.span_text(span)
        pos = 0
        cuts = [m.end() for m in ender.finditer(text)]
        if not cuts or cuts[-1] < len(text):
            cuts.append(len(text))
        for cut in cuts:
            piece = text[pos:cut]
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            if len(body) > 1:
                start = span.start + pos + lead
                out.append(
                    Sentence(
                        chunk.id,
                        chunk.lang,
                        start,
                        start + len(body),
                        body,
                        frozenset(tokenize(body)),
                        span.locator,
                    )
                )
            pos = cut
    return out


class SentenceIndex:
    """Every clause of every chunk, with IDF weights per language."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.by_chunk: dict[ChunkKey, list[Sentence]] = {
            c.key: split_chunk(c) for c in index.chunks
        }
        df: dict[str, Counter[str]] = {}
        n: Counter[str] = Counter()
        for key, sentences in self.by_chunk.items():
            lang = key.lang
            counter = df.setdefault(lang, Counter())
            for s in sentences:
                counter.update(s.tokens)
                n[lang] += 1
        self.idf = {
            lang: {t: math.log(1 + n[lang] / c) for t, c in counter.items()}
            for lang, counter in df.items()
        }
        #: The words of each unit's views (the phrases and questions its annotations give).
        self.view_words: dict[ChunkKey, set[str]] = {}
        for view in index.views:
            key = ChunkKey(view.unit, view.lang)
            self.view_words.setdefault(key, set()).update(tokenize(view.text))
        #: How closely a question resembles the phrasings of each provision (paragraph, item).
        self.parts = PartMatcher.build(index.chunks)

    def part_scores(self, question: str, units: list[str]) -> dict[tuple[str, str], float]:
        """(unversioned unit, provision) → the question's similarity to its users' phrasings,
        for the provisions of ``units`` (see :mod:`assistant.parts`); empty when nothing is
        annotated."""
        if self.parts is None:
            return {}
        return self.parts.scores(question, units)

    def of_document(self, doc: Document) -> list[Sentence] | None:
        """The clauses of a retrieved document, when it is a chunk of this index."""
        meta = doc.metadata
        if not CitationId.is_valid(meta.get("id")) or "lang" not in meta:
            return None
        return self.by_chunk.get(ChunkKey(CitationId.parse(meta["id"]), str(meta["lang"])))

    def weight(self, token: str, lang: str) -> float:
        return self.idf.get(lang, {}).get(token, 0.0)

    def overlap(self, query: list[str], sentence: Sentence) -> float:
        """IDF-weighted share of the query's known tokens found in the sentence (0…1)."""
        weights = {t: self.weight(t, sentence.lang) for t in set(query)}
        total = sum(weights.values())
        if total == 0:
            return 0.0
        return sum(w for t, w in weights.items() if t in sentence.tokens) / total

    def precision(self, query: list[str], sentence: Sentence) -> float:
        """IDF-weighted share of the sentence's tokens that the query has (0…1)."""
        weights = {t: self.weight(t, sentence.lang) for t in sentence.tokens}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in set(query)) / total if total else 0.0

    def coverage(self, query_text: str, chunks: list[Chunk], *, views: bool = False) -> float:
        """How much of the question the best of these chunks covers (0…1).

        ``views=True`` also counts the words of the units' views (users' phrases for them).

        Every content word of the question counts; a word the corpus never uses weighs as
        much as its rarest word. A user's word that the glossary maps to corpus words
        ("logs" → "record backups") counts as covered when the chunk has those words.
        """
        from assistant.query import detect_lang, expansions

        lang = detect_lang(query_text)
        tokens = [t for t in tokenize(query_text) if t not in _QUERY_STOP]
        bridged: dict[str, list[tuple[set[str], set[str]]]] = {}  # per chunk language

        def bridges(chunk_lang: str) -> list[tuple[set[str], set[str]]]:
            """The question's users' words with the corpus words they stand for, in the chunk's
            language (a Chinese question read against the English-only Explanation)."""
            if chunk_lang not in bridged:
                bridged[chunk_lang] = [
                    (set(tokenize(user)), set(tokenize(corpus)))
                    for user, corpus in expansions(query_text, chunk_lang)
                ]
            return bridged[chunk_lang]

        rare = max(self.idf.get(lang, {}).values(), default=1.0)
        best = 0.0
        for chunk in chunks:
            weights = {t: self.idf.get(chunk.lang, {}).get(t, rare) for t in set(tokens)}
            total = sum(weights.values())
            if not total:
                continue
            vocab = set().union(*(s.tokens for s in self.by_chunk[chunk.key]))
            if views:
                vocab |= self.view_words.get(chunk.key, set())
            covered = {t for t in weights if t in vocab}
            for user, corpus in bridges(chunk.lang):
                if corpus & vocab:
                    covered |= user
            best = max(best, sum(w for t, w in weights.items() if t in covered) / total)
        return best


#: Words of how people ask, not of what they ask about (left out of coverage).
_QUERY_STOP = frozenset(
    tokenize(
        "i me my we us our you your he she they someone somebody anyone get got go going like want "
        "know tell please about there some also still just only really actually need use one "
        "thing things stuff kind sort way ok okay yes hi hello thanks thank under rule rules law "
        "article articles say says said happen happens happened mean means lot much many long "
        "first then now new old good bad make made let lets'"
    )
)
