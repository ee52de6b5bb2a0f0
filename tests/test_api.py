"""The HTTP API on a live server: every endpoint and error code, keys, limits, CORS."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import httpx
import pytest

from assistant.surfaces.api import create_app
from assistant.surfaces.server import check_exposure
from ingest.errors import SettingsError

from .conftest import LiveServer

Q = "How long must record backups be kept?"


@pytest.fixture(scope="module")
def http(api_url: str):
    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client


def test_health_and_readiness(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["units"] == 67


def test_ask(http: httpx.Client) -> None:
    body = http.post("/v1/ask", json={"question": Q}).json()
    assert (
        "must keep record backups for 60 days. [1]" in body["answer"].splitlines()[0]
        and body["citations"][0]["id"] == "rules@2024#art-14"
    )
    follow = http.post(
        "/v1/ask",
        json={
            "question": "And what is the fine if it doesn't?",
            "history": [
                {"role": "user", "content": "Where must a website show its licence number?"},
                {"role": "assistant", "content": "…"},
            ],
        },
    ).json()
    assert follow["citations"][0]["id"] == "rules@2024#art-22"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"question": ""}, 422, "bad_question"),
        ({"question": "   "}, 422, "bad_question"),
        ({"question": "x" * 4001}, 422, "question_too_long"),
        ({}, 422, "invalid_request"),
        ({"question": 5}, 422, "invalid_request"),
        ({"question": Q, "generator": "gpt-9"}, 422, "unknown_generator"),
    ],
)
def test_ask_errors(http: httpx.Client, payload: dict, status: int, code: str) -> None:
    response = http.post("/v1/ask", json=payload)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code and "Traceback" not in response.text


def test_body_over_64kb_is_413(http: httpx.Client) -> None:
    response = http.post(
        "/v1/ask",
        content=json.dumps({"question": "x" * 70_000}),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"


def test_broken_json_is_422(http: httpx.Client) -> None:
    response = http.post(
        "/v1/ask", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_units(http: httpx.Client) -> None:
    unit = http.get("/v1/units/rules@2024%23art-5").json()
    assert set(unit["texts"]) == {"en", "zh"} and "rules@2011#art-5" in unit["versions"]
    assert "新闻、出版、教育等" in unit["texts"]["zh"]["text"]
    assert "rules@2024#art-20" in http.get("/v1/units/rules@2024%23art-15").json()["linked_from"]
    assert http.get("/v1/units/rules@2024%23art-99").status_code == 404
    listed = http.get("/v1/units", params={"doc": "explanation"}).json()
    assert len(listed) == 13
    found = http.get("/v1/units", params={"q": "record backups 60 days"}).json()
    assert found[0]["id"] == "rules@2024#art-14"


def test_models_and_unknown_model(http: httpx.Client) -> None:
    assert "regqa-extractive" in [m["id"] for m in http.get("/v1/models").json()["data"]]
    response = http.post(
        "/v1/chat/completions",
        json={"model": "gpt-4", "messages": [{"role": "user", "content": Q}]},
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "model_not_found"


def test_stream_ends_with_citations_and_done(http: httpx.Client) -> None:
    with http.stream(
        "POST",
        "/v1/chat/completions",
        json={
            "model": "regqa-extractive",
            "stream": True,
            "messages": [{"role": "user", "content": Q}],
        },
    ) as response:
        lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    final = json.loads(lines[-2][6:])
    assert final["choices"][0]["finish_reason"] == "stop"
    assert final["citations"][0]["id"] == "rules@2024#art-14"


def test_feedback(http: httpx.Client, assistant) -> None:
    response = http.post(
        "/v1/feedback",
        json={
            "question": Q,
            "answer": "60 days. [1]",
            "citations": ["rules@2024#art-14"],
            "vote": "up",
        },
    )
    assert response.status_code == 201
    last = (assistant.settings.data_dir / "feedback.jsonl").read_text().splitlines()[-1]
    assert json.loads(last)["citations"] == ["rules@2024#art-14"]
    assert http.post("/v1/feedback", json={"question": Q, "vote": "meh"}).status_code == 422


def test_cors_allowlist(http: httpx.Client) -> None:
    allowed = http.options(
        "/v1/ask", headers={"Origin": "http://127.0.0.1:9", "Access-Control-Request-Method": "POST"}
    )
    assert allowed.headers.get("access-control-allow-origin") == "http://127.0.0.1:9"
    other = http.options(
        "/v1/ask",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


def test_keys_rate_limit_and_secrecy(assistant, caplog: pytest.LogCaptureFixture) -> None:
    settings = assistant.settings.model_copy(update={"rate_limit_per_minute": 3})
    settings = settings.model_copy(
        update={
            "api_keys": type(settings)(
                api_keys="s3cret-key-1,s3cret-key-2", data_dir=settings.data_dir
            ).api_keys
        }
    )
    assert "s3cret" not in repr(settings)
    server = LiveServer(create_app(assistant, settings))
    try:
        with (
            caplog.at_level(logging.INFO, logger="regqa.api"),
            httpx.Client(base_url=server.url) as c,
        ):
            assert c.get("/v1/models").status_code == 401
            assert c.get("/v1/models", headers={"Authorization": "Bearer wrong"}).status_code == 401
            auth = {"Authorization": "Bearer s3cret-key-1"}
            assert c.post("/v1/ask", json={"question": Q}, headers=auth).status_code == 200
            codes = [c.get("/v1/models", headers=auth).status_code for _ in range(4)]
            assert codes[-1] == 429
            limited = c.get("/v1/models", headers=auth)
            assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
            other = c.get("/v1/models", headers={"Authorization": "Bearer s3cret-key-2"})
            assert other.status_code == 200  # limits are per key
        logs = "\n".join(r.getMessage() for r in caplog.records)
        assert "s3cret" not in logs and Q not in logs and "key-" in logs
    finally:
        server.stop()


def test_no_stack_traces_on_internal_errors(assistant) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    stub = SimpleNamespace(
        settings=assistant.settings,
        ask=boom,
        index=assistant.index,
        retriever=assistant.retriever,
        generator_names=assistant.generator_names,
    )
    server = LiveServer(create_app(stub, assistant.settings))  # type: ignore[arg-type]
    try:
        response = httpx.post(f"{server.url}/v1/ask", json={"question": Q})
        assert response.status_code == 500
        assert "secret internals" not in response.text and "Traceback" not in response.text
    finally:
        server.stop()


def test_refuses_to_expose_without_keys(assistant, caplog: pytest.LogCaptureFixture) -> None:
    settings = assistant.settings
    check_exposure(settings, "127.0.0.1", insecure=False)
    with pytest.raises(SettingsError, match="without API keys"):
        check_exposure(settings, "0.0.0.0", insecure=False)
    with caplog.at_level(logging.WARNING, logger="regqa.api"):
        check_exposure(settings, "0.0.0.0", insecure=True)
    assert "WITHOUT API keys" in caplog.text
