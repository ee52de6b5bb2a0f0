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

from assistant.query import Analysis
from ingest.annotations.schema import MEASURE_ORDER, Fact, Measure, Provision
from ingest.citations import CitationId
from ingest.index import Index

_HOW_LONG = re.compile(
    r"\bhow (?:long|many (?:days|months|years))\b|\bwithin (?:what|how)|\bdeadline\b|\bperiod\b"
    r"|\bhow (?:soon|early|far in advance)\b|多长时间|多久|多少天|几天|期限|多长|提前多",
    re.I,
)
#: Money the Rules do not set (only fines are amounts in the texts): fees, prices, capital.
_COST = re.compile(
    r"\bcosts?\b|\bfees?\b|\bprice\b|\bhow much (?:does|do|will|would|is)\b(?!.{0,30}\b(?:fine|penalt))"
    r"|\bregistered capital\b|\bcapital requirement|收费标准|费用|多少钱|注册资本|资金",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|多少条|几条|多少个|几个|几章", re.I)
_DUTY_WORDS = re.compile(r"\bdut(?:y|ies)\b|\bobligations?\b|义务|职责", re.I)
_WHEN_IN_FORCE = re.compile(
    r"\b(?:take|took|takes) effect\b|\bin(?:to)? force\b|\beffective date\b|施行|生效", re.I
)
_HOW_MUCH = re.compile(
    r"\bfines?\b|\bfined\b|\bhow much (?:is|would|will|could|can)\b.{0,30}\b(?:fine|penalt)"
    r"|罚款|罚多少|罚金|罚几|多少钱的罚",
    re.I,
)
_SANCTION = re.compile(
    r"\bpenalt(?:y|ies)\b|\bsanctions?\b|\bpunish\w*|\bconsequences?\b|\bliab\w*"
    r"|\bwhat happens\b|\bwhat if\b|\b(?:and )?if (?:we|i|it|they|the \w+|a \w+) (?:don't|do not|"
    r"doesn't|does not|fail\w*|ignore\w*|refuse\w*|never|breach\w*|violat\w*)\b"
    r"|后果|处罚|罚|追究|不履行|没按|未按|不改正|会怎样|会怎么样",
    re.I,
)
_REGIME = re.compile(
    r"\bwhat (?:kind of |type of )?(?:regulatory )?(?:system|regime)\b|\bwhich (?:system|regime)\b"
    r"|什么制度|哪种制度|何种制度",
    re.I,
)
#: A draft question that also speaks of the Rules as they are compares the two.
_BOTH_SIDES = re.compile(
    r"\btoday\b|\bcurrent(?:ly)?\b|\bthe rules\b|\bnow\b|\bexisting\b|现行|目前|现在|办法", re.I
)
_MAY = re.compile(
    r"^\s*(?:can|could|may|are we allowed|is it (?:ok|allowed|legal))\b|\ballowed to\b"
    r"|可以|能否|能不能|允许",
    re.I,
)
_MUST = re.compile(
    r"\b(?:must|need to|needs to|have to|has to|required|obliged|should)\b|\bwhat (?:do|does|must)"
    r" \w+ (?:have to )?do\b|需要|必须|要不要|是否要|应当|该怎么办|怎么办",
    re.I,
)
_DEFINE = re.compile(
    r"\bwhat (?:is|are|counts as)\b|\bdefin\w*|\bmean(?:s|ing)?\b|什么是|是指|定义", re.I
)
#: Fact types that answer each fact intent, best first.
_FACT_TYPES = {
    "duration": ("duration", "deadline"),
    "date": ("date",),
    "cost": ("cost",),  # no provision sets one: such questions are refused
    "count": ("count",),
    "amount": ("amount_range", "gains_multiple"),
    "regime": ("regime",),
}
_KIND_FOR = {
    "obligation": ("duty", "procedure"),
    "permission": ("prohibition", "permission", "duty"),
    "definition": ("definition", "scope"),
    "regime": ("regime",),
}


@dataclass(frozen=True)
class PlannedFact:
    n: int  # the unit's number among the generator's documents (1-based)
    provision: str
    type: str
    value: str
    words: str  # in the answer's language


@dataclass(frozen=True)
class AnswerPlan:
    intent: str  # fact | sanction | regime | obligation | permission | definition | comparison | general
    fact: str | None  # duration | amount | regime, for fact questions
    scope: str  # in_force | wordings | draft
    subject: str | None  # who asks, when the question says (commercial providers …)
    targets: tuple[int, ...]  # documents to cite, best first (1-based)
    facts: tuple[PlannedFact, ...] = ()
    measures: tuple[PlannedFact, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def trace(self) -> dict[str, Any]:
        return asdict(self)


def intent_of(question: str, a: Analysis) -> tuple[str, str | None]:
    """(intent, fact type) of a question, from its wording and its analysis."""
    if (a.wants_versions and a.compares) or (
        a.wants_draft and (a.compares or _BOTH_SIDES.search(question))
    ):
        return "comparison", None
    if _SANCTION.search(question):
        return "sanction", "amount" if _HOW_MUCH.search(question) else None
    if _COST.search(question) and not _HOW_MUCH.search(question):
        return "fact", "cost"
    if _HOW_LONG.search(question):
        return "fact", "duration"
    if _WHEN_IN_FORCE.search(question):
        return "fact", "date"
    if _HOW_MANY.search(question):
        return "fact", "count"
    if _REGIME.search(question):
        return "regime", "regime"
    if _HOW_MUCH.search(question):
        return "sanction", "amount"
    if _MAY.search(question):
        return "permission", None
    if _MUST.search(question):
        return "obligation", None
    if _DEFINE.search(question):
        return "definition", None
    return "general", None


def _subject(question: str) -> str | None:
    q = question.lower()
    if re.search(r"non-commercial|free (?:site|website|blog)|非经营性|免费", q):
        return "non-commercial providers"
    if re.search(r"\bcommercial|paid|for a fee|经营性|收费", q):
        return "commercial providers"
    if re.search(r"access provider|\bisp\b|broadband|接入", q):
        return "access providers"
    if re.search(r"forum|bbs|bulletin|论坛|电子公告", q):
        return "bulletin board services"
    return None


def _annotations(index: Index, doc: Document) -> list[Provision]:
    return list(index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang"))).annotations)


def _facts(
    n: int, provisions: list[Provision], types: tuple[str, ...], lang: str, draft: bool = False
) -> list[PlannedFact]:
    """Facts of the wanted types (best type first); for a question about the draft, the values
    the draft proposed come first."""
    out = []
    for wanted in types:
        for p in provisions:
            for f in [*p.proposed, *p.facts] if draft else p.facts:
                words = _in(f, lang)
                if f.type == wanted and words:
                    out.append(PlannedFact(n, p.id, f.type, f.value, words))
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


def _sanction_for(
    question: str,
    annotated: list[tuple[int, list[Provision]]],
    window: list[tuple[int, list[Provision]]],
    docs: list[Document],
    index: Index,
) -> tuple[int, list[Provision]] | None:
    """The sanction unit to answer from: the one that punishes the best-ranked duty or
    prohibition in view (a duty when the question speaks of a duty), else the first in view."""
    position = {str(d.metadata["id"]): n for n, d in enumerate(docs, start=1)}
    acts = [(n, ps) for n, ps in window if ps and all(p.kind != "sanction" for p in ps)]
    if _DUTY_WORDS.search(question):
        acts.sort(key=lambda item: not any(p.kind == "duty" for p in item[1]))
    for n, _ in acts:
        for unit in index.sanctions_for(str(docs[n - 1].metadata["id"])):
            m = position.get(str(unit))
            if m is not None:
                return m, annotated[m - 1][1]
    return next(((n, ps) for n, ps in window if any(p.kind == "sanction" for p in ps)), None)


def make_plan(question: str, a: Analysis, docs: list[Document], index: Index) -> AnswerPlan:
    """The plan for answering ``question`` from ``docs`` (the generator's documents)."""
    intent, fact = intent_of(question, a)
    scope = "wordings" if a.wants_versions else "draft" if a.wants_draft else "in_force"
    subject = _subject(question)
    annotated = [(n, _annotations(index, d)) for n, d in enumerate(docs, start=1)]
    targets: list[int] = []  # empty: no structure to go by, the best-matching clauses decide
    facts: list[PlannedFact] = []
    measures: list[PlannedFact] = []
    notes: list[str] = []
    window = annotated[:3]
    if intent == "sanction":
        # the provision that punishes: the first sanction unit in view (retrieval follows the
        # duty → sanction links, so it sits near the duty asked about)
        chosen = _sanction_for(question, annotated, window, docs, index)
        if chosen is not None:
            targets = [chosen[0]]
            measures = _measures(chosen[0], chosen[1], a.lang)
            facts = _facts(chosen[0], chosen[1], _FACT_TYPES["amount"], a.lang)
            notes.append("sanction unit chosen from the annotations")
            duty = next(
                (n for n, ps in window if ps and all(p.kind != "sanction" for p in ps)), None
            )
            if _MUST.search(_SANCTION.split(question)[0]) and duty is not None:
                # "what must we do, and what if we don't": the duty and what punishes it
                targets = [duty, chosen[0]]
                notes.append("the question asks for the duty as well as its sanction")
    elif fact is not None:
        if fact == "cost":
            notes.append("the texts set no fee, price or capital amount")
        for n, ps in window:
            if fact == "regime":  # the regime article, not a sanction that names a regime
                ps = [p for p in ps if p.kind in ("regime", "definition", "scope")]
            found = _facts(n, ps, _FACT_TYPES[fact], a.lang, draft=a.wants_draft)
            if found:
                targets, facts = [n], found[:1]
                notes.append(f"{fact} fact found in unit {n}")
                break
    elif intent in _KIND_FOR:
        kinds = _KIND_FOR[intent]
        for n, ps in window[:2]:
            if any(p.kind in kinds for p in ps):
                targets = [n]
                break
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
