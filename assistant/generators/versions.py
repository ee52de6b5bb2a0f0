"""Answers that compare the wordings of a unit (2011 ↔ 2024): what changed, quoted from both."""

from __future__ import annotations

import re
from collections.abc import Callable

from langchain_core.documents import Document

from assistant.generators.base import Draft, GenerationInput, unit_label
from assistant.sentences import Sentence
from ingest.citations import CitationId
from ingest.wording import changed_stretch, same_text

#: The clauses of a document that answer a question (one or more, in the text's order).
BestClauses = Callable[[Document, str], list[Sentence]]


def compare_wordings(
    inp: GenerationInput, docs: list[Document], lang: str, best_clauses: BestClauses
) -> Draft | None:
    """Compare the wordings of the first unit retrieved in two versions."""
    by_unit: dict[str, dict[str, int]] = {}
    for n, doc in enumerate(docs, start=1):
        if doc.metadata.get("version"):
            key = str(CitationId.parse(doc.metadata["id"]).without_version())
            by_unit.setdefault(key, {})[str(doc.metadata["version"])] = n
    pairs = [(k, v) for k, v in by_unit.items() if len(v) >= 2]
    if not pairs:
        return None
    lines: list[str] = []
    quotes: dict[int, tuple[int, int]] = {}
    for _key, versions in pairs[:2]:
        (old_v, old_n), (new_v, new_n) = sorted(versions.items())[:2]
        old, new = docs[old_n - 1], docs[new_n - 1]
        label = unit_label(new.metadata, lang, wording=False)
        if same_text(old.page_content, new.page_content):
            lines.append(
                f"{label}在{old_v}年文本与{new_v}年文本中内容相同。[{old_n}][{new_n}]"
                if lang == "zh"
                else f"{label} reads the same in the {old_v} and {new_v} wordings. "
                f"[{old_n}][{new_n}]"
            )
            best = best_clauses(new, inp.question)
            for clause in best:
                lines.append(quote_line(unit_label(new.metadata, lang), clause.text, new_n, lang))
            quotes[new_n] = (best[0].start, best[-1].end)
            old_best = best_clauses(old, inp.question)
            quotes[old_n] = (old_best[0].start, old_best[-1].end)
            break
        was, now = changed_stretch(old.page_content, new.page_content, lang)
        if lang == "zh":
            change = (
                f"“{was}”改为“{now}”"
                if was and now
                else f"{new_v}年文本删去了“{was}”"
                if was
                else f"{new_v}年文本增加了“{now}”"
            )
            lines.append(
                f"{label}在{old_v}年文本与{new_v}年文本之间有变化：{change}。[{old_n}][{new_n}]"
            )
        else:
            change = (
                f"“{was}” became “{now}”"
                if was and now
                else f"the {new_v} wording drops “{was}”"
                if was
                else f"the {new_v} wording adds “{now}”"
            )
            lines.append(
                f"{label} changed between the {old_v} and {new_v} wordings: {change}. [{old_n}][{new_n}]"
            )
        for n, doc in ((old_n, old), (new_n, new)):
            body, start = _without_heading(doc)
            lines.append(quote_line(unit_label(doc.metadata, lang), body, n, lang))
            quotes[n] = (start, int(doc.metadata["end"]))
        break
    return Draft(text="\n\n".join(lines), quotes=quotes) if lines else None


def quote_line(label: str, text: str, n: int, lang: str) -> str:
    return f"{label}：“{text}”[{n}]" if lang == "zh" else f"{label}: “{text}” [{n}]"


def _without_heading(doc: Document) -> tuple[str, int]:
    """The unit's text without its "Article N"/"第N条" heading, and the offset where it starts."""
    m = re.match(r"(?:Article\s+\d+|第[^条\s]{1,6}条)\s*", doc.page_content)
    cut = m.end() if m else 0
    return doc.page_content[cut:].rstrip(), int(doc.metadata["start"]) + cut
