"""How the retrieval lists are fused: what each list counts for, per embedder, and what each
result adds to its unit's score (weighted by normalised scores, or reciprocal rank)."""

from __future__ import annotations

#: What each retrieval list counts for in weighted fusion, per embedder. The annotated views
#: (users' questions and phrases for a unit) carry most of it: operators' words are far from
#: the law's. Tuned for e5 on evals/datasets/core.yaml, dev.yaml and dev2.yaml (see
#: evals/README.md); the ranker learned from the views (``assistant.ranker``) on core.yaml and
#: dev2–dev7, and raised (with the units' own vectors lowered) when the views came to be
#: embedded as questions are, on core.yaml and dev13.yaml (core's answers unchanged; the operator-style
#: sets gain). The fake embedder's vectors are random, so its dense lists count for nothing.
FUSION_WEIGHTS: dict[str, dict[str, float]] = {
    "e5": {"bm25": 0.25, "bm25_views": 1.0, "dense": 0.25, "dense_views": 1.0, "ranker": 1.5},
    "fake": {"bm25": 0.25, "bm25_views": 1.0, "dense": 0.0, "dense_views": 0.0, "ranker": 0.75},
}
DEFAULT_WEIGHTS = FUSION_WEIGHTS["e5"]


def rrf_shares(n: int, k: int) -> list[float]:
    """Reciprocal rank fusion: every list counts the same, by rank only."""
    return [1.0 / (k + rank + 1) for rank in range(n)]


def weighted_shares(
    name: str,
    scores: list[float],
    weights: dict[str, float],
    views: bool,
    lexical_best: float = 0.0,
) -> list[float]:
    """What each score of the list ``name`` adds, weighted: probabilities as they are, cosine
    where it sits between the list's ends, BM25 as a share of the best lexical match of either
    lexical list. Without views (``views`` False) a unit's own list stands in for its views."""
    if not views:
        weights = {k: max(w, weights.get(f"{k}_views", 0.0)) for k, w in weights.items()}
    weight = weights.get(name, 1.0)
    if not scores:
        return []
    if name == "ranker":  # probabilities: already on one scale
        return [weight * s for s in scores]
    if name.startswith("dense"):  # cosine: where each sits between the list's ends
        low, high = min(scores), max(scores)
        span = high - low
        return [weight * ((s - low) / span if span > 0 else 1.0) for s in scores]
    best = max(lexical_best, *scores)  # BM25: a share of the best lexical match
    return [weight * (s / best if best > 0 else 0.0) for s in scores]
