"""The corpus manifest: which files make up the corpus and what they are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, field_validator

from ingest.citations import document_label
from ingest.errors import CorpusError
from ingest.yamlfile import read_yaml

ParserName = Literal["rules-en", "rules-zh", "explanation-en"]
Status = Literal["in_force", "superseded_wording", "explanation_of_draft"]
MANIFEST_NAME = "manifest.yaml"


class DocumentEntry(BaseModel):
    doc: str
    version: str | None = None
    lang: Literal["en", "zh"]
    title: str
    date: str
    status: Status
    source: str
    file: str
    parser: ParserName
    expect_units: int | None = None
    promulgated: str | None = None
    effective: str | None = None
    amended_by: str | None = None
    retrieved: str | None = None

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if Path(value).name != value:
            raise ValueError("must be a file name, not a path")
        return value

    @property
    def label(self) -> str:
        return f"{document_label(self.doc, self.version)} ({self.lang})"


class Manifest(BaseModel):
    schema_: int = 1
    documents: list[DocumentEntry]


@dataclass(frozen=True)
class LocatedDocument:
    entry: DocumentEntry
    path: Path


@dataclass(frozen=True)
class CorpusPlan:
    """The manifest resolved against its folder: every file it names, located."""

    manifest_path: Path
    found: list[LocatedDocument]


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def load_manifest(path: Path) -> Manifest:
    if not path.is_file():
        raise CorpusError(
            path,
            "no manifest here.",
            hint="Point --corpus or REGQA_CORPUS_DIR at the corpus folder.",
        )
    raw, data, _ = read_yaml(path)
    if isinstance(data, dict) and "schema" in data:
        data["schema_"] = data.pop("schema")
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = first["loc"]
        line = None
        if len(loc) >= 2 and loc[0] == "documents" and isinstance(loc[1], int):
            docs = (data or {}).get("documents") or []
            entry = docs[loc[1]] if loc[1] < len(docs) else None
            if isinstance(entry, dict) and entry.get("file"):
                line = _line_of(raw, str(entry["file"]))
        field = ".".join(str(p) for p in loc)
        raise CorpusError(
            path,
            f"manifest field {field}: {first['msg']}.",
            line=line,
            hint="Each document needs doc, lang, title, date, status, source, file and a known "
            "parser (rules-en, rules-zh, explanation-en).",
        ) from None
    seen: set[tuple[str, str | None, str]] = set()
    for entry in manifest.documents:
        key = (entry.doc, entry.version, entry.lang)
        if key in seen:
            raise CorpusError(
                path,
                f"document {entry.label} is listed twice.",
                line=_line_of(raw, entry.file),
                hint="Give each document, version and language one entry.",
            )
        seen.add(key)
    return manifest


def plan_corpus(corpus_dirs: list[Path], manifest_path: Path | None = None) -> CorpusPlan:
    """Find the manifest in ``corpus_dirs`` (first hit wins) and each file it names beside it."""
    if manifest_path is None:
        candidates = [d / MANIFEST_NAME for d in corpus_dirs]
        manifest_path = next((c for c in candidates if c.is_file()), None)
        if manifest_path is None:
            where = ", ".join(str(d) for d in corpus_dirs) or "(none)"
            raise CorpusError(
                corpus_dirs[0] if corpus_dirs else Path("."),
                f"no {MANIFEST_NAME} in the corpus folders ({where}).",
                hint="Pass --corpus DIR with the folder that holds manifest.yaml.",
            )
    manifest = load_manifest(manifest_path)
    base = manifest_path.parent
    found: list[LocatedDocument] = []
    raw = manifest_path.read_text(encoding="utf-8")
    for entry in manifest.documents:
        path = base / entry.file
        if not path.exists():
            raise CorpusError(
                manifest_path,
                f"{entry.file} ({entry.label}) was not found in {base}.",
                line=_line_of(raw, entry.file),
                hint="Restore the file (git checkout -- corpus/) or remove its entry.",
            )
        found.append(LocatedDocument(entry, path))
    return CorpusPlan(manifest_path, found)
