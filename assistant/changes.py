"""What a "what changed?" question names beyond the change itself.

"What changed in 2024? Client wants a one-liner" names no matter of the Rules: the articles that
changed answer it. "Did 2024 change the fines?" names one: the article that sets the fines does.
A word names a matter when the Rules use it in a few articles only (``Index.word_share``).
"""

from __future__ import annotations

from assistant.query import Analysis
from ingest.index import Index
from ingest.lexical import tokenize

#: Words of change, of the wordings and of the revision itself.
_VERSION_WORDS = frozenset(
    tokenize(
        "what changed change changes rules rule revision revised amended amendment 2024 2011 december "
        "january version versions wording wordings text law measures did how the with in between "
        "actually compared compare comparison icp old new previous earlier current different "
        "difference differences differ legal says say only one article articles what's whats "
        "区别 不同 哪些 条 哪条 哪一条 "
        "修改 修订 变化 改了 什么 版本 年 内容 到底 哪条 一条 具体 啥 "
        # the Rules' own name (its characters pair across words: 理办)
        "互联网信息服务管理办法 "
        # who made the revision
        "state council decision decisions decree 国务院 决定"
    )
)

#: A word used by more than this share of the Rules' articles names no matter of its own.
TOPICAL_SHARE = 0.25


def matter_named(a: Analysis, index: Index) -> set[str]:
    """The words of a "what changed?" question that name a matter of the Rules: words the Rules
    use in a few articles only (in Chinese, two-character words), beyond words of change and of
    the wordings. Filler ("client wants a one-liner") names none."""
    words = set(tokenize(a.remainder)) - _VERSION_WORDS
    return {
        w
        for w in words
        if (a.lang != "zh" or len(w) > 1) and 0.0 < index.word_share(w, a.lang) <= TOPICAL_SHARE
    }
