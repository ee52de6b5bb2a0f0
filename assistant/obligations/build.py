"""Making the register from an index generation: one row per annotated duty and prohibition of
the Rules in one wording, each with its periods and the sanction provisions that punish it.

Nothing here reads the law but the annotations (checked against the text at ingest) and the
units' own text, so the register states nothing the text does not.
"""

from __future__ import annotations

from assistant.obligations.model import (
    MEASURE_LABELS,
    Measure,
    Obligation,
    Quote,
    Register,
    SanctionRef,
    Term,
)
from ingest.annotations.schema import MEASURE_ORDER, Provision
from ingest.citations import CitationId
from ingest.errors import FilterError
from ingest.index import Index
from ingest.units import Chunk
from ingest.wording import normalise

#: The document the register is made of.
RULES = "rules"
KINDS: tuple[str, ...] = ("duty", "prohibition")
_TERMS = ("duration", "deadline")


def wordings(index: Index) -> list[str]:
    """The Rules' wordings in this index, oldest first."""
    return sorted({c.version for c in index.chunks if c.doc == RULES and c.version})


def in_force(index: Index) -> str:
    """The wording in force (the latest when none is marked)."""
    marked = [c.version for c in index.chunks if c.doc == RULES and c.status == "in_force"]
    found = wordings(index)
    if not found:
        raise FilterError("This index holds no wording of the Rules.", hint="Run `regqa ingest`.")
    return str(marked[0]) if marked and marked[0] else found[-1]


def _check(index: Index, wording: str | None, kind: str | None) -> str:
    chosen = wording if wording is not None else in_force(index)
    if chosen not in wordings(index):
        raise FilterError(
            f"There is no {chosen!r} wording of the Rules in this index.",
            hint=f"Choose one of: {', '.join(wordings(index))}.",
        )
    if kind is not None and kind not in KINDS:
        raise FilterError(f"Unknown kind {kind!r}.", hint=f"Choose one of: {', '.join(KINDS)}.")
    return chosen


def _label(cid: CitationId) -> str:
    text = f"Article {cid.article_number}"
    part = cid.part
    return f"{text}, {part[0]} {part[1]}" if part else text


def _words(chunks: list[Chunk], locator: str) -> Quote:
    """The provision's own words in each language (its paragraph or item, else the unit)."""
    found: dict[str, str] = {}
    for c in chunks:
        span = next((p for p in c.parts if p.locator == locator), None)
        found[c.lang] = (c.span_text(span) if span else c.text).strip()
    return Quote(en=found.get("en"), zh=found.get("zh"))


def _covers(target: str, locator: str) -> bool:
    """``punishes: [art-14]`` covers art-14.p2; ``art-12.p1`` covers only itself."""
    return locator == target or locator.startswith(target + ".")


def _sanctions(
    provision: Provision, chunks_by_unit: dict[CitationId, list[Chunk]], version: str
) -> list[SanctionRef]:
    out: list[SanctionRef] = []
    for unit, chunks in chunks_by_unit.items():
        for p in chunks[0].annotations:
            if not _applies(p, version):
                continue
            for s in p.sanctions:
                if not any(_covers(t, provision.id) for t in s.punishes):
                    continue
                ordered = sorted(s.measures, key=lambda m: MEASURE_ORDER.index(m.type))
                measures = [
                    Measure(
                        type=m.type,
                        label=MEASURE_LABELS[m.type],
                        value=m.value,
                        words=Quote(en=m.words.en, zh=m.words.zh),
                    )
                    for m in ordered
                ]
                sid = CitationId(unit.doc, p.id, unit.version)
                out.append(SanctionRef(id=str(sid), measures=measures))
    return out


def _applies(p: Provision, version: str) -> bool:
    return p.wordings is None or version in p.wordings


def _matches(row: Obligation, actor: str | None, kind: str | None) -> bool:
    if kind and row.kind != kind:
        return False
    if actor:
        needle = actor.casefold().strip()
        return any(needle in a.casefold() for a in [*row.actor, *row.applies_to])
    return True


def build_register(
    index: Index,
    wording: str | None = None,
    actor: str | None = None,
    kind: str | None = None,
) -> Register:
    """The register of one wording (the one in force by default), filtered by actor and kind.

    ``actor`` matches any part of a row's actor or applies-to words, case-insensitively."""
    version = _check(index, wording, kind)
    by_unit: dict[CitationId, list[Chunk]] = {}
    for c in index.chunks:
        if c.doc == RULES and c.version == version:
            by_unit.setdefault(c.cid, []).append(c)
    for chunks in by_unit.values():
        chunks.sort(key=lambda c: c.lang != "en")
    rows: list[Obligation] = []
    for unit, chunks in by_unit.items():
        for p in chunks[0].annotations:
            if p.kind not in KINDS or not _applies(p, version):
                continue
            cid = CitationId(unit.doc, p.id, unit.version)
            sanctions = _sanctions(p, by_unit, version)
            row = Obligation(
                id=str(cid),
                unit=str(unit),
                label=_label(cid),
                kind=p.kind,
                wording=version,
                actor=list(p.actor),
                applies_to=list(p.applies_to),
                what=_words(chunks, p.id),
                deadlines=[
                    Term(type=f.type, value=f.value, words=Quote(en=f.words.en, zh=f.words.zh))
                    for f in p.facts
                    if f.type in _TERMS
                ],
                sanctions=sanctions,
                citations=[str(cid), *(s.id for s in sanctions)],
            )
            if _matches(row, actor, kind):
                rows.append(row)
    return Register(
        wording=version,
        generation=index.generation,
        actor=actor,
        kind=kind,
        count=len(rows),
        obligations=rows,
    )


def changed_rows(old: Register, new: Register) -> list[str]:
    """Provisions (locators) whose rows differ between two wordings' registers (the text
    compared as the wording comparison does: full- and half-width forms are the same)."""

    def keyed(reg: Register) -> dict[str, dict[str, object]]:
        out = {}
        for row in reg.obligations:
            data = row.model_dump(
                exclude={"id", "unit", "wording", "citations", "sanctions", "what"}
            )
            data["what"] = {k: normalise(v or "") for k, v in row.what.model_dump().items()}
            data["sanctions"] = [
                {**s.model_dump(), "id": CitationId.parse(s.id).locator} for s in row.sanctions
            ]
            out[CitationId.parse(row.id).locator] = data
        return out

    a, b = keyed(old), keyed(new)
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
