"""The answer plan: what the question asks for, which provisions answer it, which facts to state.

Built from the question's wording and the annotation layer (kinds, facts, sanctions) of the
units retrieved for it, before any text is written; the generator follows it and the answer
keeps it in its trace (``Answer.plan``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.documents import Document

from assistant.asked import unit_for_another_question
from assistant.parts import PartMatcher
from assistant.query import Analysis
from assistant.referrals import referred_for_whom, unit_for_the_kind_named
from assistant.sanctions import (
    asks_duty,
    asks_of_officials,
    closest_sanction,
    falls_on_asker,
    named_prohibition,
    sanction_for,
)
from assistant.subjects import subject_of
from ingest.annotations.schema import MEASURE_ORDER, Fact, Measure, Provision
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: Fact types that answer each fact intent, best first.
_FACT_TYPES = {
    "duration": ("duration", "deadline"),
    "date": ("date",),
    "cost": ("cost",),  # no provision sets one: such questions are refused
    "practice": (),  # a practical matter the texts do not settle: refused
    "count": ("count",),
    "amount": ("amount_range", "gains_multiple"),
    "regime": ("regime",),
    "purpose": ("purpose",),
}
_KIND_FOR = {
    "obligation": ("duty", "procedure"),
    "permission": ("prohibition", "permission", "duty"),
    "definition": ("definition", "scope"),
    "regime": ("regime",),
    "purpose": ("purpose",),
}


#: Kinds an obligation question looks past to the duty ranked below them.
_PASSED = frozenset({"prohibition", "sanction"})
#: Intents whose message may ask a second thing another unit answers.
_TWO_PARTS = frozenset({"obligation", "permission", "definition", "regime", "general"})
#: What must not be done, asked about: a prohibition answers as a duty would.
_MUST_NOT = re.compile(
    r"\b(?:must|may|can|should|shall) ?not\b|\b(?:mustn't|shouldn't|can't)\b|\b(?:prohibit|forbid)\w*"
    r"|不得|禁止|不能发|不准|不许",
    re.I,
)
#: A regime question is answered by the article that sets the regimes when it is in view and
#: scores at least this share of the first unit's score: far below, the question reads as
#: another unit's ("bolt a forum onto a filed site: is the filing enough?" is Art. 9's).
#: Tuned on core.yaml and the learned-from sets (evals/README.md).
REGIME_REACH = 0.5


@dataclass(frozen=True)
class PlannedFact:
    n: int  # the unit's number among the generator's documents (1-based)
    provision: str
    type: str
    value: str
    words: str  # in the answer's language
    #: Whom a duty binds (the annotation's words, English), for a lead that says who must.
    actor: str | None = None


@dataclass(frozen=True)
class AnswerPlan:
    intent: str  # fact | sanction | regime | obligation | permission | definition | purpose |
    # comparison | general | out_of_scope
    fact: str | None  # duration | amount | regime, for fact questions
    scope: str  # in_force | wordings | wording <version> | draft
    subject: str | None  # who asks, when the question says (commercial providers …)
    targets: tuple[int, ...]  # documents to cite, best first (1-based)
    facts: tuple[PlannedFact, ...] = ()
    measures: tuple[PlannedFact, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def trace(self) -> dict[str, Any]:
        return asdict(self)


def _annotations(index: Index, doc: Document) -> list[Provision]:
    return list(index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang"))).annotations)


def _facts(
    n: int,
    provisions: list[Provision],
    types: tuple[str, ...],
    lang: str,
    draft: bool = False,
    binding: bool = True,
) -> list[PlannedFact]:
    """Facts of the wanted types (best type first); for a question about the draft, the values
    the draft proposed come first. ``binding``: the provisions are the Rules' wording in force
    (a duty's actor is named only for a fact that binds, never for what the draft proposed or
    an earlier wording said)."""
    out = []
    for wanted in types:
        for p in provisions:
            for f in [*p.proposed, *p.facts] if draft else p.facts:
                words = _in(f, lang)
                if f.type == wanted and words:
                    binds = binding and f in p.facts and p.kind == "duty" and p.actor
                    actor = " and ".join(p.actor) if binds else None
                    out.append(PlannedFact(n, p.id, f.type, f.value, words, actor))
    return out


def _in(item: Fact | Measure, lang: str) -> str | None:
    return item.words.zh if lang == "zh" else item.words.en


def _measures(n: int, provisions: list[Provision], lang: str) -> list[PlannedFact]:
    found = []
    for p in provisions:
        for s in p.sanctions:
            for m in s.measures:
                words = _in(m, lang)
                if words:
                    found.append(PlannedFact(n, p.id, m.type, m.value or "", words))
    order = {t: i for i, t in enumerate(MEASURE_ORDER)}
    return sorted(found, key=lambda f: (order.get(f.type, 99), f.provision))


_LICENCE = re.compile(r"licen[cs]|许可|ICP证", re.I)
_FILING = re.compile(r"\bfil(?:e|ed|ing)\b|bei'?an|备案", re.I)


def regimes(text: str) -> set[str]:
    """Which of the two regimes a text speaks of (licensing, filing)."""
    return {name for name, rx in (("licence", _LICENCE), ("filing", _FILING)) if rx.search(text)}


def regime_mismatch(asked: set[str], provision: str) -> bool:
    """The question asks about one regime and the provision speaks only of the other."""
    said = regimes(provision)
    return len(asked) == 1 and bool(said) and not (said & asked)


def _provision_text(index: Index, doc: Document, provision: str) -> str:
    chunk = index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang")))
    part = next((p for p in chunk.parts if p.locator == provision), None)
    return chunk.span_text(part) if part is not None else chunk.text


#: Words of a period question that say nothing of what the period is for, and words every
#: provision shares.
_PERIOD_WORDS = frozenset(
    tokenize(
        "how long many much day days week weeks month months year years working business time "
        "period deadline within soon take takes must have need keep kept 多久 多长 时间 期限 天 日 要 "
        "需要 必须 几 多少 "
        # words every provision shares
        "internet information service services provider providers rules relevant provisions "
        "accordance formalities complete completed procedures 互联网 信息 服务 提供者 办法 有关 规定 手续"
    )
)


def _about(a: Analysis, provision: str) -> bool:
    """Whether a provision's text speaks of what the question asks a period for (it shares a
    word with the question or the corpus words for its users' words, beyond period words)."""
    asked = set(tokenize(f"{a.text} {a.expansion}")) - _PERIOD_WORDS
    return bool(asked & set(tokenize(provision)))


def _referenced_for_whom(
    question: str, a: Analysis, docs: list[Document], targets: list[int], index: Index
) -> list[int]:
    """Units in view that a target refers to and that apply to a kind of service the question
    names while the target does not (see ``assistant.referrals``)."""
    asked = f"{question} {a.text}"
    ids = [str(d.metadata["id"]) for d in docs]
    out: list[int] = []
    for t in targets:
        for other in referred_for_whom(index, CitationId.parse(ids[t - 1]), asked):
            n = ids.index(str(other)) + 1 if str(other) in ids else None
            if n is not None and n not in targets and n not in out:
                out.append(n)
    return out


def _id(docs: list[Document], n: int) -> str:
    return str(docs[n - 1].metadata["id"])


def make_plan(
    question: str,
    a: Analysis,
    docs: list[Document],
    index: Index,
    parts: PartMatcher | None = None,
) -> AnswerPlan:
    """The plan for answering ``question`` from ``docs`` (the generator's documents);
    ``parts`` (users' phrasings of each provision) tells sanctions apart."""
    intent, fact = a.intent, a.fact  # read from the turn asked (assistant.analysis)
    scope = (
        "draft"
        if a.wants_draft and not a.wants_versions
        else "in_force"
        if not a.wants_versions
        else "wordings"
        if len(a.versions) > 1
        else f"wording {a.versions[0]}"
    )
    subject = subject_of(question) or subject_of(a.text)  # the turn's, else the conversation's
    annotated = [(n, _annotations(index, d)) for n, d in enumerate(docs, start=1)]
    targets: list[int] = []  # empty: no structure to go by, the best-matching clauses decide
    facts: list[PlannedFact] = []
    measures: list[PlannedFact] = []
    notes: list[str] = []
    window = annotated[:3]
    if intent == "sanction" and fact == "amount" and scope == "draft":
        # the Explanation sets no amount (its II.6 speaks of punitive measures only)
        fact = "unstated-amount"
    elif intent == "sanction" and scope == "draft":
        # what the draft would have done about a breach: the Explanation's point, not a
        # sanction of the Rules in force
        drafted = [
            n for n, d in enumerate(docs[:3], start=1) if d.metadata.get("doc") == "explanation"
        ]
        targets = drafted[:1]
        if targets:
            notes.append("asked of the draft: the Explanation's point answers")
    elif intent == "sanction":
        # the provision that punishes: the first sanction unit in view (retrieval follows the
        # duty → sanction links, so it sits near the duty asked about)
        # a prohibition named by its own words is what was breached; else the sanction in
        # view that punishes the duty spoken of, or whose users' phrasings are closest
        named = named_prohibition(f"{question} {a.text}", annotated, docs, index)
        spoken = f"{question} {a.text}"
        chosen = named or sanction_for(spoken, annotated, window, docs, index)
        if chosen is not None and named is None and parts is not None and a.text == question:
            chosen = closest_sanction(question, chosen, annotated, docs, parts)
        if asks_of_officials(spoken):  # an official's wrongdoing: the officials' sanction
            chosen = next(
                (
                    (n, ps)
                    for n, ps in annotated[:5]
                    if any(p.kind == "sanction" for p in ps)
                    and index.applies_to(_id(docs, n)) == frozenset({"officials"})
                ),
                chosen,
            )
        elif chosen is not None and not falls_on_asker(index, _id(docs, chosen[0]), spoken):
            chosen = next(  # a provider's sanction in view, not the officials'
                (
                    (n, ps)
                    for n, ps in annotated[:5]
                    if any(p.kind == "sanction" for p in ps)
                    and falls_on_asker(index, _id(docs, n), spoken)
                ),
                chosen,
            )
        if chosen is not None:
            targets = [chosen[0]]
            measures = _measures(chosen[0], chosen[1], a.lang)
            facts = _facts(chosen[0], chosen[1], _FACT_TYPES["amount"], a.lang)
            notes.append("sanction unit chosen from the annotations")
            acts = [n for n, ps in window if ps and all(p.kind != "sanction" for p in ps)]
            punished = str(docs[chosen[0] - 1].metadata["id"])
            duty = next(  # the act the chosen sanction punishes, else the first act in view
                (
                    n
                    for n in acts
                    if punished in map(str, index.sanctions_for(str(docs[n - 1].metadata["id"])))
                ),
                acts[0] if acts else None,
            )
            if asks_duty(question) and duty is not None:
                # "what must we do, and what if we don't": the duty and what punishes it
                targets = [duty, chosen[0]]
                notes.append("the question asks for the duty as well as its sanction")
    elif fact is not None:
        if fact == "cost":
            notes.append("the texts set no fee, price or capital amount")
        asked = regimes(question)
        near = window[:2]  # the period of a unit further down answers another question
        if fact == "regime":  # the article that sets the regimes, when it is in view
            top = float(docs[0].metadata.get("score") or 0.0) if docs else 0.0
            reach = [
                item
                for item in annotated[:5]
                if float(docs[item[0] - 1].metadata.get("score") or 0.0) >= top * REGIME_REACH
            ]
            near = sorted(reach, key=lambda item: all(p.kind != "regime" for p in item[1]))
        if a.wants_draft and not a.compares:  # asked of the draft: what the Explanation says
            near.sort(key=lambda item: docs[item[0] - 1].metadata.get("doc") != "explanation")
        for n, ps in near:
            if fact == "regime":  # the regime article, not a sanction that names a regime
                ps = [p for p in ps if p.kind in ("regime", "definition", "scope")]
            lang = str(docs[n - 1].metadata.get("lang") or a.lang)  # the text quoted (the
            # Explanation is English only)
            meta = docs[n - 1].metadata
            in_force = (index.versions.get("rules") or [""])[-1]
            binds = meta.get("doc") == "rules" and meta.get("version") in (None, in_force)
            found = _facts(n, ps, _FACT_TYPES[fact], lang, draft=a.wants_draft, binding=binds)
            other = [
                f
                for f in found
                if regime_mismatch(asked, _provision_text(index, docs[n - 1], f.provision))
            ]
            if other:  # a licence's period does not answer a question about a filing
                notes.append(f"the {fact} in unit {n} belongs to the other regime")
            found = [f for f in found if f not in other]
            if subject:  # the fact stated for whom the question asks about comes first
                found.sort(key=lambda f: subject_of(f.words) != subject)
            if fact == "duration" and lang == a.lang:  # a period set for another matter does not
                # answer (compared in the question's language only), unless the question reads
                # as this unit's users' questions do: the learned ranker gives it the majority,
                # or a clear lead over every other unit in view
                share = float(meta.get("ranker") or 0.0)
                rivals = [float(d.metadata.get("ranker") or 0.0) for d in docs[1:]]
                learned = n == 1 and (share >= 0.5 or share >= max([0.1, *rivals]) * 2)
                about = [
                    f
                    for f in found
                    if learned or _about(a, _provision_text(index, docs[n - 1], f.provision))
                ]
                if len(about) < len(found):
                    notes.append(f"a period in unit {n} is set for another matter")
                found = about
            if found:
                # both regimes when the question does not say which provider it asks for
                same = [f for f in found if f.provision == found[0].provision]
                both = fact == "regime" and not subject and len(same) > 1
                targets, facts = [n], same[:2] if both else found[:1]
                notes.append(f"{fact} fact found in unit {n}")
                break
        else:
            if fact == "duration":  # no unit in view sets a period: none is stated for this
                fact = "unstated-period"
            elif fact == "date" and scope == "draft":  # the Explanation gives no date for the
                # draft (its taking effect, its adoption): none is stated
                fact = "unstated-date"
    elif intent in _KIND_FOR:
        kinds = _KIND_FOR[intent]
        if intent == "obligation" and _MUST_NOT.search(question):  # what must not be done
            kinds = ("prohibition", *kinds)
        for n, ps in window if intent == "obligation" else window[:2]:
            if any(p.kind in kinds for p in ps):
                targets = [n]
                break
            # an obligation question goes on past what is forbidden or punished to the duty
            # to act, and any other unit not of the kind asked stops it (then the
            # best-matching clauses decide); other questions look at the first two
            if intent == "obligation" and (not ps or any(p.kind not in _PASSED for p in ps)):
                break
    if intent in _TWO_PARTS and targets and parts is not None and a.text == question:
        second = unit_for_another_question(question, docs, targets[0], parts)
        if second is not None and second not in targets:
            targets.append(second)
            notes.append(f"unit {second} answers another question of the message")
    if intent in ("general", "obligation", "permission"):
        kind = unit_for_the_kind_named(question, docs, targets, index)
        if kind is not None:
            targets = [kind]
            notes.append(f"unit {kind} applies to the kind of service the question names")
    if intent not in ("sanction", "comparison", "out_of_scope"):
        for n in _referenced_for_whom(question, a, docs, targets, index):
            targets.append(n)
            notes.append(f"unit {n}, which a target refers to, applies to whom the question names")
    if a.refs:  # every unit the question names is part of the answer
        for n, d in enumerate(docs, start=1):
            cid = CitationId.parse(str(d.metadata["id"]))
            if any(r.unit.matches(cid) for r in a.refs) and n not in targets:
                targets.append(n)
    return AnswerPlan(
        intent=intent,
        fact=fact,
        scope=scope,
        subject=subject,
        targets=tuple(targets),
        facts=tuple(facts),
        measures=tuple(measures),
        notes=tuple(notes),
    )
