"""Property tests: parsers and id grammar take any text to a result or a clean error."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.query import analyze
from assistant.questions import clean_question
from ingest.citations import CitationId
from ingest.errors import CorpusError, InvalidCitationId, QuestionError
from ingest.manifest import DocumentEntry
from ingest.parsers import parse_text

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _entry(parser: str, lang: str = "en") -> DocumentEntry:
    return DocumentEntry(
        doc="rules",
        version="2024",
        lang=lang,
        title="t",
        date="d",
        status="in_force",
        source="s",
        file="f.md",
        parser=parser,
    )  # type: ignore[arg-type]


def _check(text: str, parser: str, lang: str = "en") -> None:
    try:
        chunks = parse_text(Path("f.md"), text, _entry(parser, lang))
    except CorpusError as err:
        assert "f.md" in str(err)
        return
    for c in chunks:
        assert text[c.start : c.end] == c.text
        for span in c.parts:
            assert text[span.start : span.end] == c.span_text(span)


@FAST
@given(st.text())
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    for parser, lang in (("rules-en", "en"), ("rules-zh", "zh"), ("explanation-en", "en")):
        _check(text, parser, lang)


paragraph = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=60
).map(lambda s: s.replace("\n", " ").strip() or "x")


@FAST
@given(
    st.lists(st.lists(paragraph, min_size=1, max_size=4), min_size=1, max_size=12), st.booleans()
)
def test_generated_rules_round_trip(articles: list[list[str]], items: bool) -> None:
    blocks = []
    for n, paras in enumerate(articles, start=1):
        body = [f"({k}) {p}" if items and k > 1 else p for k, p in enumerate(paras, start=1)]
        blocks.append(f"Article {n} " + "\n\n".join(body))
    text = "# Title\n\n" + "\n\n".join(blocks) + "\n"
    chunks = parse_text(Path("f.md"), text, _entry("rules-en"))
    assert [c.locator for c in chunks] == [f"art-{n}" for n in range(1, len(articles) + 1)]
    for c in chunks:
        assert text[c.start : c.end] == c.text


@FAST
@given(st.text(max_size=80))
def test_citation_ids_parse_or_refuse(text: str) -> None:
    try:
        cid = CitationId.parse(text)
    except InvalidCitationId:
        return
    assert CitationId.parse(str(cid)) == cid


@FAST
@given(
    st.sampled_from(["rules", "explanation", "draft-2012"]),
    st.sampled_from([None, "2011", "2024"]),
    st.integers(1, 99),
)
def test_generated_ids_round_trip(doc: str, version: str | None, n: int) -> None:
    cid = CitationId(doc, f"art-{n}", version)
    assert CitationId.parse(str(cid)) == cid and cid.matches(str(cid))


@FAST
@given(st.text(max_size=300))
def test_question_analysis_never_crashes(text: str) -> None:
    try:
        clean = clean_question(text, 4000)
    except QuestionError:
        return
    analysis = analyze(clean, explanation={"I", "II", "II.4"})
    assert analysis.lang in ("en", "zh")
