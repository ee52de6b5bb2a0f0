"""Lexical (BM25) side of the index: tokenizer and the persisted bm25s index.

English: lower-cased word tokens, Snowball-stemmed (PyStemmer), stop words out.
Chinese: character unigrams and bigrams of each run of CJK characters (no
dictionary to load, robust to legal compounds). The same tokenizer serves
indexing and queries.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_TOKEN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    (
        "a an and any are as at be by for from has have if in into is it its of on or such that "
        "the their them these this those to was were which with shall may must not no been being "
        "does do did what who whom how when where why can could would should will"
    ).split()
)


#: Bump when tokenization changes: the BM25 data of older generations no longer matches.
TOKENIZER_VERSION = 2
#: Stems that English spelling splits but the Rules mean as one word.
_SAME_STEM = {"licens": "licenc", "kept": "keep", "fora": "forum", "logs": "log"}


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def _stem(word: str) -> str:
    if word.isdigit():
        return word
    stem = _stemmer().stemWord(word)
    return _SAME_STEM.get(stem, stem)


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(text.lower().replace("’", "'")):
        run = m.group(0)
        if "\u3400" <= run[0] <= "\ufaff":
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        elif run not in _STOP:
            tokens.append(_stem(run.removesuffix("'s")))
    return tokens


def build_lexical_index(texts: list[str]) -> Any:
    """A bm25s retriever whose document ``i`` is ``texts[i]``."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
    return retriever
