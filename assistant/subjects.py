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
            r"non[- ]?commercial|free (?:\w+ )?(?:site|website|blog)|(?:totally|completely|entirely|100%) free"
            r"|free of charge|personal (?:blog|site|website|homepage)|\bbrochure"
            r"|(?:don't|do not|doesn't|does not|never) (?:sell|charge)|no paywall|non-?profit"
            r"|\bnothing (?:is )?(?:sold|for sale)\b|\b(?:nobody|no one|no-one) pays\b|\bno online (?:ordering|sales|payments?)\b"
            r"|(?:不卖|不在网上卖|不做在线)(?:东西|交易|支付)?|没有(?:在线)?(?:交易|支付|收费)"
            r"|非经营性|免费|不收费|不收[^，。？,.?]{0,4}钱|一分钱不收|不要钱|无偿|个人(?:博客|网站|主页)|不盈利|公益",
            re.I,
        ),
    ),
    (
        "commercial providers",
        re.compile(
            r"(?<!non-)(?<!non )\bcommercial|\bpaid\b|for a fee|for[- ]profit|e-?commerce"
            r"|\bsubscriptions?\b|\bpaywall|membership fees?|\b(?:start|begin|started) charging\b|\bcharge (?:users|for|a fee|money)\b|(?<!非)经营性|(?<![不免])收费|付费|会员费",
            re.I,
        ),
    ),
    # Latin words between Chinese characters have no \b around them ("就是BBS那种")
    (
        "access providers",
        re.compile(r"access providers?|(?<![a-z])isps?(?![a-z])|broadband|接入", re.I),
    ),
    (
        "bulletin board services",
        re.compile(r"forums?|(?<![a-z])bbs(?![a-z])|bulletin|论坛|电子公告|留言板|贴吧", re.I),
    ),
)


#: Both kinds named by the Rules' own names ("commercial and non-commercial", 经营性和非经营性):
#: a question about the two kinds, not asked for either.
_BOTH_KINDS = re.compile(
    r"(?<!non-)(?<!non )\bcommercial\b.{0,40}\bnon[- ]?commercial\b"
    r"|\bnon[- ]?commercial\b.{0,40}(?<!non-)(?<!non )\bcommercial\b"
    r"|(?<!非)经营性.{0,10}非经营性|非经营性.{0,10}(?<!非)经营性",
    re.I,
)


def names_both_kinds(text: str) -> bool:
    """Whether ``text`` names both kinds of service by the Rules' own names."""
    return bool(_BOTH_KINDS.search(text))


def subject_of(text: str) -> str | None:
    """The first subject ``text`` names, or None (also when it names both kinds of service)."""
    if names_both_kinds(text):
        return None
    return next((name for name, words in SUBJECTS if words.search(text)), None)


#: Kinds of service (not the two regimes' providers) a question may name beside its regime.
SERVICE_KINDS = ("access providers", "bulletin board services")


def kinds_named(text: str) -> list[str]:
    """The kinds of service (access, bulletin boards) ``text`` names, wherever it names them."""
    return [name for name, words in SUBJECTS if name in SERVICE_KINDS and words.search(text)]


#: The Rules' own names of the two kinds of service: a question using them needs no definition.
_NAMED_KIND = re.compile(r"\bcommercial\b|经营性", re.I)


def described_kind(text: str) -> str | None:
    """The kind of service (commercial or non-commercial provider) ``text`` describes ("free,
    no ads", "paid memberships") without using the Rules' name for it; None otherwise. Whether
    such a service needs a licence or a filing turns on the definition of its kind."""
    subject = subject_of(text)
    if subject in ("commercial providers", "non-commercial providers"):
        return None if _NAMED_KIND.search(text) else subject
    return None


def without_subject(text: str, subject: str) -> str:
    """``text`` with the words naming ``subject`` taken out."""
    words = dict(SUBJECTS)[subject]
    cut = words.sub(lambda m: " " if m.group(0).isascii() else "", text)  # no gap inside Chinese
    return re.sub(r"\s+", " ", cut).strip()


#: The regime each kind of provider answers to, in the words users type for it: a follow-up
#: that moves from a paid site to a free one moves from the licence to the filing too.
_REGIME_WORDS = {
    "commercial providers": re.compile(
        r"\b(?:icp )?licen[cs](?:e|es|ed|ing)\b|icp证|经营许可证|许可证|许可", re.I
    ),
    "non-commercial providers": re.compile(
        r"\b(?:icp )?(?:filing|bei'?an|recordal)\b|icp备案|备案", re.I
    ),
}
_REGIME_FOR = {"commercial providers": "licence", "non-commercial providers": "filing"}
_REGIME_FOR_ZH = {"commercial providers": "经营许可证", "non-commercial providers": "备案"}


def moved_regime(text: str, old: str, new: str) -> str:
    """``text`` (asked for ``old`` providers) with the regime words of ``old`` replaced by those
    of ``new`` (licence ↔ filing); unchanged unless the move is between the two kinds."""
    if old not in _REGIME_WORDS or new not in _REGIME_WORDS:
        return text
    return _REGIME_WORDS[old].sub(
        lambda m: _REGIME_FOR[new] if m.group(0).isascii() else _REGIME_FOR_ZH[new], text
    )
