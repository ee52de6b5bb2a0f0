"""The Gradio chat: streaming answers, citation chips, a side panel with the cited text.

Built by :func:`build_chat` from an :class:`~assistant.core.Assistant` (injected), launched by
``regqa chat``. Analytics are off and the page loads nothing from outside the server.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer import Answer
from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.memo import conversation_markdown, memo_of, to_docx
from assistant.obligations import build_register, wordings
from assistant.obligations.build import KINDS, in_force
from assistant.questions import clean_question
from assistant.settings import Settings
from assistant.surfaces.register_html import register_html
from assistant.surfaces.render import answer_html, chip_ref, panel_html
from ingest.errors import RegqaError

EXAMPLES = [
    "How long must record backups be kept?",
    "Do I need a licence to run a paid website?",
    "Where do I have to show my ICP number, and what is the fine if I don't?",
    "What did Article 5 say before the 2024 revision?",
    "How would the 2012 draft have changed log retention?",
    "经营性互联网信息服务实行什么制度？",
    "网站首页没挂备案号会被罚多少钱？",
]
PANEL_PLACEHOLDER = (
    '<div class="regqa-placeholder">Click a citation chip in an answer to read the '
    "cited article or section here, with the quoted words highlighted.</div>"
)
HINT = (
    "The corpus covers the Internet Information Service Management Rules (licensing, filing, "
    "record-keeping, content, penalties; 2011 and 2024 wordings) and the Explanation of the "
    "2012 revision draft."
)


def _asset(name: str) -> str:
    return resources.files("assistant.surfaces").joinpath(name).read_text("utf-8")


def _header(assistant: Assistant) -> str:
    docs = assistant.index.meta.get("documents", [])
    seen, parts = set(), []
    for d in docs:
        key = (d["doc"], d.get("version"))
        if key in seen:
            continue
        seen.add(key)
        if d["doc"] == "rules":
            parts.append(
                f"the Rules, {d['version']} wording ({d['date']}"
                f"{', in force' if d['status'] == 'in_force' else ''})"
            )
        else:
            parts.append(f"the Explanation of the 2012 revision draft ({d['date']})")
    return (
        '<div class="regqa-header"><h1>regqa — Internet Information Service Management Rules</h1>'
        f'<div class="regqa-disclaimer">Not legal advice. Answers quote and cite only: '
        f"{escape('; '.join(parts))}. The English text of the Rules is an unofficial translation; "
        "the Chinese text is authoritative.</div></div>"
    )


def build_chat(assistant: Assistant, settings: Settings | None = None) -> gr.Blocks:
    settings = settings or assistant.settings
    store = FeedbackStore(settings.data_dir)
    generators = assistant.generator_names()

    def respond(
        question: str,
        chat: list[dict[str, Any]],
        history: list[dict[str, str]],
        answers: list[dict[str, Any]],
        generator: str,
        show_trace: bool,
    ) -> Iterator[Any]:
        try:
            text = clean_question(question, settings.max_question_chars)
        except RegqaError as err:
            raise gr.Error(str(err)) from None
        chat = [
            *chat,
            {"role": "user", "content": escape(text)},
            {"role": "assistant", "content": "…"},
        ]
        yield chat, "", history, answers, gr.skip(), gr.skip(), gr.skip()
        streamed = ""
        try:
            for item in assistant.stream(text, history, generator or None):
                if isinstance(item, Answer):
                    chat[-1] = {
                        "role": "assistant",
                        "content": answer_html(item, show_trace, HINT if item.abstained else ""),
                    }
                    history = [
                        *history,
                        {"role": "user", "content": text},
                        {"role": "assistant", "content": item.answer},
                    ]
                    answers = [*answers, item.model_dump(mode="json")]
                    first = item.citations[0] if item.citations else None
                    panel = panel_html(assistant.index, chip_ref(first)) if first else gr.skip()
                    yield (chat, "", history, answers, panel, *files(item, history, answers))
                else:
                    streamed += item
                    chat[-1] = {"role": "assistant", "content": escape(streamed)}
                    yield chat, "", history, answers, gr.skip(), gr.skip(), gr.skip()
        except RegqaError as err:
            raise gr.Error(str(err)) from None

    reg_wordings = wordings(assistant.index)
    reg_default = in_force(assistant.index) if reg_wordings else None

    def show_register(wording: str | None, kind: str, actor: str) -> str:
        try:
            found = build_register(
                assistant.index, wording, actor.strip() or None, None if kind == "all" else kind
            )
        except RegqaError as err:
            return f'<div class="regqa-register"><p>{escape(str(err))}</p></div>'
        return register_html(assistant.index, found)

    explainers = [g for g in generators if g != "extractive"]

    def explain(
        chat: list[dict[str, Any]],
        history: list[dict[str, str]],
        answers: list[dict[str, Any]],
        generator: str,
    ) -> Iterator[Any]:
        last = Answer.model_validate(answers[-1]) if answers else None
        if last is None or last.abstained or not last.citations:
            raise gr.Error("Ask a question first: only an answer with citations can be explained.")
        name = generator if generator in explainers else explainers[0]
        ask = f"Explain the answer above ({name} model, from the same cited units)."
        chat = [
            *chat,
            {"role": "user", "content": escape(ask)},
            {"role": "assistant", "content": "…"},
        ]
        yield chat, history, answers
        streamed = ""
        try:
            for item in assistant.explain(last, name, history):
                if isinstance(item, Answer):
                    note = (
                        '<p class="regqa-hint">The model\'s text kept no supported sentence; '
                        "this is the extractive answer.</p>"
                        if item.fallback
                        else ""
                    )
                    chat[-1] = {"role": "assistant", "content": note + answer_html(item)}
                    history = [
                        *history,
                        {"role": "user", "content": ask},
                        {"role": "assistant", "content": item.answer},
                    ]
                    answers = [*answers, item.model_dump(mode="json")]
                else:
                    streamed += item
                    chat[-1] = {"role": "assistant", "content": escape(streamed)}
                yield chat, history, answers
        except RegqaError as err:
            raise gr.Error(str(err)) from None

    folder = Path(tempfile.mkdtemp(prefix="regqa-chat-"))

    def files(answer: Answer, history: list[dict[str, str]], answers: list[dict[str, Any]]) -> Any:
        """The memo of the last answer and the whole chat as Markdown, for the download
        buttons (the memo is made from regqa's own answer, as everywhere)."""
        stamp = uuid.uuid4().hex[:8]
        memo_file = folder / f"regqa-memo-{stamp}.docx"
        chat_file = folder / f"regqa-chat-{stamp}.md"
        earlier = history[:-2]  # the turns before this answer
        memo_file.write_bytes(to_docx(memo_of(assistant, answer, earlier)))
        past = [Answer.model_validate(a) for a in answers]
        chat_file.write_text(conversation_markdown(past), encoding="utf-8")
        memo_update = gr.update(value=str(memo_file), interactive=not answer.abstained)
        return memo_update, gr.update(value=str(chat_file), interactive=True)

    def show_panel(ref: str) -> str:
        return panel_html(assistant.index, ref or "")

    def feedback(
        answers: list[dict[str, Any]], history: list[dict[str, str]], data: gr.LikeData
    ) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        number = int(index) // 2  # user, assistant, user, assistant, …
        if not 0 <= number < len(answers):
            return
        vote = "up" if data.liked is True or data.liked == "Like" else "down"
        try:
            store.add(Answer.model_validate(answers[number]), history[: 2 * number], vote)
        except RegqaError as err:
            gr.Warning(str(err))
            return
        gr.Info("Thanks — your feedback was saved.")

    def api_ask(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        try:
            return assistant.ask(question, history or []).model_dump(mode="json")
        except RegqaError as err:
            raise gr.Error(str(err)) from None

    with gr.Blocks(title="regqa", analytics_enabled=False) as demo:
        gr.HTML(_header(assistant))
        with gr.Row():
            with gr.Column(scale=3), gr.Tabs():
                with gr.Tab("Chat", id="chat"):
                    chatbot = gr.Chatbot(
                        label="regqa",
                        height=540,
                        sanitize_html=False,
                        render_markdown=False,
                        elem_id="regqa-chat",
                        autoscroll=False,  # chat.js brings each answered question into view
                        feedback_options=("Like", "Dislike"),
                        placeholder="Ask about licensing, filing (bei'an), record "
                        "keeping, content rules, penalties, the 2012 draft…",
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            show_label=False,
                            scale=5,
                            elem_id="regqa-input",
                            placeholder="Ask a question in English or 中文…",
                            lines=1,
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="regqa-send")
                    with gr.Row():
                        memo_btn = gr.DownloadButton(
                            "Download memo (.docx)",
                            size="sm",
                            interactive=False,
                            elem_id="regqa-memo",
                        )
                        export_btn = gr.DownloadButton(
                            "Export chat (.md)",
                            size="sm",
                            interactive=False,
                            elem_id="regqa-export",
                        )
                    explain_btn = gr.Button(
                        "Explain the last answer",
                        elem_id="regqa-explain",
                        visible=bool(explainers),
                        size="sm",
                    )
                    gr.Examples(EXAMPLES, inputs=box, label="Examples")
                    with gr.Accordion("Settings", open=False):
                        generator = gr.Dropdown(
                            generators, value=settings.generator, label="Generator"
                        )
                        show_trace = gr.Checkbox(False, label="Show retrieval (ids and scores)")
                with gr.Tab("Obligations", id="obligations", elem_id="regqa-obligations-tab"):
                    with gr.Row():
                        reg_wording = gr.Dropdown(
                            reg_wordings, value=reg_default, label="Wording", scale=1
                        )
                        reg_kind = gr.Dropdown(["all", *KINDS], value="all", label="Kind", scale=1)
                        reg_actor = gr.Textbox(
                            label="Who (actor contains)",
                            placeholder="access, commercial, bulletin…",
                            scale=2,
                            elem_id="regqa-register-actor",
                        )
                    register = gr.HTML(
                        show_register(reg_default, "all", ""), elem_id="regqa-register"
                    )
            with gr.Column(scale=2):
                panel = gr.HTML(PANEL_PLACEHOLDER, elem_id="regqa-panel")
        ref_box = gr.Textbox(visible="hidden", elem_id="regqa-ref")
        ref_btn = gr.Button("open", visible="hidden", elem_id="regqa-ref-btn")
        history = gr.State([])
        answers = gr.State([])
        outputs = [chatbot, box, history, answers, panel, memo_btn, export_btn]
        inputs = [box, chatbot, history, answers, generator, show_trace]
        send.click(respond, inputs, outputs, api_visibility="private")
        box.submit(respond, inputs, outputs, api_visibility="private")
        ref_btn.click(show_panel, ref_box, panel, api_visibility="private")
        explain_btn.click(
            explain,
            [chatbot, history, answers, generator],
            [chatbot, history, answers],
            api_visibility="private",
        )
        chatbot.like(feedback, [answers, history], None, api_visibility="private")
        chatbot.clear(lambda: ([], [], PANEL_PLACEHOLDER), None, [history, answers, panel])
        for control in (reg_wording, reg_kind):
            control.change(
                show_register,
                [reg_wording, reg_kind, reg_actor],
                register,
                api_visibility="private",
            )
        reg_actor.submit(
            show_register, [reg_wording, reg_kind, reg_actor], register, api_visibility="private"
        )
        gr.api(api_ask, api_name="ask")
    return demo


def launch_kwargs() -> dict[str, Any]:
    theme = gr.themes.Default(
        font=["ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
    return {"theme": theme, "css": _asset("chat.css"), "js": _asset("chat.js"), "ssr_mode": False}


def serve_chat(settings: Settings, host: str, port: int) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    assistant = Assistant.from_settings(settings)
    assistant.warm()
    demo = build_chat(assistant, settings)
    demo.queue(default_concurrency_limit=settings.max_inflight, max_size=settings.max_queue)
    print(f"regqa chat on http://{host}:{port}", flush=True)
    demo.launch(server_name=host, server_port=port, show_error=False, quiet=True, **launch_kwargs())
