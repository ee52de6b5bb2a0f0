"""regqa as a Model Context Protocol server: the tools ``ask``, ``get_unit`` and
``obligations`` over the official SDK (``MCPServer``).

``regqa mcp`` serves it over stdio (stdout carries the protocol and nothing else); the API app
serves the streamable-HTTP transport at ``/mcp`` (:func:`mount`), stateless, so any worker can
answer any request, behind the same API keys as ``/v1``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal

import anyio
from fastapi import FastAPI
from pydantic import Field
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.core import Assistant
from assistant.obligations import build_register
from assistant.surfaces.admission import Admission, Overloaded
from assistant.surfaces.guards import check_key
from ingest.errors import RegqaError

INSTRUCTIONS = (
    "regqa answers questions about China's Internet Information Service Management Rules "
    "(互联网信息服务管理办法; 2011 and 2024 wordings) and the Explanation of their 2012 revision "
    "draft. Every answer quotes and cites the article or section it comes from; an answer with "
    "abstained=true means the texts do not answer the question. Not legal advice."
)


def build_mcp(assistant: Assistant, admission: Admission | None = None) -> Any:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    server = MCPServer("regqa", instructions=INSTRUCTIONS)

    async def run(fn: Callable[[], Any]) -> Any:
        try:
            return await anyio.to_thread.run_sync(fn)
        except RegqaError as err:  # the user's message, not a stack trace
            raise ToolError(str(err)) from None

    @server.tool(
        description=(
            "Ask a question about the Rules or the 2012 draft Explanation, in English or "
            "Chinese. Returns the answer text with markers [1], [2]… and `citations` (id, "
            "quoted words, source offsets) — `citations[k-1]` supports marker [k]. When "
            "`abstained` is true the texts do not answer it and `reason` says why. Pass the "
            "earlier turns as `history` for a follow-up question."
        )
    )
    async def ask(
        question: Annotated[str, Field(min_length=1, max_length=4000, description="The question.")],
        history: Annotated[
            list[dict[str, str]] | None,
            Field(description='Earlier turns, oldest first: [{"role": "user", "content": …}, …]'),
        ] = None,
    ) -> dict[str, Any]:
        async def answer() -> Any:
            return await run(lambda: assistant.ask(question, history or []))

        if admission is None:
            return dict((await answer()).model_dump(mode="json"))
        try:
            async with admission.lane(False).slot():
                return dict((await answer()).model_dump(mode="json"))
        except Overloaded as err:
            raise ToolError(f"regqa is busy; retry in {err.retry_after} s.") from None

    @server.tool(
        description=(
            "The full text of one unit by citation id — e.g. rules@2024#art-14 (an article of "
            "the 2024 wording), rules@2011#art-5, explanation#II.4 — in every language the "
            "corpus has (Chinese is the official text; English an unofficial translation), "
            "with its status and the ids of its other wordings."
        )
    )
    async def get_unit(
        id: Annotated[str, Field(description="A citation id, as in an answer's citations.")],
    ) -> dict[str, Any]:
        def find() -> dict[str, Any]:
            index = assistant.index
            chunks = index.chunks_of(id)
            if not chunks:
                raise RegqaError(f"There is no unit {id!r}.", hint="Use an id from an answer.")
            first = chunks[0]
            return {
                "id": first.id,
                "title": first.title,
                "status": first.status,
                "texts": {c.lang: c.text for c in chunks},
                "versions": [str(u) for u in assistant.versions_of(first.cid)],
            }

        return dict(await run(find))

    @server.tool(
        description=(
            "The obligations register: every duty and prohibition of the Rules in one wording "
            "(2024, in force, by default), with who it binds, its words in English and "
            "Chinese, its period or deadline, the sanction provisions that punish it and their "
            "measures in order, and citation ids."
        )
    )
    async def obligations(
        wording: Annotated[str | None, Field(description="2024 or 2011.")] = None,
        actor: Annotated[
            str | None, Field(description="Only rows whose actor contains this text.")
        ] = None,
        kind: Annotated[
            Literal["duty", "prohibition"] | None, Field(description="Duties or prohibitions.")
        ] = None,
    ) -> dict[str, Any]:
        register = await run(lambda: build_register(assistant.index, wording, actor, kind))
        return dict(register.model_dump(mode="json"))

    return server


class KeyGuard:
    """Bearer keys for a mounted ASGI app (FastAPI's dependencies do not reach it)."""

    def __init__(self, app: ASGIApp, keys: list[str]) -> None:
        self.app, self.keys = app, keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.keys:
            given = dict(scope.get("headers") or []).get(b"authorization", b"").decode()
            if check_key(given or None, self.keys) is None:
                body = (
                    b'{"error":{"code":"unauthorized","message":"A valid API key is required: '
                    b"send 'Authorization: Bearer <key>'.\"}}"
                )
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b"Bearer"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def mount(
    app: FastAPI, assistant: Assistant, keys: list[str], admission: Admission | None = None
) -> None:
    """Serve the streamable-HTTP transport at ``/mcp`` (stateless, JSON responses), its session
    manager running inside the app's lifespan."""
    from starlette.routing import Route

    server = build_mcp(assistant, admission)
    sub = server.streamable_http_app(
        streamable_http_path="/mcp", stateless_http=True, json_response=True
    )
    route = next(r for r in sub.routes if isinstance(r, Route) and r.path == "/mcp")
    app.router.routes.insert(0, Route("/mcp", KeyGuard(route.app, keys), methods=None))
    before = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with server.session_manager.run(), before(a) as state:
            yield state

    app.router.lifespan_context = lifespan
