"""An answer memo for a compliance file: the question, regqa's answer, and every provision it
cites in full, in each language the corpus has, with its wording, status and dates.

A memo is always made from an answer regqa itself produced (:func:`make_memo` runs the
question); nothing a client sends can put text into it except the question and the history.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.core import Assistant
from assistant.history import History, normalise
from ingest.citations import CitationId
from ingest.errors import QuestionError, RegqaError

FORMATS = ("docx", "md")
STATUS = {
    "in_force": "in force",
    "superseded_wording": "earlier wording",
    "explanation_of_draft": "explanation of the 2012 revision draft",
}
NOTICE = (
    "The English text of the Rules is an unofficial translation; the Chinese text is "
    "authoritative. This memo records what regqa answered and the provisions it cited; it is "
    "not legal advice."
)


@dataclass(frozen=True)
class CitedProvision:
    id: str
    title: str
    document: str
    wording: str | None
    status: str
    date: str | None  # of the wording (its revision) or of the document
    promulgated: str | None
    effective: str | None
    texts: dict[str, str]  # language → full text of the unit
    quotes: list[str]  # the words the answer quoted from it


@dataclass(frozen=True)
class Memo:
    question: str
    answer: Answer
    provisions: list[CitedProvision]
    generation: str
    generation_created: str
    regqa_version: str
    made: str
    history: list[tuple[str, str]] = field(default_factory=list)


def _regqa_version() -> str:
    try:
        return version("regqa")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without install
        return "unknown"


def make_memo(assistant: Assistant, question: str, history: History | None = None) -> Memo:
    """Ask ``question`` and make the memo of regqa's own answer."""
    answer = assistant.ask(question, history)
    return memo_of(assistant, answer, history)


def memo_of(assistant: Assistant, answer: Answer, history: History | None = None) -> Memo:
    """The memo of an answer regqa made (its citations are looked up in the current index)."""
    index = assistant.index
    documents = index.meta.get("documents", [])
    provisions: list[CitedProvision] = []
    for unit_id in dict.fromkeys(c.id for c in answer.citations):
        chunks = index.chunks_of(unit_id)
        if not chunks:
            raise RegqaError(f"The answer cites {unit_id}, which this index does not hold.")
        first = chunks[0]
        cid = CitationId.parse(unit_id)
        meta: dict[str, str] = next(
            (d for d in documents if d["doc"] == cid.doc and d.get("version") == cid.version), {}
        )
        provisions.append(
            CitedProvision(
                id=unit_id,
                title=first.title,
                document=first.doc_title,
                wording=first.version,
                status=STATUS.get(first.status, first.status),
                date=meta.get("date"),
                promulgated=meta.get("promulgated"),
                effective=meta.get("effective"),
                texts={c.lang: c.text for c in chunks},
                quotes=[c.quote for c in answer.citations if c.id == unit_id],
            )
        )
    return Memo(
        question=answer.question,
        answer=answer,
        provisions=provisions,
        generation=index.generation,
        generation_created=str(index.meta.get("created", "")),
        regqa_version=_regqa_version(),
        made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        history=list(normalise(history)),
    )


def _facts(p: CitedProvision) -> str:
    parts = [p.document]
    if p.wording:
        parts.append(f"{p.wording} wording")
    parts.append(p.status)
    if p.date:
        parts.append(f"dated {p.date}")
    if p.promulgated:
        parts.append(f"promulgated {p.promulgated}")
    if p.effective:
        parts.append(f"effective {p.effective}")
    return " · ".join(parts)


_LANGS = {"zh": "Chinese (official text)", "en": "English"}


def to_markdown(memo: Memo) -> str:
    a = memo.answer
    lines = [
        "# regqa answer memo",
        "",
        f"- Made: {memo.made}",
        f"- regqa {memo.regqa_version}; index generation {memo.generation} "
        f"(built {memo.generation_created})",
        "",
        "## Question",
        "",
        memo.question,
        "",
    ]
    if memo.history:
        lines += ["Earlier in the conversation:", ""]
        lines += [f"> **{role}:** {text}" for role, text in memo.history]
        lines.append("")
    lines += ["## Answer", "", a.answer, ""]
    if a.abstained and a.reason:
        lines += [f"*{a.reason}*", ""]
    for k, p in enumerate(memo.provisions, start=1):
        lines += [f"## [{k}] {p.title} — `{p.id}`", "", f"*{_facts(p)}*", ""]
        for lang, text in sorted(p.texts.items(), key=lambda kv: kv[0] != "zh"):
            lines += [f"**{_LANGS.get(lang, lang)}**", ""]
            lines += ["> " + line if line else ">" for line in text.splitlines()]
            lines.append("")
    lines += ["---", "", NOTICE, ""]
    return "\n".join(lines)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text Word can hold: control characters and lone surrogates removed."""
    return _NOT_XML.sub("", text)


def to_docx(memo: Memo) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = _SafeDocument(Document())
    doc.add_heading("regqa answer memo", 0)
    doc.add_paragraph(f"Made: {memo.made}")
    doc.add_paragraph(
        f"regqa {memo.regqa_version}; index generation {memo.generation} "
        f"(built {memo.generation_created})"
    )
    doc.add_heading("Question", 1)
    doc.add_paragraph(memo.question)
    for role, text in memo.history:
        doc.add_paragraph(f"{role}: {text}", style="Quote")
    doc.add_heading("Answer", 1)
    for para in memo.answer.answer.split("\n\n"):
        doc.add_paragraph(para)
    if memo.answer.abstained and memo.answer.reason:
        doc.add_paragraph(memo.answer.reason).runs[0].italic = True
    for k, p in enumerate(memo.provisions, start=1):
        doc.add_heading(f"[{k}] {p.title} — {p.id}", 1)
        doc.add_paragraph(_facts(p)).runs[0].italic = True
        for lang, text in sorted(p.texts.items(), key=lambda kv: kv[0] != "zh"):
            doc.add_paragraph(_LANGS.get(lang, lang)).runs[0].bold = True
            body = doc.add_paragraph(text)
            body.paragraph_format.left_indent = Pt(18)
    doc.add_paragraph(NOTICE).runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


class _SafeDocument:
    """The python-docx document, every text passed through :func:`_xml`."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def add_heading(self, text: str, level: int) -> Any:
        return self.doc.add_heading(_xml(text), level)

    def add_paragraph(self, text: str, style: str | None = None) -> Any:
        return self.doc.add_paragraph(_xml(text), style=style)

    def save(self, target: Any) -> None:
        self.doc.save(target)


def render(memo: Memo, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise RegqaError(f"Unknown memo format {fmt!r}.", hint="Use .docx or .md.")
    return to_docx(memo) if fmt == "docx" else to_markdown(memo).encode("utf-8")


def format_of(path: Path) -> str:
    """The memo format a file name asks for (its suffix), or an error saying what to name it."""
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise QuestionError(
            f"Cannot write a memo as {path.name}.", hint="Name the file .docx or .md."
        )
    return fmt


def write(memo: Memo, path: Path) -> None:
    path.write_bytes(render(memo, format_of(path)))


def conversation_markdown(answers: list[Answer]) -> str:
    """A whole chat as Markdown: each question, regqa's answer and the ids and words it cited."""
    lines = ["# regqa conversation", ""]
    for a in answers:
        lines += [f"## {a.question}", "", a.answer, ""]
        if a.abstained and a.reason:
            lines += [f"*{a.reason}*", ""]
        for k, c in enumerate(a.citations, start=1):
            lines.append(f"{k}. `{c.id}` — {c.title}: “{c.quote}”")
        lines.append("")
    lines += ["---", "", NOTICE, ""]
    return "\n".join(lines)
