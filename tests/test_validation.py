"""Citation validation and the stream filter, on hand-made documents (fast tier)."""

from __future__ import annotations

from langchain_core.documents import Document

from assistant.validate import Resolver, StreamFilter, rewrite_markers, unsupported_sentences

DOCS = [
    Document(
        page_content="Article 4 …",
        metadata={"id": "rules@2024#art-4", "doc": "rules", "version": "2024", "locator": "art-4"},
    ),
    Document(
        page_content="II.1 …",
        metadata={"id": "explanation#II.1", "doc": "explanation", "locator": "II.1"},
    ),
]


def test_markers_are_renumbered_by_first_use_and_invented_ones_dropped() -> None:
    resolver = Resolver(DOCS)
    text = rewrite_markers("First [2]. Then [1][2]. Invented [7] and [rules@2024#art-9].", resolver)
    assert text == "First [1]. Then [2][1]. Invented and."
    assert resolver.order == [1, 0] and resolver.dropped == ["7", "rules@2024#art-9"]


def test_markers_may_name_ids_with_or_without_version() -> None:
    resolver = Resolver(DOCS)
    text = rewrite_markers("A [rules#art-4]. B [explanation#II.1]. C [rules@2011#art-4].", resolver)
    assert text == "A [1]. B [2]. C." and resolver.dropped == ["rules@2011#art-4"]


def test_brackets_that_are_not_markers_stay() -> None:
    assert rewrite_markers("See [the draft] and [1]", Resolver(DOCS)) == "See [the draft] and [1]"


def test_stream_filter_holds_back_an_open_marker() -> None:
    filt = StreamFilter(DOCS)
    assert filt.feed("Kept for 60 days [") == "Kept for 60 days "
    assert filt.feed("9] and [") == " and "
    assert filt.feed("2]. End") == "[1]. End"
    assert filt.flush() == "" and filt.resolver.dropped == ["9"]


def test_unsupported_sentences_are_the_ones_without_a_marker() -> None:
    text = "Backups are kept for 60 days [1]. They are kept forever.\nDone. [1]"
    assert unsupported_sentences(text, "n/a") == ["They are kept forever."]
