"""Reading a question: its language, the units it names, which versions and documents it wants.

Pure functions over text plus the index's list of units; no models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.breaches import PENALTY, SANCTION, operates_before_regime
from assistant.wordings import (
    BOTH_VERSIONS,
    OLD_WORDING,
    ONLY_2024,
    PRESENT,
    REVISED_WORDING,
    names_wording,
)
from ingest.citations import CitationId
from ingest.numerals import EN_NUMBER_WORDS, ZH_NUMERAL_CHARS, en_words_to_int, zh_to_int

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_RE = re.compile(r"[A-Za-z]")

_NUM_WORDS = "|".join(EN_NUMBER_WORDS)
_ART_EN = re.compile(
    rf"\b(?:art(?:icle)?s?\.?|§)\s*((?:\d+|(?:{_NUM_WORDS})(?:[\s-](?:{_NUM_WORDS}))?)"
    r"(?:\s*(?:,|and|&|or|to|through|-|–)\s*\d+)*)"
    r"(?P<draft>\s+(?:of|in)\s+the\s+(?:2012\s+)?(?:opinion-seeking\s+)?(?:version|(?:revision\s+)?draft))?",
    re.IGNORECASE,
)
#: A paragraph of an article named ("Article 12 paragraph 3", "Art. 7, para 2", "第十二条第三款").
_PARAGRAPH = re.compile(
    r"\bart(?:icle)?\.?\s*(\d+)\s*,?\s*(?:para(?:graph)?\.?|¶)\s*(\d+)"
    rf"|第\s*([{ZH_NUMERAL_CHARS}0-9]+)\s*条\s*第\s*([{ZH_NUMERAL_CHARS}0-9]+)\s*款",
    re.I,
)
_ART_ORDINAL = re.compile(
    rf"\bthe\s+((?:{_NUM_WORDS})(?:[\s-](?:{_NUM_WORDS}))?)\s+article\b", re.I
)
_ART_ZH = re.compile(rf"第\s*([{ZH_NUMERAL_CHARS}0-9]+)\s*条")
_EXPL_DOTTED = re.compile(r"\b(?:(?:explanation|section|part|point)\s+)?(I{1,3}|IV|V)\.(\d{1,2})\b")
_EXPL_POINT_OF_PART = re.compile(
    r"\bpoint\s+(\d{1,2})\s+(?:of|in)\s+part\s+(I{1,3}|IV|V|\d)\b", re.IGNORECASE
)
_EXPL_PART_POINT = re.compile(r"\bpart\s+(I{1,3}|IV|V|\d)[,\s]+point\s+(\d{1,2})\b", re.I)
_EXPL_PART = re.compile(r"\bpart\s+(I{1,3}|IV|V|VI|\d)\b(?!\s*[.,]?\s*point)", re.IGNORECASE)
_EXPL_PREAMBLE = re.compile(r"\b(?:preamble|introduction|introductory (?:part|paragraph))\b", re.I)

_DRAFT = re.compile(
    r"\b(?:draft|drafters|drafting|opinion-seeking|proposed|proposal|2012|explanation)\b|征求意见稿|草案|说明",
    re.IGNORECASE,
)
_DRAFT_NAME = re.compile(
    r"\b(?:the )?(?:2012 )?revision draft\b|\b(?:the )?2012 revision(?: work)?\b"
    r"|\b(?:when |while )?(?:revising|redrafting|drafting) (?:it |them |the rules |the measures )?in 2012\b"
    r"|\b(?:the )?(?:2012 )?draft(?:'s)? revision\b|修订草案|2012年(?:的)?修订",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:chang(?:e|ed|es)|amend\w*|differ\w*|diffs?|compar\w*|revis\w*)\b"
    r"|修改|修订|变化|区别|不同|不一样|改动|改了(?:啥|什么|哪)",
    re.IGNORECASE,
)

#: Asked of two wordings, whether a provision stayed or moved: "the same as in 2011?", "did
#: 2024 raise the fines?", "老版本删了哪些？" (only with both wordings in view: "delete" alone is
#: a duty of the Rules).
_SAME_OR_NOT = re.compile(
    r"\bthe same\b|\btouch(?:ed)?\b|\bstill (?:list|say|read|cover|name|mention|include)s?\b|\b(?:raised?|lowered|increased?|decreased?|reduced?|dropped|deleted|removed|added)\b"
    r"|一样|相同|没变|变了|改了|改完|删了|删去|删除|去掉|增加了|加了|跟.{0,8}比"
    r"|还(?:写着|写了|包括|提到|提|列着|列了|保留)",
    re.IGNORECASE,
)


@dataclass
class Analysis:
    text: str
    lang: str
    refs: list[CitationId] = field(default_factory=list)
    bad_refs: list[str] = field(default_factory=list)
    #: (article, paragraph) named together ("Article 12 paragraph 3").
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    draft_articles: list[int] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    wants_versions: bool = False
    wants_draft: bool = False
    asks_change: bool = False
    #: Asks what differs or changed (between wordings, or between the draft and the Rules).
    compares: bool = False
    asks_penalty: bool = False
    asks_sanction: bool = False
    #: Asks about running before the licence or filing is in place.
    before_regime: bool = False
    #: Names its own scope: a wording, the draft, or the present (a follow-up that does not
    #: keeps the scope of the turn before).
    names_scope: bool = False
    #: What the question asks for (``assistant.intent``), set by the analyser.
    intent: str = "general"
    fact: str | None = None
    out_of_scope: list[str] = field(default_factory=list)
    #: Uses a word of the corpus's domain (``assistant/data/domain.yaml``).
    in_domain: bool = True
    #: Practical matters of the domain the texts do not settle (a vendor to choose, moving a
    #: domain between registrars): answered with a refusal and the closest provisions.
    not_covered: list[str] = field(default_factory=list)
    injection: bool = False
    expansion: str = ""
    remainder: str = (
        ""  # the question without its references ("What does Art. 14 say?" → "What does say?")
    )


_MARKUP_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]{1,200}>", re.IGNORECASE | re.DOTALL)


def names_draft(text: str) -> bool:
    """Whether ``text`` speaks of the 2012 draft or its Explanation."""
    return bool(_DRAFT.search(text))


def strip_markup(text: str) -> str:
    """The question without HTML tags or scripts (they carry no legal meaning)."""
    stripped = _MARKUP_RE.sub(" ", text)
    return re.sub(r"\s+", " ", stripped).strip() or text


def detect_lang(text: str) -> str:
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    return "zh" if cjk >= 2 and cjk * 3 >= latin else "en"


@cache
def _data(name: str) -> Any:
    return yaml.safe_load(resources.files("assistant.data").joinpath(name).read_text("utf-8"))


@cache
def _glossary() -> list[tuple[re.Pattern[str], str, str]]:
    out = []
    for entry in _data("glossary.yaml"):
        pattern = "|".join(
            u if _CJK_RE.search(u) else rf"(?<![\w']){u}(?![\w'])" for u in entry["users"]
        )
        out.append((re.compile(pattern, re.IGNORECASE), entry["en"], entry["zh"]))
    return out


@cache
def _scope() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = _data("scope.yaml")
    return (
        re.compile("|".join(data["other_instruments"]), re.IGNORECASE),
        re.compile("|".join(data["injection"]), re.IGNORECASE),
        re.compile("|".join(data["not_covered"]), re.IGNORECASE),
    )


@cache
def _domain() -> re.Pattern[str]:
    data = _data("domain.yaml")
    latin = "|".join(data["en"])
    return re.compile(rf"(?<![\w'])(?:{latin})(?![\w'])|" + "|".join(data["zh"]), re.IGNORECASE)


@cache
def _not_questions() -> re.Pattern[str]:
    return re.compile("|".join(_data("domain.yaml")["not_questions"]), re.IGNORECASE)


def in_domain(text: str) -> bool:
    """Whether ``text`` uses a word of the corpus's domain (``assistant/data/domain.yaml``) and
    asks something of the texts rather than for a poem or a joke."""
    return bool(_domain().search(text)) and not _not_questions().search(text)


def expansions(text: str, lang: str) -> list[tuple[str, str]]:
    """(user words found, corpus words) for each glossary entry that ``text`` triggers."""
    out = []
    for pattern, en, zh in _glossary():
        found = [m.group(0) for m in pattern.finditer(text)]
        if found:
            out.append((" ".join(found), en if lang == "en" else zh))
    return out


def expand(text: str, lang: str) -> str:
    """Corpus words for the user words in ``text`` (for lexical search)."""
    return " ".join(corpus for _, corpus in expansions(text, lang))


def _numbers(raw: str) -> list[int]:
    raw = raw.strip()
    word = en_words_to_int(raw)
    if word is not None and not raw[:1].isdigit():
        return [word]
    nums = [int(n) for n in re.findall(r"\d+", raw)]
    if (
        len(nums) == 2
        and re.search(r"\bto\b|through|-|–", raw)
        and nums[0] < nums[1] <= nums[0] + 30
    ):
        return list(range(nums[0], nums[1] + 1))
    return nums


#: Words that set what follows or precedes them aside ("apart from PIPL", "PIPL aside", "公安那边先不说").
_ASIDE_BEFORE = re.compile(
    r"(?:\b(?:apart from|besides|other than|except(?: for)?|leaving(?: out)?|setting|not (?:asking )?about"
    r"|regardless of|ignoring)\s+(?:the\s+)?|除了|撇开|抛开|不管|不谈)$",
    re.I,
)
_ASIDE_AFTER = re.compile(r"^\s*(?:aside|apart|先不说|之外|以外|不谈|另说|除外)", re.I)


def _set_aside(text: str, m: re.Match[str]) -> bool:
    return bool(
        _ASIDE_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        or _ASIDE_AFTER.match(text[m.end() : m.end() + 12])
    )


def _whole(text: str) -> int:
    return int(text) if text.isdigit() else zh_to_int(text)


def _roman(text: str) -> str:
    return {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}.get(text, text.upper())


def analyze(
    text: str,
    *,
    articles: int = 27,
    explanation: set[str] | None = None,
    versions: list[str] | None = None,
) -> Analysis:
    """What the question asks for, given the corpus' article count and Explanation locators."""
    versions = versions or ["2011", "2024"]
    explanation = explanation or set()
    a = Analysis(text=text, lang=detect_lang(text))
    seen: set[str] = set()

    def add(cid: CitationId, label: str, exists: bool) -> None:
        if not exists:
            a.bad_refs.append(label)
        elif str(cid) not in seen:
            seen.add(str(cid))
            a.refs.append(cid)

    for m in _ART_EN.finditer(text):
        nums = _numbers(m.group(1))
        if m.group("draft"):
            a.draft_articles.extend(nums)
            continue
        for n in nums:
            add(CitationId.article(n), f"Article {n}", 1 <= n <= articles)
    for m in _ART_ORDINAL.finditer(text):
        ordinal = en_words_to_int(m.group(1))
        if ordinal:
            add(
                CitationId.article(ordinal),
                f"Article {ordinal}",
                1 <= ordinal <= articles,
            )
    for m in _ART_ZH.finditer(text):
        after_draft = re.search(r"(?:征求意见稿|草案)(?:里|中|的)?\s*$", text[: m.start()])
        if after_draft or re.match(r"\s*(?:的)?(?:征求意见稿|草案)", text[m.end() :]):
            a.draft_articles.append(zh_to_int(m.group(1)))
            continue
        n = zh_to_int(m.group(1))
        add(CitationId.article(n), f"第{m.group(1)}条", 1 <= n <= articles)
    expl_refs: list[tuple[str, str]] = []
    for m in _EXPL_DOTTED.finditer(text):
        expl_refs.append((f"{m.group(1)}.{m.group(2)}", f"Explanation {m.group(1)}.{m.group(2)}"))
    for m in _EXPL_POINT_OF_PART.finditer(text):
        loc = f"{_roman(m.group(2))}.{m.group(1)}"
        expl_refs.append((loc, f"point {m.group(1)} of part {m.group(2)}"))
    for m in _EXPL_PART_POINT.finditer(text):
        loc = f"{_roman(m.group(1))}.{m.group(2)}"
        expl_refs.append((loc, f"part {m.group(1)}, point {m.group(2)}"))
    if not expl_refs:
        for m in _EXPL_PART.finditer(text):
            expl_refs.append((_roman(m.group(1)), f"part {m.group(1)}"))
    if _EXPL_PREAMBLE.search(text) and _DRAFT.search(text):
        expl_refs.append(("preamble", "the preamble"))
    for loc, label in expl_refs:
        add(CitationId("explanation", loc), label, loc in explanation)

    for m in _PARAGRAPH.finditer(text):
        art, para = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        a.paragraphs.append((_whole(art), _whole(para)))
    rest = text
    for pattern in (
        _ART_EN,
        _ART_ORDINAL,
        _ART_ZH,
        _EXPL_DOTTED,
        _EXPL_POINT_OF_PART,
        _EXPL_PART_POINT,
        _EXPL_PART,
        _EXPL_PREAMBLE,
    ):
        rest = pattern.sub(" ", rest)
    a.remainder = rest
    a.wants_draft = bool(_DRAFT.search(text) or a.draft_articles)
    a.wants_versions = bool(BOTH_VERSIONS.search(REVISED_WORDING.sub(" ", text)))
    # "the 2012 revision draft" names a document; it does not ask what changed
    # … nor does "before the 2024 revision" (修改前), which names a wording
    # … nor does "按2024年修订后的文本" / "the revised text", which names the wording in force
    named = REVISED_WORDING.sub(" ", OLD_WORDING.sub(" ", _DRAFT_NAME.sub(" ", text)))
    a.compares = bool(_CHANGE.search(named)) or (
        a.wants_versions and bool(_SAME_OR_NOT.search(text))
    )
    if a.compares and not a.wants_draft and re.search(r"\b(?:2011|2024)\b|2011年|2024年", text):
        a.wants_versions = True  # "what changed in 2024?" compares the wordings
    a.asks_change = a.compares and a.wants_versions
    a.asks_sanction = bool(SANCTION.search(text))
    a.before_regime = operates_before_regime(text)
    # what follows a breach is a penalty too ("what can they do to us")
    a.asks_penalty = a.asks_sanction or bool(PENALTY.search(text))
    latest = versions[-1]
    a.versions = list(versions) if a.wants_versions else [latest]
    if re.search(r"\b2011\b|2011年", text) and not ONLY_2024.search(text):
        a.versions = list(versions)
    if len(versions) > 1 and OLD_WORDING.search(text):
        rest = OLD_WORDING.sub(" ", text)
        if not (_CHANGE.search(rest) or PRESENT.search(rest)):  # one earlier wording, by name
            a.versions = [versions[0]]
            a.wants_versions = True  # a wording is named (the plan's scope says which)
    a.names_scope = (
        a.wants_versions or a.wants_draft or bool(ONLY_2024.search(text)) or names_wording(text)
    )
    other, injection, practice = _scope()
    # another law set aside ("PIPL aside, did the draft say …") is not what is asked
    a.out_of_scope = [m.group(0) for m in other.finditer(text) if not _set_aside(text, m)]
    a.not_covered = [m.group(0) for m in practice.finditer(text)]
    a.in_domain = in_domain(text)
    a.injection = bool(injection.search(text))
    a.expansion = expand(text, a.lang)
    return a
