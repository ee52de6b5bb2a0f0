"""Keypoint matching: does an answer state a keypoint, whatever form the words take?

Both the keypoint and the answer are brought to one form before matching, so that what does
not change meaning does not fail a correct answer:

- full- and half-width forms (NFKC): ``６０`` = ``60``, ``，`` = ``,``;
- number formats: ``100,000`` = ``100000``; ``1 million`` = ``1000000``; ``10万`` = ``100000``;
  spelled numbers: ``sixty days`` = ``60 days``, ``three to five times`` = ``3 to 5 times``,
  ``三十天`` = ``30日``;
- currency words: ``RMB 5,000`` = ``5,000 yuan`` = ``5000元`` (the amount is what counts);
- ``60天`` = ``60日``; British and American spelling (``licence`` = ``license``, ``rumours`` =
  ``rumors``);
- punctuation and spacing (an Oxford comma, a dash, quotes).

A keypoint ``a|b`` is found when either alternative is. Numbers match whole: ``5000`` is not
found inside ``50000``.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.numerals import zh_to_int

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_CARDINAL = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SPELLED = re.compile(
    rf"\b({'|'.join(_TENS)})(?:[\s-]({'|'.join(_ONES[1:10])}))?\b|\b({'|'.join(_ONES)})\b"
)
_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(million|thousand|hundred)\b")
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*万")
_ZH_NUMBER = re.compile(r"[零一二两三四五六七八九十百]+(?=日|天|个月|月|年|倍|万|元|人)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DAY = re.compile(r"(?<=\d)\s*天")
_CURRENCY = re.compile(r"\b(?:rmb|cny|yuan)\b|元|人民币")
_SPELLING = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "rumour": "rumor",
    "rumours": "rumors",
    "honour": "honor",
    "behaviour": "behavior",
    "favour": "favor",
    "labour": "labor",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "centre": "center",
    "programme": "program",
    "organisation": "organization",
    "organisations": "organizations",
    "authorise": "authorize",
    "authorised": "authorized",
    "recognised": "recognized",
    "penalise": "penalize",
    "penalised": "penalized",
}
_SPELLING_RE = re.compile(rf"\b({'|'.join(_SPELLING)})\b")
_PUNCT = re.compile(r"[^\w\u3400-\u9fff]+")


def _spelled(m: re.Match[str]) -> str:
    if m.group(3):
        return str(_CARDINAL[m.group(3)])
    return str(_CARDINAL[m.group(1)] + (_CARDINAL[m.group(2)] if m.group(2) else 0))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def normalise(text: str) -> str:
    """``text`` in the one form keypoints and answers are compared in."""
    out = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    out = _SPELLING_RE.sub(lambda m: _SPELLING[m.group(1)], out)
    out = _THOUSANDS.sub("", out)
    out = _SPELLED.sub(_spelled, out)
    out = _SCALE.sub(lambda m: _number(float(m.group(1)) * _SCALES[m.group(2)]), out)
    out = _ZH_NUMBER.sub(lambda m: str(zh_to_int(m.group(0).replace("两", "二"))), out)
    out = _WAN.sub(lambda m: _number(float(m.group(1)) * 10_000), out)
    out = _DAY.sub("日", out)
    out = _CURRENCY.sub(" ", out)
    out = _PUNCT.sub(" ", out)
    return " ".join(out.split())


def _pattern(alternative: str) -> re.Pattern[str] | None:
    norm = normalise(alternative)
    if not norm:
        return None
    left = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", norm) else ""
    right = r"(?![0-9])" if norm[-1].isdigit() else ""
    return re.compile(left + re.escape(norm) + right)


def found(keypoint: str, answer: str) -> bool:
    """Whether ``answer`` states ``keypoint`` (``a|b``: either alternative)."""
    text = normalise(answer)
    patterns = [_pattern(alt) for alt in keypoint.split("|")]
    return any(p is not None and p.search(text) for p in patterns)
