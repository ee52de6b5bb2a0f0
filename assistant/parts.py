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
    #: unversioned unit → (its phrasings × n-grams, rows L2-normalised; each row's provision)
    units: dict[str, tuple[Any, list[str]]]

    @classmethod
    def build(cls, chunks: Iterable[Chunk]) -> PartMatcher | None:
        """From the chunks' annotations; None when nothing is annotated."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts: dict[tuple[str, str, str], None] = {}
        for c in chunks:
            unit = cls.unit(str(c.cid))
            for p in c.annotations:
                phrases = [*p.questions.all(), *p.topics.en, *p.topics.zh]
                texts.update({(unit, p.id, text): None for text in phrases})
        if not texts:
            return None
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        matrix = vectorizer.fit_transform([text for _, _, text in texts]).tocsr()
        rows: dict[str, list[int]] = {}
        parts: dict[str, list[str]] = {}
        for i, (unit, part, _) in enumerate(texts):
            rows.setdefault(unit, []).append(i)
            parts.setdefault(unit, []).append(part)
        return cls(vectorizer, {u: (matrix[rows[u]], parts[u]) for u in rows})

    def scores(self, question: str, units: Iterable[str]) -> dict[tuple[str, str], float]:
        """(unversioned unit, provision) → similarity of the question to its phrasings, for the
        provisions of ``units`` (citation ids, with or without a wording)."""
        q = self.vectorizer.transform([question]).T
        out: dict[tuple[str, str], float] = {}
        for unit in dict.fromkeys(map(self.unit, units)):
            if unit not in self.units:
                continue
            matrix, parts = self.units[unit]
            sims = (matrix @ q).toarray().ravel()
            best: dict[str, list[float]] = {}
            for part, sim in zip(parts, sims, strict=True):
                best.setdefault(part, []).append(float(sim))
            for part, values in best.items():
                out[(unit, part)] = float(np.mean(sorted(values)[-TOP:]))
        return out

    @staticmethod
    def unit(cid: str) -> str:
        """The unit of ``cid`` as :meth:`scores` names it (without a wording)."""
        return str(CitationId.parse(cid).without_version())

    @classmethod
    def key(cls, unit: str, part: str) -> tuple[str, str]:
        """The key of a clause's provision in :meth:`scores`."""
        return cls.unit(unit), part
