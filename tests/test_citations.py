import pytest

from ingest.citations import ChunkKey, CitationId, QuoteRef
from ingest.errors import InvalidCitationId
from ingest.numerals import en_words_to_int, int_to_zh, roman_to_int, zh_to_int


@pytest.mark.parametrize(
    "text",
    [
        "rules@2024#art-14",
        "rules@2011#art-1",
        "rules#art-27",
        "explanation#preamble",
        "explanation#II.4",
        "explanation#I",
        "draft-2012#art-15",
    ],
)
def test_ids_round_trip(text: str) -> None:
    assert str(CitationId.parse(text)) == text


def test_parts_of_an_id() -> None:
    cid = CitationId.parse("rules@2024#art-15.i6")
    assert (cid.doc, cid.version, cid.locator) == ("rules", "2024", "art-15.i6")
    assert str(cid.unit) == "rules@2024#art-15"
    assert str(CitationId.parse("explanation#II.4").unit) == "explanation#II.4"
    assert CitationId.parse("rules@2011#art-14.p2").article_number == 14
    assert str(CitationId.article(5, "2024")) == "rules@2024#art-5"
    assert CitationId.parse("explanation#II.4").article_number is None
    assert str(CitationId.draft_article(15)) == "draft-2012#art-15"
    assert str(CitationId.article(15, "2024").sub("item", 6)) == "rules@2024#art-15.i6"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "art-14",
        "rules@#art-1",
        "rules@2024",
        "Rules#art-1",
        "rules#",
        "rules@2024#art 14",
        "[1]",
    ],
)
def test_malformed_ids_are_refused(bad: str) -> None:
    with pytest.raises(InvalidCitationId):
        CitationId.parse(bad)


def test_gold_matching_counts_version_only_when_gold_names_one() -> None:
    assert CitationId.parse("rules#art-14").matches("rules@2024#art-14")
    assert CitationId.parse("rules#art-14").matches("rules@2011#art-14.p2")
    assert CitationId.parse("rules@2024#art-5").matches("rules@2024#art-5")
    assert not CitationId.parse("rules@2024#art-5").matches("rules@2011#art-5")
    assert not CitationId.parse("rules#art-14").matches("rules#art-4")
    assert not CitationId.parse("explanation#II.4").matches("explanation#II.5")


def test_numerals() -> None:
    assert [zh_to_int(int_to_zh(n)) for n in range(1, 120)] == list(range(1, 120))
    assert zh_to_int("二十七") == 27 and zh_to_int("十") == 10 and int_to_zh(14) == "十四"
    assert en_words_to_int("fourteen") == 14 and en_words_to_int("twenty-seven") == 27
    assert en_words_to_int("twenty first") == 21 and en_words_to_int("banana") is None
    assert roman_to_int("II") == 2


def test_chunk_keys_and_quote_refs_round_trip() -> None:
    key = ChunkKey(CitationId.parse("rules@2024#art-14"), "zh")
    assert ChunkKey.parse(str(key)) == key and key.unit.article_number == 14
    quote = QuoteRef(key, 120, 180)
    assert QuoteRef.parse(str(quote)) == quote
    for bad in ("rules@2024#art-14", "rules@2024#art-14:", "x|1|2", "rules#art-1:en|a|2"):
        with pytest.raises(InvalidCitationId):
            QuoteRef.parse(bad) if "|" in bad else ChunkKey.parse(bad)


def test_same_unit_and_versions() -> None:
    a, b = CitationId.parse("rules@2011#art-5"), CitationId.parse("rules@2024#art-5.p1")
    assert a.same_unit(b) and not a.matches(b) and CitationId.parse("rules#art-5").matches(b)
    assert a.with_version("2024") == b.unit and a.without_version() == CitationId("rules", "art-5")
    assert not a.same_unit("rules@2011#art-15")
