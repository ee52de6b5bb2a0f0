"""What a question's wording asks for, and what a clause's wording gives.

Pattern pairs used by the extractive generator to lead with a direct answer: the kind of
answer a question wants (a period, an amount, a penalty, a system, yes/no) and the words in
a clause that supply it.
"""

from __future__ import annotations

import re

from ingest.lexical import tokenize

TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # question pattern, answer pattern (searched in the chosen clause)
    "duration": (
        re.compile(
            r"\bhow (?:long|many (?:days|months|years))\b|\bwithin (?:what|how)|\bdeadline\b"
            r"|\bperiod\b|多长时间|多久|多少天|几天|期限|多长",
            re.I,
        ),
        re.compile(
            r"\b(?:\d+|sixty|thirty|six|twelve)\s+(?:days?|months?|years?)\b"
            r"|\d+\s*(?:日|天|个月|年)",
            re.I,
        ),
    ),
    "money": (
        re.compile(r"\bfines?\b|\bhow much\b|\bamount\b|罚款|罚多少|多少钱|罚金", re.I),
        re.compile(
            r"(?:a fine of )?not less than (?:RMB [\d,]+|\d+ times)(?: the illegal gains)? "
            r"but not more than (?:RMB [\d,]+|\d+ times)(?: the illegal gains)?"
            r"|(?:处)?(?:违法所得)?\d+(?:万)?(?:元|倍)以上\d+(?:万)?(?:元|倍)以下的罚款",
            re.I,
        ),
    ),
    "penalty": (
        re.compile(
            r"\bpenalt(?:y|ies)\b|\bsanctions?\b|\bpunish\w*|\bconsequences?\b|\bliab\w*"
            r"|\bwhat happens\b|\bwhat if\b|\bif (?:we|i|it|they|the \w+) (?:don't|do not|doesn't|"
            r"does not|fail\w*|ignore\w*|refuse\w*|never)\b|后果|追究|不履行|没按|不改正",
            re.I,
        ),
        re.compile(
            r"\border(?:s|ed)? (?:it )?(?:to make corrections|suspension|the (?:temporary )?closure)"
            r"|\brevok\w*|\bfine of\b|\bconfiscat\w*|\bcriminal liability\b|\bclosure of the website"
            r"|责令|吊销|罚款|关闭网站|停业整顿|追究刑事责任|没收",
            re.I,
        ),
    ),
    "system": (
        re.compile(
            r"\bwhat (?:kind of |type of )?(?:system|regime)\b|\bwhich (?:system|regime)\b"
            r"|什么制度|哪种制度|何种制度",
            re.I,
        ),
        re.compile(
            r"\b(?:a |the )?(?:licensing|filing|licence|registration) system\b"
            r"|(?:许可|备案)制度",
            re.I,
        ),
    ),
}
YESNO_EN = re.compile(
    r"^\s*(?:do|does|did|is|are|can|may|must|should|will|need|has|have|am)\b", re.I
)
YESNO_ZH = re.compile(r"吗[？?。]?\s*$|是否|要不要|需不需要|能不能|可不可以|能否")
PERMISSION = re.compile(
    r"\b(?:can|may|allowed|permitted|legal to|ok to)\b|可以|能否|能不能|允许|可不可以", re.I
)
OBLIGATION = re.compile(
    r"\b(?:must|need|needs|have to|has to|required|obliged|should)\b"
    r"|需要|必须|要不要|需不需要|是否要|应当",
    re.I,
)
PROHIBITION = re.compile(
    r"\b(?:shall not|may not|must not|no one may|not be permitted)\b|不得|禁止", re.I
)
DUTY = re.compile(r"\b(?:shall|must)\b|应当|须", re.I)
#: Words that only say "tell me about it" — a question made of these and a reference
#: wants the referenced unit itself.
BARE = frozenset(
    tokenize(
        "what say says said provide provides cover covers about tell me mean means article articles art "
        "rule rules explanation point part section text content contents wording full show read "
        "i ii iii iv v of the opinion seeking version draft 2012 in on"
    )
)
BARE_ZH = set("说规定了什么内容条第讲是怎么样的有哪些写这一下请问")
HEADING = re.compile(r"^[IVX]+\s*[,，.、]")


def question_type(question: str) -> str | None:
    for name, (asks, _) in TYPES.items():
        if asks.search(question):
            return name
    return None
