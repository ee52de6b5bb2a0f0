"""The one diff of two wordings (fast tier)."""

from __future__ import annotations

from ingest.wording import Piece, changed_stretch, compare, same_text

OLD = (
    "Services such as news, publishing, education, healthcare, medicines and medical devices, which"
)
NEW = "Services such as news, publishing and education, which"


def test_english_is_compared_by_words_with_punctuation_apart() -> None:
    pieces = compare(OLD, NEW, "en")
    assert "".join(p.text for p in pieces if p.tag != "insert") == OLD
    assert "".join(p.text for p in pieces if p.tag != "delete") == NEW
    deleted = " ".join(p.text for p in pieces if p.tag == "delete")
    assert {"healthcare", "medicines", "medical", "devices"} <= set(
        deleted.replace(",", " ").split()
    )
    changed = [p.text for p in pieces if p.tag != "equal"]
    assert not any(word in text for text in changed for word in ("news", "publishing", "Services"))


def test_chinese_is_compared_by_characters_and_bracket_width_is_ignored() -> None:
    pieces = compare("（一）新闻、出版、教育、医疗保健等", "(一)新闻、出版、教育等", "zh")
    assert [p for p in pieces if p.tag != "equal"] == [Piece("delete", "、医疗保健")]
    assert same_text("（一）甲", "(一)甲 ") and not same_text("甲", "乙")


def test_changed_stretch_summarises_with_a_little_context() -> None:
    removed, added = changed_stretch(OLD, NEW, "en")
    assert removed == "as news, publishing, education, healthcare, medicines and medical devices"
    assert added == "as news, publishing and education"
    assert changed_stretch("新闻、出版、教育、医疗保健和药品等", "新闻、出版、教育等", "zh") == (
        "医疗保健和药品",
        "",
    )
    assert changed_stretch("same", "same", "en") == ("", "")
