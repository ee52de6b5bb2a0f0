"""HTML for the chat's "Obligations" tab: the register as a table whose chips open the same
side panel as an answer's chips (the page script handles every ``a.regqa-chip``)."""

from __future__ import annotations

from html import escape

from assistant.obligations.model import Register
from ingest.citations import ChunkKey, CitationId, QuoteRef
from ingest.index import Index


def _chip(index: Index, cid: str, text: str) -> str:
    """A chip that opens the provision ``cid`` with its paragraph or item highlighted."""
    parsed = CitationId.parse(cid)
    chunk = index.unit(parsed.unit, "en")
    span = next((p for p in chunk.parts if p.locator == parsed.locator), None)
    start, end = (span.start, span.end) if span else (chunk.start, chunk.end)
    ref = str(QuoteRef(ChunkKey(parsed.unit, chunk.lang), start, end))
    return (
        f'<a href="#" class="regqa-chip" data-ref="{escape(ref, quote=True)}" '
        f'title="{escape(cid, quote=True)}">{escape(text)}</a>'
    )


def _short(cid: str) -> str:
    parsed = CitationId.parse(cid)
    part = parsed.part
    tail = f" {'¶' if part[0] == 'paragraph' else 'item '}{part[1]}" if part else ""
    return f"Art. {parsed.article_number}{tail}"


def register_html(index: Index, register: Register) -> str:
    if not register.obligations:
        return '<div class="regqa-register"><p>No obligation matches these filters.</p></div>'
    rows = []
    for row in register.obligations:
        sanctions = "<br>".join(
            _chip(index, s.id, _short(s.id))
            + " "
            + escape("; ".join(m.short() for m in s.measures))
            for s in row.sanctions
        )
        deadline = "<br>".join(
            f"<strong>{escape(t.value)}</strong>: “{escape(t.words.en or t.words.zh or '')}”"
            for t in row.deadlines
        )
        what = f"<div>{escape(row.what.en or '')}</div>"
        if row.what.zh:
            what += f'<div lang="zh" class="regqa-zh">{escape(row.what.zh)}</div>'
        rows.append(
            f'<tr data-id="{escape(row.id, quote=True)}">'
            f"<td>{_chip(index, row.id, _short(row.id))}</td>"
            f"<td>{escape(row.kind)}</td>"
            f"<td>{escape('; '.join(row.actor))}</td>"
            f"<td>{what}</td><td>{deadline}</td><td>{sanctions}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>" for h in ("Provision", "Kind", "Who", "What", "Deadline", "Sanction")
    )
    return (
        f'<div class="regqa-register"><p class="regqa-register-count">{register.count} '
        f"obligations · {escape(register.wording)} wording · {escape(register.notice)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
