"""regqa over the Model Context Protocol, with the official SDK's own client (fast tier: the
tiny corpus and the fake embedder): stdio through `regqa mcp`, streamable HTTP at /mcp."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from pydantic import SecretStr

from .conftest import LiveServer

QUESTION = "How long must internet access service providers keep record backups?"


def _data(result: Any) -> dict[str, Any]:
    if getattr(result, "structured_content", None):
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) else data
    return json.loads(result.content[0].text)


async def _exercise(session: Any) -> None:
    await session.initialize()
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) >= {"ask", "get_unit", "obligations"}
    assert "question" in tools["ask"].input_schema["properties"]
    assert tools["ask"].description and "citations" in tools["ask"].description
    answer = _data(await session.call_tool("ask", {"question": QUESTION}))
    assert [c["id"] for c in answer["citations"]] == ["rules@2024#art-4"]
    assert "60" in answer["answer"] and not answer["abstained"]
    unit = _data(await session.call_tool("get_unit", {"id": "rules@2024#art-4"}))
    assert set(unit["texts"]) == {"en", "zh"} and "60" in unit["texts"]["zh"]
    rows = _data(await session.call_tool("obligations", {"actor": "access"}))
    assert [r["id"] for r in rows["obligations"]] == ["rules@2024#art-4.p1"]
    bad = await session.call_tool("get_unit", {"id": "rules@2024#art-99"})
    assert bad.is_error and "no unit" in bad.content[0].text


def test_stdio(tiny_settings) -> None:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {**os.environ, "REGQA_DATA_DIR": str(tiny_settings.data_dir)}
    regqa = str(Path(sys.executable).with_name("regqa"))
    params = StdioServerParameters(command=regqa, args=["mcp"], env=env)

    async def main() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await _exercise(s)

    anyio.run(main)


@pytest.fixture()
def keyed_api(tiny_assistant, tiny_settings):
    from assistant.surfaces.api import create_app

    settings = tiny_settings.model_copy(update={"api_keys": [SecretStr("mcp-key")]})
    server = LiveServer(create_app(tiny_assistant, settings))
    yield server.url
    server.stop()


def test_http_with_a_key_and_refused_without(keyed_api: str) -> None:
    from mcp import ClientSession
    from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

    async def main() -> None:
        headers = {"Authorization": "Bearer mcp-key"}
        async with (
            create_mcp_http_client(headers=headers) as http,
            streamable_http_client(f"{keyed_api}/mcp", http_client=http) as (read, write, *_),
            ClientSession(read, write) as s,
        ):
            await _exercise(s)

    anyio.run(main)
    refused = httpx.post(f"{keyed_api}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
