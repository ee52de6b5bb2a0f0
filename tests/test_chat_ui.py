"""The Gradio chat on a real server: through gradio_client and in a real headless browser."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from gradio_client import Client


@pytest.fixture(scope="module")
def client(chat_url: str) -> Client:
    return Client(chat_url, verbose=False)


def test_client_asks_and_gets_citations(client: Client) -> None:
    answer = client.predict("How long must record backups be kept?", [], api_name="/ask")
    assert "must keep record backups for 60 days. [1]" in answer["answer"].splitlines()[0]
    assert answer["citations"][0]["id"] == "rules@2024#art-14"


def test_client_follow_up(client: Client) -> None:
    first = "Where must a website show its licence number?"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "…"}]
    answer = client.predict("And what is the fine if it doesn't?", history, api_name="/ask")
    assert answer["citations"][0]["id"] == "rules@2024#art-22"


def test_client_abstention(client: Client) -> None:
    answer = client.predict("What does Article 99 of the Rules say?", [], api_name="/ask")
    assert answer["abstained"] and answer["citations"] == []


def test_client_over_long_question_is_a_clean_error(client: Client) -> None:
    with pytest.raises(Exception) as info:
        client.predict("x" * 5000, [], api_name="/ask")
    assert "limit is 4,000" in str(info.value)
    assert "Traceback" not in str(info.value)


def _ask(page, url: str, question: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#regqa-input textarea")
    page.fill("#regqa-input textarea", question)
    page.click("#regqa-send")


def test_browser_answer_chip_and_panel(browser, chat_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    _ask(page, chat_url, "How long must record backups be kept?")
    chip = page.locator("a.regqa-chip").first
    chip.wait_for(timeout=30_000)
    assert "60 days" in page.locator("#regqa-chat").inner_text()
    assert chip.inner_text() == "Art. 14 (2024)"
    bot = page.locator("#regqa-chat .message-row.bot-row").last
    assert bot.locator("a.regqa-chip").count() == 1  # once per cited unit, not per marker
    page.locator("#regqa-panel").get_by_text("rules@2024#art-14").wait_for(timeout=10_000)
    chip.click()
    page.locator("#regqa-panel mark.regqa-span").first.wait_for(timeout=10_000)
    marks = page.locator("#regqa-panel mark.regqa-span").all_inner_texts()
    assert any("60 days" in m for m in marks) and any("60日" in m for m in marks)
    # only the quoted span is highlighted, not the whole article
    whole = page.locator('#regqa-panel .regqa-col[lang="en"] .regqa-text').inner_text()
    marked = page.locator('#regqa-panel .regqa-col[lang="en"] mark.regqa-span').inner_text()
    assert 0 < len(marked) < len(whole) * 0.8
    panel = page.locator("#regqa-panel").inner_text()
    assert "Rules · 2024 wording · in force" in panel and "60日" in panel
    title = page.locator("#regqa-panel h3").inner_text()
    assert title == "Article 14 · Rules, 2024 wording, in force"
    assert page.locator("#regqa-panel .regqa-id").inner_text() == "rules@2024#art-14"
    headings = page.locator("#regqa-panel h4").all_inner_texts()
    assert headings and not any("第十四条" in h for h in headings)
    # a second question: once answered, it is in view at the top of the chat
    page.fill("#regqa-input textarea", "What is the fine for not displaying the ICP number?")
    page.click("#regqa-send")
    page.wait_for_function(
        "document.querySelectorAll('#regqa-chat .message-row.bot-row a.regqa-chip').length >= 2",
        timeout=30_000,
    )
    page.wait_for_timeout(300)
    in_view = page.evaluate(
        """() => {
          const chat = document.querySelector('#regqa-chat').getBoundingClientRect();
          const rows = document.querySelectorAll('#regqa-chat .message-row.user-row');
          const q = rows[rows.length - 1].getBoundingClientRect();
          return q.top >= chat.top - 1 && q.bottom <= chat.bottom + 1 && q.top >= 0;
        }"""
    )
    assert in_view, "the answered question is not in view"
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
    assert (tmp_path / "chat.png").stat().st_size > 10_000
    assert outside == [], f"the page loaded from outside the server: {outside[:3]}"


def test_browser_chinese_renders_in_a_cjk_font(browser, chat_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _ask(page, chat_url, "经营性互联网信息服务实行什么制度？")
    chip = page.locator("a.regqa-chip").first
    chip.wait_for(timeout=30_000)
    chip.click()
    page.locator('#regqa-panel .regqa-col[lang="zh"] mark.regqa-span').wait_for(timeout=10_000)
    text = page.locator('#regqa-panel .regqa-col[lang="zh"] .regqa-text').inner_text()
    assert "许可制度" in text
    family = page.evaluate(
        "getComputedStyle(document.querySelector('#regqa-panel .regqa-col[lang=zh]')).fontFamily"
    )
    assert "Noto Sans CJK SC" in family
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '许可制度')")
    page.screenshot(path=str(tmp_path / "chinese.png"), full_page=True)


def test_browser_memo_and_chat_export(browser, chat_url: str, tmp_path: Path) -> None:
    import io

    from docx import Document

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _ask(page, chat_url, "How long must record backups be kept?")
    page.locator("a.regqa-chip").first.wait_for(timeout=30_000)
    memo = page.locator("#regqa-memo")
    page.wait_for_function(
        "!document.querySelector('#regqa-memo').disabled && "
        "!document.querySelector('#regqa-memo button, #regqa-memo')?.hasAttribute('disabled')",
        timeout=15_000,
    )
    with page.expect_download(timeout=15_000) as got:
        memo.click()
    data = Path(got.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "rules@2024#art-14" in text and "60 days" in text and "60日" in text
    with page.expect_download(timeout=15_000) as got:
        page.locator("#regqa-export").click()
    exported = Path(got.value.path()).read_text("utf-8")
    assert (
        "## How long must record backups be kept?" in exported and "`rules@2024#art-14`" in exported
    )


def test_browser_wording_comparison_by_tokens(browser, chat_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _ask(page, chat_url, "What did Article 5 say before the 2024 revision?")
    page.locator("a.regqa-chip").first.wait_for(timeout=30_000)
    page.locator("a.regqa-chip").first.click()
    diff = page.locator('#regqa-panel .regqa-diff[lang="en"]')
    diff.wait_for(timeout=10_000)
    deleted = " ".join(diff.locator("del").all_inner_texts())
    inserted = " ".join(diff.locator("ins").all_inner_texts())
    assert "healthcare" in deleted and "medical devices" in deleted
    assert "publishing" not in deleted and "publishing" not in inserted  # unchanged words stay
    pieces = diff.evaluate("d => Array.from(d.childNodes).map(n => [n.nodeName, n.textContent])")
    # whole tokens only: where unchanged text meets a change, never inside a word
    for (tag_a, a), (tag_b, b) in itertools.pairwise(pieces):
        if "#text" in (tag_a, tag_b) and a and b:
            assert not (a[-1].isalpha() and b[0].isalpha()), (a[-20:], b[:20])


def test_browser_obligations_tab(browser, chat_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(chat_url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="Obligations").click()
    rows = page.locator("#regqa-register tr[data-id]")
    rows.first.wait_for(timeout=15_000)
    assert rows.count() == 30
    page.fill("#regqa-register-actor input, #regqa-register-actor textarea", "access")
    page.press("#regqa-register-actor input, #regqa-register-actor textarea", "Enter")
    page.wait_for_function(
        "document.querySelectorAll('#regqa-register tr[data-id]').length === 2", timeout=15_000
    )
    assert "60 days" in page.locator("#regqa-register").inner_text()
    page.locator("#regqa-register a.regqa-chip", has_text="Art. 21").first.click()
    page.locator("#regqa-panel").get_by_text("rules@2024#art-21").wait_for(timeout=10_000)
    marks = page.locator("#regqa-panel mark.regqa-span").all_inner_texts()
    assert any("suspension of business" in m for m in marks)
    page.screenshot(path=str(tmp_path / "obligations.png"), full_page=True)


def test_browser_abstention_and_html_shown_as_text(browser, chat_url: str) -> None:
    page = browser.new_page()
    _ask(page, chat_url, "<b>bold</b><script>window.__pwned = 1</script> What is the weather?")
    page.locator(".regqa-abstain").wait_for(timeout=30_000)
    chat = page.locator("#regqa-chat").inner_text()
    assert "<script>" in chat and "<b>bold</b>" in chat  # shown as text, not rendered
    assert page.evaluate("window.__pwned === undefined")


def test_feedback_export(tmp_path: Path, assistant) -> None:
    from assistant.feedback import FeedbackStore, export_yaml
    from evals.dataset import load_dataset

    store = FeedbackStore(tmp_path)
    answer = assistant.ask("How long must record backups be kept?")
    store.add(answer, [], "up")
    store.add(assistant.ask("Write a poem"), [], "down")
    (tmp_path / "feedback.jsonl").open("a").write(
        '{"torn": '
    )  # a crash mid-line loses nothing else
    out = tmp_path / "cases.yaml"
    assert export_yaml(store, out) == 2
    cases = load_dataset(out)
    assert cases[0].citations == ["rules@2024#art-14"] and "vote-down" in cases[1].tags
    assert json.loads((tmp_path / "feedback.jsonl").read_text().splitlines()[0])["vote"] == "up"
