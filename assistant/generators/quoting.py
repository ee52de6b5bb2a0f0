"""Quoting for the extractive generator: a chosen clause widened to its whole sentence (or to
a list with its lead-in), overlapping stretches joined, cuts shown with an ellipsis, and the
answer composed of the lead and the quotes with their markers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.documents import Document

from assistant.generators.base import Draft, unit_label
from assistant.generators.versions import quote_line
from assistant.sentences import Sentence

#: A quoted clause is widened to its whole sentence (never cut at "；"), not to its paragraph:
#: each quoted sentence then carries its own marker.
_ENDS = re.compile(r"[。.!?！？:：]\s*[”\"]?\s*$")

#: The clauses of a retrieved document.
SentencesOf = Callable[[Document], list[Sentence]]


@dataclass
class Pick:
    """A clause chosen to quote, with its score and the unit it is in."""

    score: float
    n: int  # 1-based unit number
    sentence: Sentence
    #: The first clause of a paragraph of a unit asked for by name alone ("What does Art. 14
    #: say?"): the answer quotes the unit itself, paragraph by paragraph.
    opens_named: bool = False


def compose(
    lead: str | None,
    chosen: list[Pick],
    docs: list[Document],
    lang: str,
    sentences_of: SentencesOf,
) -> Draft:
    """The answer: the lead (with the first quote's marker when it has none), then one quote
    per stretch of text, each with its marker; the citation of a unit spans all it quotes."""
    lines = []
    quotes: dict[int, tuple[int, int]] = {}
    if lead:
        lines.append(lead if re.search(r"\[\d+\]", lead) else f"{lead} [{chosen[0].n}]")
    for p, text, start, end in _merged(chosen, docs, sentences_of):
        label = unit_label(docs[p.n - 1].metadata, lang)
        lines.append(quote_line(label, text, p.n, lang))
        # the unit's citation quotes everything the answer takes from it
        was = quotes.get(p.n, (start, end))
        quotes[p.n] = (min(was[0], start), max(was[1], end))
    return Draft(text="\n\n".join(lines), quotes=quotes)


def _merged(
    chosen: list[Pick], docs: list[Document], sentences_of: SentencesOf
) -> list[tuple[Pick, str, int, int]]:
    """One quote per stretch of text: each chosen clause widened to its whole sentence (or
    list), overlapping stretches joined; a cut inside a paragraph is shown with an
    ellipsis."""
    stretches: list[tuple[Pick, int, int, int, int]] = []  # pick, start, end, para bounds
    for p in chosen:
        start, end, p_start, p_end = _stretch(p, docs, sentences_of)
        for i, (q, s0, e0, ps, pe) in enumerate(stretches):
            same_part = q.sentence.part == p.sentence.part or ps <= start < pe
            if q.n == p.n and same_part and start < e0 and end > s0:  # the same sentence
                stretches[i] = (
                    q,
                    min(s0, start),
                    max(e0, end),
                    min(ps, p_start),
                    max(pe, p_end),
                )
                break
        else:
            stretches.append((p, start, end, p_start, p_end))
    stretches = _whole_paragraphs(stretches)
    out = []
    for p, start, end, p_start, p_end in stretches:
        doc = docs[p.n - 1]
        base = int(doc.metadata["start"])
        text = doc.page_content[start - base : end - base].strip()
        shown = ("…" if start > p_start else "") + text + ("…" if end < p_end else "")
        out.append((p, shown, start, end))
    return out


#: Pieces of one paragraph that together cover this share of it are quoted as the paragraph
#: (up to _WHOLE_MAX characters): one quote a reader can follow, not fragments joined by "…".
_WHOLE_SHARE = 0.5
_WHOLE_MAX = 1200


def _whole_paragraphs(
    stretches: list[tuple[Pick, int, int, int, int]],
) -> list[tuple[Pick, int, int, int, int]]:
    """Two or more stretches of one paragraph that cover most of it → the whole paragraph,
    in the place of the first of them."""
    out: list[tuple[Pick, int, int, int, int]] = []
    merged: set[tuple[int, int, int]] = set()  # (unit, paragraph start, paragraph end)
    for st in stretches:
        p, _, _, ps, pe = st
        key = (p.n, ps, pe)
        pieces = [x for x in stretches if (x[0].n, x[3], x[4]) == key]
        covered = sum(e - s for _, s, e, _, _ in pieces)
        whole = len(pieces) > 1 and pe - ps <= _WHOLE_MAX and covered >= _WHOLE_SHARE * (pe - ps)
        if not whole:
            out.append(st)
        elif key not in merged:
            merged.add(key)
            out.append((p, ps, pe, ps, pe))
    return out


def _stretch(p: Pick, docs: list[Document], sentences_of: SentencesOf) -> tuple[int, int, int, int]:
    """(start, end) to quote for a chosen clause, and the bounds of its paragraph."""
    listed = _with_list(p, docs, sentences_of)
    if listed is not None:
        return listed[2], listed[3], listed[2], listed[3]
    para = [s for s in sentences_of(docs[p.n - 1]) if s.part == p.sentence.part]
    if not para or p.sentence not in para:
        return p.sentence.start, p.sentence.end, p.sentence.start, p.sentence.end
    p_start, p_end = para[0].start, para[-1].end
    i = j = para.index(p.sentence)
    while i > 0 and not _ENDS.search(para[i - 1].text):
        i -= 1
    while j < len(para) - 1 and not _ENDS.search(para[j].text):
        j += 1
    return para[i].start, para[j].end, p_start, p_end


def _with_list(
    p: Pick, docs: list[Document], sentences_of: SentencesOf
) -> tuple[Pick, str, int, int] | None:
    """A list's lead-in or one of its items → the lead-in with all its items, as one quote."""
    doc = docs[p.n - 1]
    sentences = sentences_of(doc)
    items = [s for s in sentences if ".i" in s.part]
    if not items:
        return None
    lead = next((s for s in reversed(sentences) if s.end <= items[0].start), None)
    is_lead = (
        lead is not None and lead.start == p.sentence.start and lead.text.endswith((":", "："))
    )
    if not (is_lead or ".i" in p.sentence.part) or lead is None:
        return None
    chunk_start = int(doc.metadata["start"])
    text = doc.page_content[lead.start - chunk_start : items[-1].end - chunk_start]
    return (p, text, lead.start, items[-1].end) if len(text) <= 1200 else None
