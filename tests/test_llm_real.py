"""Real models (slow tier): the packaged GGUF joined from its PyPI parts, the `local`
generator on llama.cpp in-process, and the `openai` generator against llama.cpp's
OpenAI-compatible server serving the same file. Every answer goes through the same validator
and figures check as in production; the eval gate for model answers is
evals/thresholds-local.yaml."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from assistant.answer import Answer
from evals.gate import check, load_thresholds
from evals.runner import evaluate

from .conftest import ROOT, free_port

QUESTIONS = {
    "How long must record backups be kept?": "art-14",
    "经营性互联网信息服务实行什么制度？": "art-4",
    "What is the fine for not displaying the ICP number on the home page?": "art-22",
}
#: core.yaml cases the model-answer gate runs (English and Chinese, facts, a sanction, a
#: definition, a refusal): a few, because each answer takes seconds on two cores.
GATE_CASES = (
    "retention-period-formal",
    "zh-licensing-vs-filing",
    "missing-number-fine-formal",
    "definition-internet-information-services",
    "refuse-csl-data-localisation",
    "commercial-vs-non-commercial-definition",
)


@pytest.fixture(scope="session")
def real_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default packaged model, joined from its installed parts (checksum verified)."""
    from assistant import Settings
    from assistant.generators.local import MODELS, gguf_path

    settings = Settings(data_dir=tmp_path_factory.mktemp("models"))
    path = gguf_path(settings)
    assert path.name == MODELS[settings.local_model].file and path.stat().st_size > 10**9
    assert gguf_path(settings) == path  # joined once
    return path


@pytest.fixture(scope="session")
def local_assistant(index_settings, real_gguf: Path):
    from assistant import Assistant, Settings

    settings = Settings(**index_settings.model_dump(), local_model_path=str(real_gguf))
    return Assistant.from_settings(settings)


def _grounded(answer: Answer, article: str) -> None:
    assert not answer.abstained, answer.reason
    assert any(c.id.endswith(f"#{article}") for c in answer.citations), answer.answer
    assert answer.generator in ("local", "openai")


def test_local_model_answers_with_valid_citations(local_assistant) -> None:
    for question, article in QUESTIONS.items():
        answer = local_assistant.ask(question, generator="local")
        _grounded(answer, article)
        assert all(f"[{k}]" in answer.answer for k in range(1, len(answer.citations) + 1))


def test_local_model_streams_the_same_answer(local_assistant) -> None:
    question = next(iter(QUESTIONS))
    items = list(local_assistant.stream(question, generator="local"))
    final = items[-1]
    # whole checked sentences are released: at least one piece of text, then the Answer
    assert isinstance(final, Answer) and len(items) >= 2
    assert "".join(i for i in items if isinstance(i, str)).strip()
    assert final.plan is not None and final.plan["fact"] == "duration"
    _grounded(final, QUESTIONS[question])
    assert final.answer == local_assistant.ask(question, generator="local").answer


def test_model_answers_pass_their_gate(local_assistant, tmp_path: Path) -> None:
    cases = yaml.safe_load((ROOT / "evals/datasets/core.yaml").read_text("utf-8"))
    chosen = [c for c in cases if c["id"] in GATE_CASES]
    assert len(chosen) == len(GATE_CASES)
    dataset = tmp_path / "gate.yaml"
    dataset.write_text(yaml.safe_dump(chosen, allow_unicode=True), "utf-8")
    base = local_assistant.settings.model_copy(update={"generator": "local"})
    run = evaluate(dataset, "default", base)
    failures = check(run.summary, load_thresholds(ROOT / "evals/thresholds-local.yaml"))
    assert failures == [], failures


@pytest.fixture(scope="module")
def llama_server(real_gguf: Path, tmp_path_factory: pytest.TempPathFactory):
    """llama-cpp-python's OpenAI-compatible server on a free loopback port."""
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(real_gguf),
        "--model_alias", "regqa-local", "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096",
    ]  # fmt: skip
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    out = log.open("wb")  # a file, not a pipe: the server logs much and must never block
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace")[-2000:])
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("llama.cpp server did not start in 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    out.close()


def test_openai_generator_against_a_llama_cpp_server(index_settings, llama_server: str) -> None:
    from assistant import Assistant, Settings

    settings = Settings(
        **index_settings.model_dump(),
        generator="openai",
        openai_base_url=llama_server,
        openai_model="regqa-local",
    )
    assistant = Assistant.from_settings(settings)
    question = next(iter(QUESTIONS))
    asked = assistant.ask(question)
    _grounded(asked, QUESTIONS[question])
    items = list(assistant.stream(question))
    assert len(items) >= 2 and isinstance(items[-1], Answer)
    _grounded(items[-1], QUESTIONS[question])
