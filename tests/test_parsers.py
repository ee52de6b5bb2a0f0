"""Structure parsers on the real corpus files."""

from __future__ import annotations

import pytest

from ingest.manifest import plan_corpus
from ingest.parsers import parse_file, read_source
from ingest.units import Chunk

from .conftest import CORPUS

NOISE = [
    "Leave a Reply",
    "Log Out",
    "Like this",
    "WordPress.com",
    "Posted on",
    "Connecting to",
    "One thought on",
    "Fill in your details",
]


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[Chunk]]:
    plan = plan_corpus([CORPUS])
    return {
        f"{d.entry.doc}@{d.entry.version}:{d.entry.lang}": parse_file(d.path, d.entry)
        for d in plan.found
    }


@pytest.mark.parametrize(
    "key", ["rules@2011:en", "rules@2011:zh", "rules@2024:en", "rules@2024:zh"]
)
def test_all_27_articles(parsed: dict[str, list[Chunk]], key: str) -> None:
    version = key.split("@")[1].split(":")[0]
    assert [c.id for c in parsed[key]] == [f"rules@{version}#art-{n}" for n in range(1, 28)]


@pytest.mark.parametrize("key", ["rules@2024:en", "rules@2024:zh", "rules@2011:zh"])
def test_paragraphs_and_items(parsed: dict[str, list[Chunk]], key: str) -> None:
    arts = {c.locator: c for c in parsed[key]}
    assert [p.locator for p in arts["art-8"].parts] == [
        "art-8.p1",
        "art-8.i1",
        "art-8.i2",
        "art-8.i3",
        "art-8.p2",
    ]
    assert [p.kind for p in arts["art-15"].parts].count("item") == 9
    assert len(arts["art-14"].parts) == 2
    assert len(arts["art-19"].parts) == 2
    assert [p.locator for p in arts["art-6"].parts][-1] == "art-6.i3"


def test_offsets_round_trip(parsed: dict[str, list[Chunk]]) -> None:
    for chunks in parsed.values():
        source = read_source(CORPUS / chunks[0].source, 10**7)
        for c in chunks:
            assert source[c.start : c.end] == c.text
            for span in c.parts:
                assert source[span.start : span.end] == c.span_text(span)
                assert c.start <= span.start < span.end <= c.end
            for link in c.links:
                assert c.start <= link.start < link.end <= c.end


def test_languages_align_and_texts_are_right(parsed: dict[str, list[Chunk]]) -> None:
    zh = {c.locator: c for c in parsed["rules@2024:zh"]}
    en = {c.locator: c for c in parsed["rules@2024:en"]}
    assert zh.keys() == en.keys()
    assert zh["art-14"].title == "第十四条" and en["art-14"].title == "Article 14"
    assert "60日" in zh["art-14"].text and "60 days" in en["art-14"].text
    assert "许可制度" in zh["art-4"].text and "licensing system" in en["art-4"].text


def test_only_article_5_differs_between_versions(parsed: dict[str, list[Chunk]]) -> None:
    for lang in ("en", "zh"):
        old = {c.locator: c.text for c in parsed[f"rules@2011:{lang}"]}
        new = {c.locator: c.text for c in parsed[f"rules@2024:{lang}"]}
        normalise = str.maketrans("（）", "()")
        changed = [
            loc for loc in old if old[loc].translate(normalise) != new[loc].translate(normalise)
        ]
        assert changed == ["art-5"], lang
    assert "医疗保健" in {c.locator: c for c in parsed["rules@2011:zh"]}["art-5"].text
    assert "医疗保健" not in {c.locator: c for c in parsed["rules@2024:zh"]}["art-5"].text


def test_explanation_units(parsed: dict[str, list[Chunk]]) -> None:
    units = parsed["explanation@None:en"]
    assert [c.id for c in units] == [
        "explanation#preamble",
        "explanation#I",
        "explanation#I.1",
        "explanation#I.2",
        "explanation#I.3",
        "explanation#II",
        *(f"explanation#II.{n}" for n in range(1, 8)),
    ]
    by = {c.locator: c for c in units}
    assert by["II.4"].text.startswith("4, Strengthening the record preservation duty")
    assert "six months" in by["II.4"].text
    assert by["II.4"].parent == "explanation#II"
    assert by["preamble"].text.startswith("The existing")
    assert by["II"].text.startswith("II, The main content") and "40 articles" in by["II"].text


def test_no_page_noise_in_any_unit(parsed: dict[str, list[Chunk]]) -> None:
    for chunks in parsed.values():
        for c in chunks:
            for noise in NOISE:
                assert noise not in c.text, (c.id, noise)


def test_links(parsed: dict[str, list[Chunk]]) -> None:
    for key in ("rules@2024:en", "rules@2024:zh"):
        arts = {c.locator: c for c in parsed[key]}
        assert [link.target for link in arts["art-16"].links] == ["rules@2024#art-15"]
        assert {link.target for link in arts["art-20"].links} == {"rules@2024#art-15"}
        assert all(link.in_corpus for link in arts["art-21"].links)
    expl = {c.locator: c for c in parsed["explanation@None:en"]}
    assert [(link.target, link.in_corpus) for link in expl["II.1"].links] == [
        ("draft-2012#art-10", False)
    ]
    assert [link.target for link in expl["II.5"].links] == ["draft-2012#art-15"]
