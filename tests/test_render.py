"""The chat's HTML: one chip per cited unit, the panel's human title (fast tier)."""

from __future__ import annotations

import re

from assistant.surfaces.render import answer_html, chip_ref, panel_html


def test_one_chip_per_cited_unit(tiny_assistant) -> None:
    answer = tiny_assistant.ask(
        "How long must internet access service providers keep record backups?"
    )
    assert answer.answer.count("[1]") >= 2  # the lead and the quote both carry the marker
    html = answer_html(answer)
    assert html.count('class="regqa-chip"') == len(answer.citations)
    assert "[1]" not in html


def test_panel_title_is_human_and_the_id_small(tiny_assistant) -> None:
    answer = tiny_assistant.ask(
        "How long must internet access service providers keep record backups?"
    )
    html = panel_html(tiny_assistant.index, chip_ref(answer.citations[0]))
    assert "<h3>Article 4 · Rules, 2024 wording, in force</h3>" in html
    assert '<div class="regqa-id">rules@2024#art-4</div>' in html
    headings = re.findall(r"<h4>(.*?)</h4>", html)
    assert headings and not any("第" in h or "Article" in h for h in headings)
