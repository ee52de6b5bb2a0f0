"""Answer or refuse, and why: the refusal rules and the relevance gate.

Driven by the question's analysis and the index (how many articles, which units exist, which
embedder made the vectors); no corpus facts are written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.query import Analysis
from assistant.sentences import SentenceIndex
from ingest.citations import CitationId
from ingest.index import Index

#: (min dense similarity, min lexical coverage) per embedder: a question is answered when its
#: top units reach either. Tuned on evals/datasets/core.yaml (see evals/README.md).
RELEVANCE_GATES = {"e5": (0.81, 0.32), "minilm": (0.45, 0.12)}
DEFAULT_GATE = (0.8, 0.3)
#: Dense similarity alone vouches for a paraphrase only if the question shares this much with
#: the units or with users' phrases for them (their annotation views).
MIN_SHARED_COVERAGE = 0.08
#: A question about the 2012 draft or its Explanation whose nearest unit is a point of the
#: Explanation names what it asks about; the Explanation's wording is far from users' (it is a
#: translation of a policy text), so the gate asks less of it: (dense, coverage) lowered by
#: these amounts. Tuned on core.yaml and the development sets (evals/README.md).
DRAFT_GATE_EASING = (0.015, 0.12)
NOT_ADDRESSED = "The Rules and the Explanation do not appear to address this question."


def refusal(a: Analysis, index: Index) -> str | None:
    """Why the question is refused before retrieval, or None."""
    if a.injection:
        return (
            "The question asks the assistant to change how it answers or what it cites; "
            "regqa only answers from the texts."
        )
    if a.bad_refs and not a.refs:
        articles = index.articles("rules", a.versions[-1] if a.versions else None)
        parts = sorted(u.locator for u in index.unit_ids() if u.doc == "explanation")
        return (
            f"{', '.join(a.bad_refs)} does not exist in the corpus: the Rules have {articles} "
            f"articles and the Explanation has the units {', '.join(parts)}."
        )
    for article, paragraph in a.paragraphs:
        unit = CitationId.article(article, a.versions[-1] if a.versions else None)
        have = index.paragraph_count(unit)
        if have and paragraph > have:
            return (
                f"Article {article} of the Rules has {have} paragraph{'s' if have > 1 else ''}; "
                f"paragraph {paragraph} does not exist in the corpus."
            )
    named = index.draft_articles_named()
    unknown = [n for n in a.draft_articles if n not in named]
    if unknown and len(unknown) == len(a.draft_articles) and not a.refs:
        return (
            f"The Explanation does not describe Article {unknown[0]} of the 2012 draft (the draft's "
            f"text is not in the corpus; the Explanation names Articles "
            f"{', '.join(map(str, named))})."
        )
    if not a.in_domain and not a.refs:
        return (
            "The question does not seem to be about internet information services in China; "
            "regqa answers only from the Internet Information Service Management Rules and the "
            "Explanation of their 2012 draft."
        )
    if a.out_of_scope:  # even beside a unit it names: the texts do not speak of the other law
        listed = " The provisions the question names are listed under see_also." if a.refs else ""
        return (
            f"The corpus holds only the Internet Information Service Management Rules and the "
            f"Explanation of their 2012 draft; it does not contain {a.out_of_scope[0]}.{listed}"
        )
    return None


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    coverage: float
    dense: float


#: Fact types so rare in the texts that a unit stating one, among the first three, answers a
#: question asking for that type however far its words are: the only date the Rules set is
#: when they take effect.
VOUCHING_FACTS = frozenset({"date"})


#: Kinds of provision so rare that a unit of that kind among the first three answers a question
#: asking for it: the Rules state their purpose once (Art. 1), in words users never type
#: ("what do the measures say their purpose is?").
VOUCHING_KINDS = frozenset({"purpose"})


def states_asked_fact(
    fact: str | None, units: list[CitationId], index: Index, intent: str | None = None
) -> bool:
    """Whether one of ``units`` (the first three) states a fact of the rare type asked for, or
    is a provision of the rare kind asked for."""
    if intent in VOUCHING_KINDS and any(intent in index.kinds(u) for u in units[:3]):
        return True
    if fact not in VOUCHING_FACTS:
        return False
    for unit in units[:3]:
        for chunk in index.chunks_of(unit)[:1]:
            if any(f.type == fact for p in chunk.annotations for f in p.facts):
                return True
    return False


def relevance(
    question: str,
    top: list[tuple[CitationId, float]],
    index: Index,
    sentences: SentenceIndex,
    *,
    dense_search: bool,
    min_dense: float | None = None,
    min_coverage: float | None = None,
    about_the_draft: bool = False,
) -> Relevance:
    """Whether the retrieved units — (unit, dense similarity), best first — speak to the
    question: the top three share enough of its words, or its nearest unit is close enough
    (asked less of a question ``about_the_draft`` answered by the Explanation)."""
    if not top:
        return Relevance(False, 0.0, 0.0)
    # the question's nearest unit, wherever fusion ranked it; the words of the top three
    dense = max(similarity for _, similarity in top)
    chunks = [c for unit, _ in top[:3] for c in index.chunks_of(unit)]
    coverage = sentences.coverage(question, chunks)
    gate_dense, gate_cov = RELEVANCE_GATES.get(str(index.meta.get("embedder")), DEFAULT_GATE)
    min_cov = gate_cov if min_coverage is None else min_coverage
    min_den = gate_dense if min_dense is None else min_dense
    if about_the_draft and top[0][0].doc == "explanation":
        min_den, min_cov = min_den - DRAFT_GATE_EASING[0], min_cov - DRAFT_GATE_EASING[1]
    if not dense_search:
        return Relevance(coverage >= min_cov, coverage, dense)
    shared = (
        coverage
        if coverage >= MIN_SHARED_COVERAGE
        else sentences.coverage(question, chunks, views=True)
    )
    ok = coverage >= min_cov or (dense >= min_den and shared >= MIN_SHARED_COVERAGE)
    return Relevance(ok, coverage, dense)
