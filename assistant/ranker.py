"""A ranker learned from the annotations: which unit a user's question is about.

Every annotated unit carries two or three dozen questions and phrases in users' words (its
*views*, :mod:`ingest.annotations.views`). Nearest-view search asks which single phrasings a
question resembles; this model asks which unit's phrasings, taken together, it belongs to. Two
multinomial logistic regressions, one over the views' vectors as the index stores them and one
over character n-grams (which read Chinese without a word segmenter and survive typos), are
fitted when a snapshot is built (about two seconds on the full corpus) and their probabilities
averaged. The retriever adds them as one more fused list, read with the question's query vector.

Labels are units without a wording (``rules#art-14``): the 2011 and 2024 wordings share their
views, and the retriever picks the wordings the question wants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.citations import CitationId


def _label(unit: CitationId) -> str:
    return str(unit.unit.without_version())


@dataclass
class ViewRanker:
    """Probabilities over unversioned units for a question (see the module's docstring)."""

    labels: list[CitationId]
    dense: Any  # a fitted classifier over query vectors, or None (no embedder)
    lexical: Any  # a fitted character n-gram pipeline

    @classmethod
    def fit(
        cls,
        examples: Iterable[tuple[str, CitationId]],
        vectors: Mapping[str, Sequence[float]] | None = None,
        lexical_strength: float = 64.0,
        dense_strength: float = 64.0,
    ) -> ViewRanker | None:
        """Fit on (text, unit) ``examples``; ``vectors`` maps a text to its stored vector (None:
        no dense half). None when the examples name fewer than two units. The strengths are
        the inverse regularisation (``C``) of each half: the query vectors are unit-length and
        close together, so the dense half wants less regularisation than the default once had
        (64 against 16 lifted the averaged top-1 on the tuning sets' single questions from
        0.920 to 0.934; 256 went further on top-1 but cost answers downstream)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        pairs = sorted({(text, _label(unit)) for text, unit in examples})
        if len({label for _, label in pairs}) < 2:
            return None
        texts = [text for text, _ in pairs]
        y = np.array([label for _, label in pairs])
        # newton-cg converges here in a fraction of the default solver's time (2 s, not 8); a
        # looser tolerance for the lexical half halves its fit (3.1 s → 1.8 s on 2,840 views, the
        # snapshot's cold start) at the same answers on the tuning sets
        lexical = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True),
            LogisticRegression(C=lexical_strength, solver="newton-cg", max_iter=1000, tol=1e-3),
        ).fit(texts, y)
        dense = None
        if vectors is not None and all(t in vectors for t in texts):
            matrix = np.asarray([vectors[t] for t in texts], dtype=np.float32)
            dense = LogisticRegression(C=dense_strength, solver="newton-cg", max_iter=1000)
            dense.fit(matrix, y)
        labels = [CitationId.parse(str(c)) for c in lexical.classes_]
        return cls(labels, dense, lexical)

    def scores(self, text: str, vector: list[float] | None) -> dict[CitationId, float]:
        """Each unversioned unit's probability for ``text`` (whose query vector is ``vector``)."""
        p = self.lexical.predict_proba([text])[0]
        if self.dense is not None and vector is not None:
            p = (p + self.dense.predict_proba([vector])[0]) / 2
        return dict(zip(self.labels, (float(x) for x in p), strict=True))
