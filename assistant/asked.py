"""A message that asks two things ("要不要先找教育主管部门？如果要，备案的时候还得多交什么材料？"):
its questions, and the unit in view that answers the one the plan's first target does not.

Each question is matched against users' phrasings of the units in view (``PartMatcher``); a
second unit joins the answer only when another question, long enough to carry a topic of its
own, is clearly closer to it than to the unit already chosen.
"""

from __future__ import annotations

import re

from langchain_core.documents import Document

from assistant.parts import PartMatcher
from ingest.lexical import tokenize

#: One question of a message: what runs up to its question mark.
_ONE_QUESTION = re.compile(r"[^?？]+[?？]")

#: A question needs this many search words to carry a topic of its own ("right?" has none).
MIN_WORDS = 4
#: How much closer (in phrasing similarity) another question must be to a second unit than to
#: the unit already chosen for that unit to answer it too.
MARGIN = 0.1


def each_question(text: str) -> list[str]:
    """Every question of a message (what runs up to each question mark), in order."""
    return _ONE_QUESTION.findall(text)


def questions_of(text: str) -> list[str]:
    """The questions of a message that carry a topic of their own, in order."""
    return [q for q in each_question(text) if len(set(tokenize(q))) >= MIN_WORDS]


def unit_for_another_question(
    question: str, docs: list[Document], chosen: int, parts: PartMatcher, window: int = 3
) -> int | None:
    """The position (1-based) of a unit among the first ``window`` that answers a question of
    the message other than the one unit ``chosen`` answers, or None."""
    asked = questions_of(question)
    if len(asked) < 2 or chosen > len(docs):
        return None
    labels = {n: PartMatcher.unit(str(d.metadata["id"])) for n, d in enumerate(docs[:window], 1)}
    labels.setdefault(chosen, PartMatcher.unit(str(docs[chosen - 1].metadata["id"])))

    def closeness(q: str) -> dict[int, float]:
        scores = parts.scores(q, labels.values())
        return {
            n: max((s for (u, _), s in scores.items() if u == label), default=0.0)
            for n, label in labels.items()
        }

    for q in asked:
        near = closeness(q)
        best = max(near, key=lambda n: near[n])
        if best != chosen and near[best] >= near.get(chosen, 0.0) + MARGIN:
            return best
    return None
