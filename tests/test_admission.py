"""Admission control (fast tier: tiny corpus, fake embedder; a deliberately slow generator
makes a burst exceed the bounds): only complete answers or at-once 503s with Retry-After."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import openai
import pytest

from assistant.generators.base import Draft, GenerationInput
from assistant.surfaces.admission import Lane, Overloaded

from .conftest import LiveServer

QUESTION = "How long must internet access service providers keep record backups?"


def test_lane_refuses_past_its_queue() -> None:
    async def main() -> list[str]:
        lane = Lane("answer", inflight=1, queue=1)
        out: list[str] = []

        async def hold(name: str) -> None:
            try:
                async with lane.slot():
                    await asyncio.sleep(0.05)
                    out.append(name)
            except Overloaded as err:
                out.append(f"shed:{err.retry_after}")

        await asyncio.gather(*(hold(str(n)) for n in range(4)))
        return out

    out = asyncio.run(main())
    assert sorted(out) == ["0", "1", "shed:1", "shed:1"]


class SlowGenerator:
    """The extractive answer, a fixed time late (to fill the lanes)."""

    def __init__(self, inner, delay: float) -> None:
        self.inner, self.delay = inner, delay

    def generate(self, inp: GenerationInput) -> Draft:
        time.sleep(self.delay)
        return self.inner.generate(inp)

    def stream(self, inp: GenerationInput) -> Iterator[str | Draft]:
        draft = self.generate(inp)
        yield draft.text
        yield draft

    def rewrite(self, question, history):
        return None


@pytest.fixture()
def small_server(tiny_settings):
    from assistant import Assistant
    from assistant.surfaces.api import create_app

    assistant = Assistant.from_settings(tiny_settings)
    assistant.generators["slow"] = SlowGenerator(assistant.generators["extractive"], 0.3)
    assistant.warm()  # as `regqa serve` does before it listens
    settings = tiny_settings.model_copy(
        update={"max_inflight": 1, "max_queue": 2, "rate_limit_per_minute": 100_000}
    )
    server = LiveServer(create_app(assistant, settings))
    yield server.url
    server.stop()


def test_a_burst_gets_complete_answers_or_quick_503s(small_server: str) -> None:
    async def one(client: httpx.AsyncClient) -> tuple[int, dict, dict]:
        r = await client.post("/v1/ask", json={"question": QUESTION, "generator": "slow"})
        return r.status_code, dict(r.headers), r.json()

    async def main() -> list[tuple[int, dict, dict]]:
        async with httpx.AsyncClient(base_url=small_server, timeout=30) as client:
            return await asyncio.gather(*(one(client) for _ in range(12)))

    results = asyncio.run(main())
    codes = [r[0] for r in results]
    assert set(codes) <= {200, 503} and codes.count(200) >= 3 and codes.count(503) >= 1
    for code, headers, body in results:
        if code == 200:
            assert body["citations"] and "60" in body["answer"]
        else:
            assert headers["retry-after"] == "1" and body["error"]["code"] == "overloaded"
    assert httpx.get(f"{small_server}/healthz").status_code == 200


def test_readyz_says_not_ready_while_full(small_server: str) -> None:
    async def main() -> int:
        async with httpx.AsyncClient(base_url=small_server, timeout=30) as client:
            asks = [
                asyncio.create_task(
                    client.post("/v1/ask", json={"question": QUESTION, "generator": "slow"})
                )
                for _ in range(3)
            ]
            seen = set()
            while not all(a.done() for a in asks):  # while the lane fills and drains
                seen.add((await client.get("/readyz")).status_code)
                await asyncio.sleep(0.02)
            await asyncio.gather(*asks)
            return 503 if 503 in seen else 200

    assert asyncio.run(main()) == 503
    assert httpx.get(f"{small_server}/readyz").status_code == 200


def test_the_openai_client_retries_a_503_and_succeeds(small_server: str) -> None:
    client = openai.OpenAI(base_url=f"{small_server}/v1", api_key="none", max_retries=8)

    async def fill() -> None:
        async with httpx.AsyncClient(base_url=small_server, timeout=30) as http:
            await asyncio.gather(
                *(
                    http.post("/v1/ask", json={"question": QUESTION, "generator": "slow"})
                    for _ in range(3)
                )
            )

    import threading

    filler = threading.Thread(target=lambda: asyncio.run(fill()))
    filler.start()
    time.sleep(0.05)
    reply = client.chat.completions.create(
        model="regqa-slow", messages=[{"role": "user", "content": QUESTION}]
    )
    filler.join()
    assert "60" in (reply.choices[0].message.content or "")
