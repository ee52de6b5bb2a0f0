"""Which provision of a unit a question is about: its paragraph or item, from users' words.

The annotations give each provision (``art-7.p2``, ``art-15.i6``, ``II.4``) the questions and
phrases users type for it. A unit's clauses are scored against the question by their words;
this adds how closely the question resembles the phrasings of the provision a clause belongs
to, so that "do they have to tell us why?" reaches the paragraph on a refusal's written reasons
even though it shares no word with it. Character n-grams read Chinese without a segmenter and
survive typos; the vectors are built once per index generation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.citations import CitationId
from ingest.units import Chunk

#: A provision's similarity is the mean of its ``TOP`` closest phrasings (one close phrasing
#: can be chance; several agree).
TOP = 2


@dataclass
class PartMatcher:
    """Similarity (0…1) of a question to each annotated provision's phrasings."""

    vectorizer: Any
    matrix: Any  # phrasings × n-grams, rows L2-normalised
    rows: list[tuple[str, str]]  # (unversioned unit, provision locator) of each row

    @classmethod
    def build(cls, chunks: Iterable[Chunk]) -> PartMatcher | None:
        """From the chunks' annotations; None when nothing is annotated."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts: dict[tuple[str, str, str], None] = {}
        for c in chunks:
            unit = str(c.cid.without_version())
            for p in c.annotations:
                phrases = [*p.questions.all(), *p.topics.en, *p.topics.zh]
                texts.update({(unit, p.id, text): None for text in phrases})
        if not texts:
            return None
        rows = [(unit, part) for unit, part, _ in texts]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        matrix = vectorizer.fit_transform([text for _, _, text in texts])
        return cls(vectorizer, matrix, rows)

    def scores(self, question: str) -> dict[tuple[str, str], float]:
        """(unversioned unit, provision) → similarity of the question to its phrasings."""
        sims = (self.matrix @ self.vectorizer.transform([question]).T).toarray().ravel()
        best: dict[tuple[str, str], list[float]] = {}
        for row, sim in zip(self.rows, sims, strict=True):
            if sim > 0:
                best.setdefault(row, []).append(float(sim))
        return {row: float(np.mean(sorted(v)[-TOP:])) for row, v in best.items()}

    @staticmethod
    def key(unit: str, part: str) -> tuple[str, str]:
        """The key of a clause's provision in :meth:`scores`."""
        return str(CitationId.parse(unit).without_version()), part
