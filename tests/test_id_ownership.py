"""Citation ids and chunk keys are built, printed, parsed and split in ingest/citations.py only.

Everything else goes through ``CitationId``, ``ChunkKey`` and ``QuoteRef``; this test scans the
project's Python sources for the string handling that would bypass them.
"""

from __future__ import annotations

import re

from .conftest import ROOT

OWNER = ROOT / "ingest" / "citations.py"
PACKAGES = ("ingest", "assistant", "evals", "benchmarks", "regqa")

#: Ways of writing or taking apart an id by hand.
PATTERNS = {
    "builds an id in an f-string": re.compile(r"""f["'][^"'\n]*(?:\}#|@\{|#\{|\}@)"""),
    "joins an id by hand": re.compile(r"""["'][@#]["']\s*\+|\+\s*["'][@#]["']"""),
    "builds a chunk key in an f-string": re.compile(r"""f["'][^"'\n]*\{[^}\n]*\}:\{[^}\n]*lang"""),
    "writes an article locator": re.compile(r"""["']#?art-["'{]|["'][a-z0-9@.-]*#art-"""),
    "writes an id literal": re.compile(r"""["'](?:rules|explanation|draft-2012)(?:@[\w.-]+)?#"""),
    "splits an id": re.compile(r"""\.(?:r?split|r?partition)\(\s*["'][#@]["']"""),
    "splits a chunk key": re.compile(r"""\.r?split\(\s*["']:["']\s*,\s*1\)"""),
    "tests an id's prefix": re.compile(
        r"""\.(?:startswith|removeprefix)\(\s*f?["'](?:rules|explanation|draft-2012|art-)"""
    ),
}


def violations(text: str) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for what, pattern in PATTERNS.items():
            if pattern.search(line):
                out.append((number, what))
    return out


def test_the_checker_catches_hand_made_ids() -> None:
    bad = [
        'x = f"{doc}@{version}#{locator}"',
        'key = f"{c.id}:{c.lang}"',
        'ref = "rules@2024#art-" + str(n)',
        "key = doc + '@' + version",
        'doc = unit_id.split("@")[0]',
        'head, _, loc = unit_id.partition("#")',
        'lang = chunk_id.rsplit(":", 1)[1]',
        'if h.unit.startswith("explanation#"):',
        'n = locator.removeprefix("art-")',
    ]
    for line in bad:
        assert violations(line), line
    assert not violations('cid = CitationId.parse(text); label = f"Article {n}"')


def test_no_code_outside_the_citations_module_formats_or_splits_ids() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == OWNER:
                continue
            for number, what in violations(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(ROOT)}:{number}: {what}")
    assert not found, "Use ingest.citations instead:\n" + "\n".join(found)
