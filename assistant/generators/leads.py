"""Leads and small text helpers of the extractive generator: the answer's first line from the
plan, and locating a fact's words in a quote."""

from __future__ import annotations

import re

from assistant.generators.cues import TYPES
from assistant.plan import AnswerPlan


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def flat_offsets(text: str) -> list[int]:
    """For each character of ``_flat(text)``, its offset in ``text``."""
    out, previous_space = [], False
    for i, ch in enumerate(text):
        space = ch.isspace()
        if not (space and previous_space):
            out.append(i)
        previous_space = space
    return out


def planned_lead(plan: AnswerPlan, lang: str) -> str | None:
    """The answer in one line, from the annotated facts the plan chose (None: no such fact)."""
    if plan.measures:
        n = plan.measures[0].n
        said = list(dict.fromkeys(m.words.strip("，。；,.; ") for m in plan.measures))[:6]
        if lang == "zh":
            return "处罚措施：" + "；".join(said) + f"。[{n}]"
        return "The sanction: " + "; ".join(said) + f". [{n}]"
    if len(plan.facts) > 1 and all(f.type == "regime" for f in plan.facts):  # both regimes
        fact = plan.facts[0]
        if lang == "zh":
            return "；".join(f"“{f.words}”" for f in plan.facts) + f"。[{fact.n}]"
        return (
            "; ".join(f"{f.value.capitalize()}: “{f.words}”" for f in plan.facts) + f". [{fact.n}]"
        )
    if plan.facts:
        fact = plan.facts[0]
        if lang == "zh" and re.search(r"应当|必须|不得", fact.words):  # a duty in its own words
            return f"{fact.words}。[{fact.n}]"
        if lang == "zh":  # the value in the text's own words (60日, 许可制度), then the words
            answer = _ZH_VALUE.get(fact.type)
            m = answer.search(fact.words) if answer else None
            head = f"{m.group(0)}：" if m else ""
            return f"{head}“{fact.words}”。[{fact.n}]"
        if fact.actor and _DOES.match(fact.words):  # who must do what, in the text's words
            return f"{fact.actor[0].upper()}{fact.actor[1:]} must {fact.words}. [{fact.n}]"
        value = fact.value[0].upper() + fact.value[1:]
        return f"{value}: “{fact.words}”. [{fact.n}]"
    return None


#: Fact words that begin with what the bound party does ("keep record backups for 60 days").
_DOES = re.compile(
    r"(?:keep|record|complete|display|obtain|apply|stop|report|file|submit|go through|indicate"
    r"|publish|provide|make|assign|carry out|examine|preserve|retain|store)\b"
)


#: Where a fact's Chinese words state its value.
_ZH_VALUE = {
    "duration": TYPES["duration"][1],
    "deadline": TYPES["duration"][1],
    "regime": TYPES["system"][1],
    "amount_range": TYPES["money"][1],
}


def negation_mismatch(question: str, sentence: str) -> bool:
    """The sentence speaks of non-X where the question asks about X (非经营性 vs 经营性)."""
    for m in re.finditer(r"(?:非|non-)(\w{2,6})", sentence, re.IGNORECASE):
        term = m.group(1)[:3]
        asked = re.search(rf"(?<!非)(?<!non-){re.escape(term)}", question, re.IGNORECASE)
        negated = re.search(rf"(?:非|non-){re.escape(term)}", question, re.IGNORECASE)
        if asked and not negated:
            return True
    return False
