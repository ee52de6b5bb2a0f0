"""Stage 1 — reading the question, in one place.

:class:`Analyser` knows the shape of one index generation (how many articles, which
Explanation units, which wordings) and turns text into an :class:`~assistant.query.Analysis`.
:func:`understand` makes a follow-up standalone (the generator's own rewrite if it has one,
else the rule-based one) and analyses what will be searched, answering in the language of
the question asked.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cached_property

from assistant.generators.base import Generator
from assistant.history import standalone
from assistant.intent import intent_of
from assistant.query import Analysis, analyze, strip_markup
from ingest.index import Index


class Analyser:
    """Question analysis against one index generation."""

    def __init__(self, index: Index) -> None:
        self.index = index

    @cached_property
    def _shape(self) -> tuple[int, set[str]]:
        """How many articles the Rules have and which Explanation locators exist."""
        chunks = self.index.chunks
        numbers = (c.cid.article_number for c in chunks if c.doc == "rules")
        articles = max((n for n in numbers if n is not None), default=0)
        explanation = {c.locator for c in chunks if c.doc == "explanation"}
        return articles, explanation

    def analyze(self, text: str) -> Analysis:
        articles, explanation = self._shape
        a = analyze(
            text,
            articles=articles,
            explanation=explanation,
            versions=self.index.versions.get("rules") or None,
        )
        a.intent, a.fact = intent_of(text, a)
        return a


#: A follow-up that asks something of its own (where, who, how…) rather than the same question
#: in another scope ("and in the draft?").
_ASKS_ANEW = re.compile(
    r"\b(?:where|who|whom|whose|how|why|which|when)\b|哪里|哪儿|在哪|谁|怎么|为什么|哪个|哪些|何时|什么时候",
    re.IGNORECASE,
)

#: The fields of an analysis that say which texts a question is about.
_SCOPE = (
    "versions",
    "wants_versions",
    "wants_draft",
    "draft_articles",
    "compares",
    "asks_change",
    "names_scope",
)


@dataclass(frozen=True)
class Understood:
    question: str  # as asked (markup stripped)
    standalone: str  # what is searched: the question, or the follow-up made standalone
    analysis: Analysis  # of ``standalone``, in the language of ``question``


def understand(
    question: str,
    history: list[tuple[str, str]],
    analyser: Analyser,
    generator: Generator,
) -> Understood:
    text = strip_markup(question)
    own = analyser.analyze(text)
    searched = text
    if history:
        searched = generator.rewrite(text, history) or standalone(text, history, bool(own.refs))
    if searched == text:
        return Understood(text, text, own)
    other = analyser.analyze(searched)
    # the topic comes from the conversation, the language from the turn;
    # the scope (wording, draft) from the turn when it names one, else from the turn before;
    # so is what is asked, when the turn only moves the question ("and in the draft?")
    previous = [t for role, t in history if role == "user"]
    before = analyser.analyze(previous[-1]) if previous else own
    scope = own if own.names_scope else before
    moves = own.intent == "general" and not own.asks_sanction and not _ASKS_ANEW.search(text)
    asks = before if moves else own
    asked = dataclasses.replace(
        other,
        lang=own.lang,
        intent=asks.intent,
        fact=asks.fact,
        asks_sanction=asks.asks_sanction,
        **{name: getattr(scope, name) for name in _SCOPE},
    )
    return Understood(text, searched, asked)
