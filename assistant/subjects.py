"""Who a question is asked for (commercial or non-commercial providers, access providers,
bulletin-board services), from its words; and a question with those words taken out (a
follow-up that names another subject replaces the previous one)."""

from __future__ import annotations

import re

#: Each subject and the words that name it, most specific first ("non-commercial" before
#: "commercial").
SUBJECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "non-commercial providers",
        re.compile(
            r"non[- ]?commercial|free (?:site|website|blog)|(?:totally|completely|entirely|100%) free"
            r"|free of charge|personal (?:blog|site|website|homepage)|\bbrochure"
            r"|(?:don't|do not|doesn't|does not|never) (?:sell|charge)|no paywall|non-?profit"
            r"|非经营性|免费|不收费|无偿|个人(?:博客|网站|主页)|不盈利|公益",
            re.I,
        ),
    ),
    (
        "commercial providers",
        re.compile(
            r"(?<!non-)(?<!non )\bcommercial|\bpaid\b|for a fee|for[- ]profit|e-?commerce"
            r"|\bsubscriptions?\b|\bpaywall|membership fees?|(?<!非)经营性|(?<![不免])收费|付费|会员费",
            re.I,
        ),
    ),
    ("access providers", re.compile(r"access providers?|\bisps?\b|broadband|接入", re.I)),
    ("bulletin board services", re.compile(r"forums?|\bbbs\b|bulletin|论坛|电子公告", re.I)),
)


def subject_of(text: str) -> str | None:
    """The first subject ``text`` names, or None."""
    return next((name for name, words in SUBJECTS if words.search(text)), None)


def without_subject(text: str, subject: str) -> str:
    """``text`` with the words naming ``subject`` taken out."""
    words = dict(SUBJECTS)[subject]
    cut = words.sub(lambda m: " " if m.group(0).isascii() else "", text)  # no gap inside Chinese
    return re.sub(r"\s+", " ", cut).strip()
