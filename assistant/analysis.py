"""Stage 1 — reading the question, in one place.

:class:`Analyser` knows the shape of one index generation (how many articles, which
Explanation units, which wordings) and turns text into an :class:`~assistant.query.Analysis`.
:func:`understand` makes a follow-up standalone (the generator's own rewrite if it has one,
else the rule-based one) and analyses what will be searched, answering in the language of
the question asked.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

from assistant.generators.base import Generator
from assistant.history import ASKS_ANEW, is_follow_up, last_topic, standalone
from assistant.intent import intent_of
from assistant.query import Analysis, analyze, in_domain, strip_markup
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
    #: The latest earlier turn with words enough for a topic of its own (see ``last_topic``),
    #: when this turn leans on the ones before.
    topic: str | None = None
    #: The assistant's last answer in the conversation, if there is one.
    said: str | None = None


def understand(
    question: str,
    history: list[tuple[str, str]],
    analyser: Analyser,
    generator: Generator,
) -> Understood:
    text = strip_markup(question)
    own = analyser.analyze(text)
    previous = [t for role, t in history if role == "user"]
    if previous and not own.in_domain:  # a turn of a conversation about the texts
        own = dataclasses.replace(own, in_domain=in_domain(previous[-1]))
    searched = text
    if history:
        searched = generator.rewrite(text, history) or standalone(text, history, bool(own.refs))
    if searched == text:
        return Understood(text, text, own)
    other = dataclasses.replace(analyser.analyze(searched), in_domain=own.in_domain)
    # the topic comes from the conversation, the language from the turn; the scope and what is
    # asked from the turn as resolved against the turns before it (see ``_inherit``)
    resolved = _inherit(own, text, _resolved(previous, analyser)) if previous else own
    asked = dataclasses.replace(
        other,
        lang=own.lang,
        intent=resolved.intent,
        fact=resolved.fact,
        asks_sanction=resolved.asks_sanction,
        **{name: getattr(resolved, name) for name in _SCOPE},
    )
    said = next((t for role, t in reversed(history) if role == "assistant"), None)
    return Understood(text, searched, asked, last_topic(previous) if previous else None, said)


def _inherit(own: Analysis, text: str, before: Analysis) -> Analysis:
    """A follow-up as the conversation means it: the scope (wording, draft) of the turn before
    unless it names its own; and what the turn before asked (a period, a sanction) when the turn
    only moves the question ("and in the draft?") rather than asking where, who or how."""
    scope = own if own.names_scope else before
    moves = own.intent == "general" and not own.asks_sanction and not ASKS_ANEW.search(text)
    asks = before if moves else own
    return dataclasses.replace(
        own,
        intent=asks.intent,
        fact=asks.fact,
        asks_sanction=asks.asks_sanction,
        **{name: getattr(scope, name) for name in _SCOPE},
    )


def _resolved(turns: list[str], analyser: Analyser) -> Analysis:
    """The last of ``turns`` (the user's, oldest first) resolved against those before it, each
    follow-up in turn: a third turn inherits what the second inherited."""
    resolved = analyser.analyze(turns[0])
    for turn in turns[1:]:
        own = analyser.analyze(turn)
        follows = is_follow_up(turn) and not own.refs
        resolved = _inherit(own, turn, resolved) if follows else own
    return resolved
