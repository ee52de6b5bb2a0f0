import pytest

from ingest.citations import CitationId, article_id, article_number
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
    assert article_number(CitationId.parse("rules@2011#art-14.p2")) == 14
    assert article_id("2024", 5) == "rules@2024#art-5"


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
