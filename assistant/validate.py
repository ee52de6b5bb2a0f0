"""Citation validation, the same for every generator.

Every marker must name a unit that exists and was retrieved for this question
(``[n]`` for the n-th unit given to the generator, or the unit's id). Anything
else is removed from the text and listed in ``dropped``; surviving markers are
renumbered ``[1]``, ``[2]``… in order of first use, and ``[k]`` refers to
``citations[k-1]``. Sentences left without a marker are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from langchain_core.documents import Document

from assistant.answer import Citation
from assistant.generators.base import Draft
from assistant.sentences import SentenceIndex
from ingest.citations import ChunkKey, CitationId
from ingest.errors import InvalidCitationId
from ingest.index import Index
from ingest.lexical import tokenize

MARKER_RE = re.compile(r"\s?[\[【]\s*([^\[\]【】\n]{1,60}?)\s*[\]】]")
#: A sentence ends at 。!?！？ or at a "." followed by a space or the end ("II.4", "2.5" go on).
_SENTENCE_RE = re.compile(r"(?:[^\n.。!?！？]|\.(?=\S))+(?:[.。!?！？]+[”\"]?|$)")
#: A verbatim quote followed by its marker: supported as a whole, whatever sentences it holds.
_CITED_QUOTE = re.compile(r"“[^“”]*”\s*[.。]?\s*(\[\d+\])")


@dataclass
class Resolver:
    """Maps marker contents to retrieved documents and assigns final numbers."""

    documents: list[Document]
    order: list[int] = field(default_factory=list)  # final number k → document index
    dropped: list[str] = field(default_factory=list)

    def resolve(self, raw: str) -> int | None:
        """Final citation number for a marker's content, or None (and record it dropped)."""
        doc_index = self._doc_index(raw.strip())
        if doc_index is None:
            self.dropped.append(raw.strip())
            return None
        if doc_index not in self.order:
            self.order.append(doc_index)
        return self.order.index(doc_index) + 1

    def document(self, raw: str) -> Document | None:
        """The retrieved document a marker's content names (``2``, an id), without recording."""
        found = self._doc_index(raw.strip())
        return self.documents[found] if found is not None else None

    def _doc_index(self, raw: str) -> int | None:
        if raw.isdigit():
            n = int(raw)
            return n - 1 if 1 <= n <= len(self.documents) else None
        try:
            cid = CitationId.parse(raw)
        except InvalidCitationId:
            return None
        for i, doc in enumerate(self.documents):
            meta = doc.metadata
            have = CitationId(str(meta["doc"]), str(meta["locator"]), meta.get("version") or None)
            if (cid.doc, cid.unit.locator) == (have.doc, have.locator) and (
                cid.version is None or cid.version == have.version
            ):
                return i
        return None


def rewrite_markers(text: str, resolver: Resolver) -> str:
    def sub(m: re.Match[str]) -> str:
        contents = [p for p in re.split(r"\s*[,;，；]\s*", m.group(1)) if p]
        # Only treat it as a citation marker if it looks like one.
        if not all(p.isdigit() or "#" in p for p in contents):
            return m.group(0)
        numbers = [k for k in (resolver.resolve(p) for p in contents) if k is not None]
        lead = " " if m.group(0).startswith(" ") else ""
        return lead + "".join(f"[{k}]" for k in dict.fromkeys(numbers)) if numbers else ""

    out = MARKER_RE.sub(sub, text)
    out = re.sub(r"(\[\d+\])(?:\s?\1)+", r"\1", out)  # [1][1] → [1]
    return re.sub(r"[ \t]+\n", "\n", out).strip()


def unsupported_sentences(text: str, abstention: str) -> list[str]:
    text = _CITED_QUOTE.sub(r"“…” \1", text)  # list items and clauses inside a cited quote
    out = []
    for line in text.splitlines():
        for m in _SENTENCE_RE.finditer(line):
            sentence = m.group(0).strip()
            if (
                len(sentence) > 8
                and not re.search(r"\[\d+\]", sentence)
                and abstention not in sentence
            ):
                out.append(sentence)
    # a sentence followed by its marker on the next chunk ("… law. [1]") counts as supported
    supported_tail = re.compile(r"^\s*\[\d+\]")
    return [s for s in out if not supported_tail.match(text[text.find(s) + len(s) :])]


def validate(
    draft: Draft,
    documents: list[Document],
    index: Index,
    sentences: SentenceIndex,
    abstention: str,
) -> tuple[str, list[Citation], list[str], list[str]]:
    resolver = Resolver(documents)
    text = rewrite_markers(draft.text, resolver)
    citations = []
    for k, doc_index in enumerate(resolver.order, start=1):
        doc = documents[doc_index]
        chunk = index.unit(doc.metadata["id"], doc.metadata["lang"])
        span = draft.quotes.get(doc_index + 1)
        if span is None:
            span = _best_span(text, k, chunk.key, sentences) or (chunk.start, chunk.end)
        start, end = span
        citations.append(
            Citation(
                id=chunk.id,
                doc=chunk.doc,
                version=chunk.version,
                locator=chunk.locator,
                title=chunk.title,
                lang=chunk.lang,
                quote=chunk.text[start - chunk.start : end - chunk.start],
                start=start,
                end=end,
                source=chunk.source,
            )
        )
    return text, citations, resolver.dropped, unsupported_sentences(text, abstention)


def _best_span(
    text: str, k: int, key: ChunkKey, sentences: SentenceIndex
) -> tuple[int, int] | None:
    """The clause of the unit that best matches the sentences citing it with ``[k]``."""
    citing = " ".join(s for s in re.split(r"(?<=[.。!?！？])\s+|\n+", text) if f"[{k}]" in s)
    tokens = tokenize(MARKER_RE.sub(" ", citing))
    candidates = sentences.by_chunk.get(key, [])
    if not candidates or not tokens:
        return None
    best = max(candidates, key=lambda s: sentences.overlap(tokens, s))
    return best.start, best.end


class StreamFilter:
    """Validates markers in streamed text: holds back an open ``[`` until it closes."""

    def __init__(self, documents: list[Document]) -> None:
        self.resolver = Resolver(documents)
        self._buffer = ""

    def feed(self, piece: str) -> str:
        self._buffer += piece
        out = ""
        while self._buffer:
            open_at = min(
                (i for i in (self._buffer.find("["), self._buffer.find("【")) if i >= 0), default=-1
            )
            if open_at < 0:
                out += self._buffer
                self._buffer = ""
                break
            out += self._buffer[:open_at]
            rest = self._buffer[open_at:]
            close = min((i for i in (rest.find("]"), rest.find("】")) if i >= 0), default=-1)
            if close < 0:
                if len(rest) > 64:  # not a marker after all
                    out += rest
                    rest = ""
                self._buffer = rest
                break
            out += (
                rewrite_markers(rest[: close + 1], self.resolver)
                if rest[1:close].strip()
                else rest[: close + 1]
            )
            self._buffer = rest[close + 1 :]
        return out

    def flush(self) -> str:
        rest, self._buffer = self._buffer, ""
        return rest
