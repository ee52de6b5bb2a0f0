"""How a question names the Rules' wordings: the 2011 one, the one in force (2024), both at
once, or one replacing another in a follow-up. Patterns only; ``assistant.query`` reads them."""

from __future__ import annotations

import re

BOTH_VERSIONS = re.compile(
    r"\b(?:2011|2000 (?:wording|version|text)|before 2024|prior to 2024|pre-2024"
    r"|original (?:wording|version|text|rules)|originally (?:said|read|required|listed)"
    r"|(?:old|older|earlier|previous|prior|former)"
    r" (?:wording|version|text|rules|article \d+)|used to say|versions|wordings|both wordings|(?:2024|december 2024)"
    r" (?:revision|amendment|change)s?|(?:revised|amended|changed) in 2024|still (?:the )?current)\b"
    r"|修订前|修改前|原来的(?:规定|文本|版本)|旧版|以前的(?:规定|文本|版本)|两个版本|2011年|2024年修订|2024年修改|2024年改|老版本?|旧版本|新旧版本|改版前"
    # the years as users shorten them: 11年版, 24年版, 24年改了, 2011版
    r"|(?<!\d)(?:20)?(?:11|24)年?版|(?<!\d)(?:20)?24年(?:的)?(?:修订|修改|改)"
    # whether the wording in force still says what an older one did ("does the current wording
    # still mention healthcare?", "现在的版本还写着医疗保健吗")
    # (asked yes or no: "which services does the 2024 text still name?" asks the list in force)
    r"|\b(?:does|do|did|is)\b[^.?!]{0,30}\b(?:current|present|latest|new|today's|2024) (?:wording|version|text)s?\b[^.?!]{0,60}"
    r"\bstill (?:list|say|read|cover|name|mention|include)"
    r"|(?:现行|现在的?|目前的?|新)(?:版本?|文本|条文)[^。？?]{0,20}还(?:有|写|包括|提|列|保留)[^。？?]{0,20}吗",
    re.IGNORECASE,
)
ONLY_2024 = re.compile(r"\b(?:2024|current(?:ly)?|now|in force|today)\b|现行|目前|现在", re.I)
#: The wording in force named as the revised one ("按2024年修订后的文本", "the text as revised
#: in 2024"): a name, not a question about what changed.
REVISED_WORDING = re.compile(
    r"(?:按|依|根据|按照)?(?:2024年?)?(?:12月)?修(?:订|改)后的?(?:文本|版本|办法|条文|规定)"
    r"|\b(?:the )?(?:2024 )?revised (?:text|wording|version|rules|measures)\b"
    r"|\bas (?:revised|amended) in (?:dec(?:ember)? )?2024\b",
    re.I,
)
#: Names one earlier wording ("the 2011 wording", "say in 2011", "before the 2024 revision", "修订前").
OLD_WORDING = re.compile(
    r"\b(?:(?:under|in) the (?:2011|2000) (?:wording|version|text)|(?:2011|2000) (?:wording|version|text)"
    r"|(?:say|said|read|require[sd]?|list(?:ed)?|name[sd]?|worded|provide[sd]?)\b[^.?!]{0,30}\bin 2011"
    r"|before (?:the )?(?:dec(?:ember|\.)? )?2024(?: (?:revision|amendment|change))?|prior to (?:the )?2024"
    r"|pre-2024|(?:old|older|earlier|previous|prior|former) (?:wording|version|text|rules)"
    r"|used to say)\b|修订前|修改前|旧版|2011年(?:的)?(?:版本|文本|版|规定|办法|第)"
    r"|(?<!\d)(?:20)?11年?版",
    re.IGNORECASE,
)
#: Speaks of the present or of two wordings at once (then an old wording is compared, not asked alone).
PRESENT = re.compile(
    r"\b(?:2024|current(?:ly)?|now|in force|today|still|versions|wordings|both)\b|现行|目前|现在|仍|还",
    re.IGNORECASE,
)
#: One wording named by its year or as the one in force ("the 2011 version", "2024年修订后的版本",
#: "现行文本"): what a follow-up that names its own wording replaces in the turn before.
_A_WORDING = re.compile(
    r"\b(?:(?:in|under|for) )?(?:the )?(?:dec(?:ember)? )?(?:2011|2024)(?:'s)?"
    r"(?: (?:wording|version|text|rules|revision))?\b|\b(?:the )?current (?:wording|version|text)\b"
    r"|(?<!\d)(?:20)?(?:11|24)年?(?:的)?(?:版本?|文本|修订|修改)?(?:后的?)?(?:版本|文本)?|现行(?:版本|文本)?",
    re.IGNORECASE,
)


def names_wording(text: str) -> bool:
    """Whether ``text`` names one wording of the Rules (an earlier one, or the one in force)."""
    return bool(OLD_WORDING.search(text) or REVISED_WORDING.search(text) or _A_WORDING.search(text))


def without_wording(text: str) -> str:
    """``text`` without the names of wordings it carries (so a follow-up's own wording holds)."""
    for pattern in (OLD_WORDING, REVISED_WORDING, _A_WORDING):
        text = pattern.sub(" ", text)
    return text
