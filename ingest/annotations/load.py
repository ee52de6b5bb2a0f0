"""Reading annotation files with line numbers, and checking them against the parsed units.

``load_annotations`` finds ``annotations/<doc>.yaml`` beside the manifest, validates each
against the schema and then against the text: every provision must exist in every wording it
names, every fact's and measure's words must be found in that provision (in each language the
unit has), every link must name an existing provision. The first failure raises a
:class:`~ingest.errors.CorpusError` naming the file and line; ingest stops before anything is
written, so the served generation keeps serving.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ingest.annotations.schema import AnnotationFile, Provision, Words
from ingest.citations import CitationId
from ingest.errors import CorpusError
from ingest.units import Chunk
from ingest.yamlfile import read_yaml

FOLDER = "annotations"
_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class _Source:
    path: Path
    root: yaml.Node

    def line(self, loc: Sequence[Any]) -> int:
        """The line of the value at ``loc`` (a pydantic error location), or of its nearest parent."""
        node = self.root
        for key in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                child = node.value[key] if key < len(node.value) else None
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def fail(self, loc: Sequence[Any], message: str, hint: str | None = None) -> CorpusError:
        return CorpusError(self.path, message, line=self.line(loc), hint=hint)


def _read(path: Path) -> tuple[AnnotationFile, _Source]:
    _, data, root = read_yaml(path)
    if root is None:
        raise CorpusError(path, "the file is empty.", hint="Give doc: and provisions:.")
    source = _Source(path, root)
    try:
        return AnnotationFile.model_validate(data), source
    except ValidationError as err:
        first = err.errors()[0]
        loc = [p for p in first["loc"] if not str(p).startswith("function-after")]
        where = ".".join(str(p) for p in loc) or "file"
        raise source.fail(
            loc,
            f"{where}: {first['msg']}.",
            hint="See ingest/annotations/schema.py for the fields and their values.",
        ) from None


@dataclass
class Annotations:
    """Every checked provision, by the unit (with its wording) it belongs to."""

    by_unit: dict[CitationId, list[Provision]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def of(self, unit: CitationId) -> list[Provision]:
        return self.by_unit.get(unit, [])


class _Units:
    """The parsed chunks of one document, by (unit, language)."""

    def __init__(self, doc: str, chunks: Iterable[Chunk]) -> None:
        self.doc = doc
        self.by_unit: dict[CitationId, dict[str, Chunk]] = {}
        for c in chunks:
            if c.doc == doc:
                self.by_unit.setdefault(c.cid.unit, {})[c.lang] = c
        versions = sorted({u.version for u in self.by_unit if u.version})
        self.wordings: list[str | None] = list(versions) or [None]

    def texts(self, locator: str, version: str | None) -> dict[str, str] | None:
        """The provision's text in each language, or None when it does not exist."""
        cid = CitationId(self.doc, locator, version)
        chunks = self.by_unit.get(cid.unit)
        if not chunks:
            return None
        out = {}
        for lang, chunk in chunks.items():
            if cid.locator == cid.unit.locator:
                out[lang] = chunk.text
                continue
            part = next((p for p in chunk.parts if p.locator == cid.locator), None)
            if part is None:
                return None
            out[lang] = chunk.span_text(part)
        return out


def _check_words(
    source: _Source, loc: list[Any], words: Words, texts: dict[str, str], label: str
) -> None:
    given = dict(words.items())
    for lang, _text in texts.items():
        if lang not in given:
            raise source.fail(loc, f"{label} has no {lang} words; the unit has a {lang} text.")
    for lang, said in given.items():
        if lang not in texts:
            raise source.fail(
                [*loc, lang], f"{label} gives {lang} words; the unit has no {lang} text."
            )
        if _flat(said) not in _flat(texts[lang]):
            raise source.fail(
                [*loc, lang],
                f"{label}: the {lang} words {said!r} are not in the text of the provision.",
                hint="Quote the text exactly (whitespace may differ).",
            )


def _check(spec: AnnotationFile, source: _Source, chunks: list[Chunk]) -> Annotations:
    units = _Units(spec.doc, chunks)
    rules = _Units("rules", chunks)
    if not units.by_unit:
        raise source.fail(["doc"], f"no document {spec.doc!r} in the corpus.")
    out = Annotations(files=[source.path])
    seen: set[tuple[str, str | None]] = set()
    for i, p in enumerate(spec.provisions):
        here: list[Any] = ["provisions", i]
        wordings: list[str | None] = list(p.wordings) if p.wordings else list(units.wordings)
        for version in wordings:
            if (p.id, version) in seen:
                raise source.fail([*here, "id"], f"{p.id} ({version}) is annotated twice.")
            seen.add((p.id, version))
            texts = units.texts(p.id, version)
            if texts is None:
                raise source.fail(
                    [*here, "id"],
                    f"there is no provision {p.id} in {spec.doc} {version or ''}".rstrip() + ".",
                )
            for kind, facts in (("facts", p.facts), ("proposed", p.proposed)):
                for j, fact in enumerate(facts):
                    _check_words(
                        source, [*here, kind, j, "words"], fact.words, texts, f"{p.id} {kind}[{j}]"
                    )
            for j, sanction in enumerate(p.sanctions):
                for k, target in enumerate(sanction.punishes):
                    if rules.texts(target, version) is None:
                        raise source.fail(
                            [*here, "sanctions", j, "punishes", k],
                            f"{p.id} punishes {target}, which does not exist in the {version} wording.",
                        )
                if sanction.breach is not None:
                    loc = [*here, "sanctions", j, "breach"]
                    _check_words(source, loc, sanction.breach, texts, f"{p.id} breach")
                for k, measure in enumerate(sanction.measures):
                    loc = [*here, "sanctions", j, "measures", k, "words"]
                    _check_words(
                        source, loc, measure.words, texts, f"{p.id} measure {measure.type}"
                    )
            for k, target in enumerate(p.revises):
                if not any(rules.texts(target, v) is not None for v in rules.wordings):
                    raise source.fail(
                        [*here, "revises", k],
                        f"{p.id} revises {target}, which is not a provision of the Rules.",
                    )
            unit = CitationId(spec.doc, p.id, version).unit
            out.by_unit.setdefault(unit, []).append(p)
    return out


def load_annotations(corpus_dirs: Sequence[Path], chunks: list[Chunk]) -> Annotations:
    """The checked annotations of every document that has a file (none is required)."""
    result = Annotations()
    docs = {c.doc for c in chunks}
    for folder in corpus_dirs:
        for path in sorted((folder / FOLDER).glob("*.yaml")):
            spec, source = _read(path)
            if spec.doc != path.stem:
                raise source.fail(
                    ["doc"], f"doc is {spec.doc!r} but the file is named {path.name}."
                )
            if spec.doc not in docs:
                raise source.fail(["doc"], f"no document {spec.doc!r} in the manifest.")
            found = _check(spec, source, chunks)
            for unit, provisions in found.by_unit.items():
                result.by_unit.setdefault(unit, []).extend(provisions)
            result.files.append(path)
    return result
