"""HTML for the chat: answers with citation chips, the citation panel, version comparisons.

Everything that comes from a user or a document is escaped here; nothing else in the
UI builds HTML from text.
"""

from __future__ import annotations

import re
from html import escape

from assistant.answer import Answer, Citation
from assistant.generators.base import unit_label
from ingest.citations import ChunkKey, CitationId, QuoteRef
from ingest.index import Index
from ingest.units import Chunk
from ingest.wording import Piece, compare, same_text

_MARKER = re.compile(r"\s?\[(\d+)\]")
STATUS_LABEL = {
    "in_force": "in force",
    "superseded_wording": "superseded wording",
    "explanation_of_draft": "explanation of the 2012 draft",
}


def chip_label(c: Citation) -> str:
    cid = CitationId.parse(c.id)
    if cid.doc == "rules" and cid.article_number is not None:
        return f"Art. {cid.article_number} ({cid.version})"
    if cid.doc == "explanation":
        return f"Expl. {cid.locator}"
    return c.id


def chip_ref(c: Citation) -> str:
    return str(QuoteRef(ChunkKey(CitationId.parse(c.id), c.lang), c.start, c.end))


def answer_html(answer: Answer, show_retrieval: bool = False, hint: str = "") -> str:
    """The answer as HTML: escaped text, paragraphs, one chip per cited unit (at its first
    marker; a later marker of the same unit adds nothing the chip does not already open)."""
    if answer.abstained:
        body = (
            f'<div class="regqa-abstain"><strong>{escape(answer.answer)}</strong>'
            f"<br><span>{escape(answer.reason or '')}</span>"
            + (f'<br><span class="regqa-hint">{escape(hint)}</span>' if hint else "")
            + _see_also(answer)
            + "</div>"
        )
    else:
        paragraphs = []
        shown: set[int] = set()
        for para in answer.answer.split("\n\n"):
            pieces, last = [], 0
            for m in _MARKER.finditer(para):
                pieces.append(escape(para[last : m.start()]))
                k = int(m.group(1))
                if 1 <= k <= len(answer.citations) and k not in shown:
                    shown.add(k)
                    c = answer.citations[k - 1]
                    pieces.append(
                        f' <a href="#" class="regqa-chip" data-ref="{escape(chip_ref(c), quote=True)}"'
                        f' title="{escape(c.id, quote=True)}">{escape(chip_label(c))}</a>'
                    )
                last = m.end()
            pieces.append(escape(para[last:]))
            paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
        body = "".join(paragraphs)
    if show_retrieval and answer.retrieved:
        rows = "".join(
            f"<li><code>{escape(r.id)}</code> {r.score:.4f} ({escape(', '.join(r.via))})</li>"
            for r in answer.retrieved[:10]
        )
        body += (
            f'<details class="regqa-trace"><summary>Retrieved</summary><ol>{rows}</ol></details>'
        )
    return body


def _see_also(answer: Answer) -> str:
    """The closest units of an abstention, named for reading (not cited as support)."""
    if not answer.see_also:
        return ""
    names = ", ".join(
        f'<span title="{escape(u, quote=True)}">{escape(unit_label({"id": u}, answer.lang))}</span>'
        for u in answer.see_also
    )
    lead = (
        "另见（未作为依据引用）：" if answer.lang == "zh" else "See also (not cited as support): "
    )
    return f'<br><span class="regqa-see-also">{lead}{names}</span>'


def _highlighted(chunk: Chunk, start: int, end: int) -> str:
    a, b = max(start - chunk.start, 0), max(min(end - chunk.start, len(chunk.text)), 0)
    if not (0 <= a < b):
        return escape(chunk.text).replace("\n", "<br>")
    text = (
        escape(chunk.text[:a])
        + '<mark class="regqa-span">'
        + escape(chunk.text[a:b])
        + "</mark>"
        + escape(chunk.text[b:])
    )
    return text.replace("\n", "<br>")


def _part_at(chunk: Chunk, offset: int) -> str | None:
    return next((p.locator for p in chunk.parts if p.start <= offset < p.end), None)


def panel_title(chunk: Chunk) -> str:
    """ "Article 22 · Rules, 2024 wording, in force", "II.4 · Explanation of the 2012 draft"."""
    where = unit_label({"id": chunk.id}, "en", wording=False)
    if chunk.doc == "rules":
        status = STATUS_LABEL.get(chunk.status, chunk.status)
        return f"{where} · Rules, {chunk.version} wording" + (f", {status}" if status else "")
    return f"{chunk.locator} · Explanation of the 2012 revision draft"


def panel_html(index: Index, ref: str) -> str:
    """The citation panel for a chip: badge, texts side by side, span highlighted, compare."""
    try:
        quote = QuoteRef.parse(ref)
    except ValueError:
        return '<div class="regqa-panel">Unknown citation.</div>'
    unit_id, start, end = quote.key.unit, quote.start, quote.end
    chunks = index.chunks_of(unit_id)
    if not chunks:
        return f'<div class="regqa-panel">No unit {escape(str(unit_id))} in the index.</div>'
    quoted = next((c for c in chunks if c.lang == quote.key.lang), chunks[0])
    part = _part_at(quoted, start)
    first = chunks[0]
    badge = (
        ("Rules" if first.doc == "rules" else "Explanation")
        + (f" · {first.version} wording" if first.version else "")
        + f" · {STATUS_LABEL.get(first.status, first.status)}"
    )
    columns = []
    for c in sorted(chunks, key=lambda c: c.lang != "zh"):
        if c is quoted:
            body = _highlighted(c, start, end)
        else:  # the same paragraph or item in the other language
            span = next((p for p in c.parts if p.locator == part), None)
            body = _highlighted(c, span.start, span.end) if span else escape(c.text)
        name = (
            "中文（官方文本）"
            if c.lang == "zh"
            else "English (unofficial translation)"
            if c.doc == "rules"
            else "English"
        )
        columns.append(  # the text begins with its own heading: the column names the language
            f'<div class="regqa-col" lang="{c.lang}"><h4>{escape(name)}</h4>'
            f'<div class="regqa-text">{body}</div></div>'
        )
    html = (
        f'<div class="regqa-panel"><div class="regqa-badge">{escape(badge)}</div>'
        f"<h3>{escape(panel_title(first))}</h3>"
        f'<div class="regqa-id">{escape(str(unit_id))}</div>'
        f'<div class="regqa-cols">{"".join(columns)}</div>'
    )
    html += compare_html(index, unit_id)
    return html + "</div>"


def compare_html(index: Index, unit_id: CitationId | str) -> str:
    """Changes between this unit's two latest wordings (by words in English, by characters in Chinese)."""
    versions = index.versions_of(unit_id)
    if len(versions) < 2 or versions[-1].version is None:
        return ""
    old_id, new_id = versions[-2:]
    blocks = []
    for lang in ("en", "zh"):
        old = next((c for c in index.chunks_of(old_id) if c.lang == lang), None)
        new = next((c for c in index.chunks_of(new_id) if c.lang == lang), None)
        if old and new and not same_text(old.text, new.text):
            blocks.append(_diff_html(compare(old.text, new.text, lang), lang))
    if not blocks:
        return (
            f'<p class="regqa-same">Same text in the {old_id.version} and {new_id.version} '
            "wordings.</p>"
        )
    return (
        f'<details class="regqa-compare" open><summary>Compare {old_id.version} → '
        f"{new_id.version}</summary>{''.join(blocks)}</details>"
    )


_DIFF_TAGS = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}


def _diff_html(pieces: list[Piece], lang: str) -> str:
    body = "".join(_DIFF_TAGS[p.tag].format(escape(p.text)) for p in pieces)
    return f'<div class="regqa-diff" lang="{lang}">{body}</div>'
