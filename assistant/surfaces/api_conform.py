"""Keeping the HTTP API and its OpenAPI document in agreement (schemathesis checks both).

- The document states what this server accepts: the generators configured here, the Rules'
  wordings in the index, and bearer security only when API keys are set.
- Every error leaves in the API's envelope, the framework's own included (a body that is not
  JSON, an unknown path under /v1), and a method a path does not take gets 405 with ``Allow``
  even where the chat is mounted at ``/``.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.core import Assistant
from assistant.obligations import wordings

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def _envelope(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def describe(app: FastAPI, assistant: Assistant, secured: bool) -> None:
    """Install an OpenAPI document fitted to this server (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path in doc["paths"].values():
            for op in path.values():
                if not secured:
                    op.pop("security", None)
                for param in op.get("parameters", []):
                    if param["name"] == "wording":
                        param["schema"] = {"type": "string", "enum": wordings(assistant.index)}
                body = op.get("requestBody", {}).get("content", {}).get("application/json")
                if body is not None:
                    _fit_body(doc, body["schema"], assistant.generator_names())
        if not secured:
            doc.get("components", {}).pop("securitySchemes", None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _fit_body(doc: dict[str, Any], schema: dict[str, Any], generators: list[str]) -> None:
    ref = schema.get("$ref", "")
    target = doc["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    gen = target.get("properties", {}).get("generator")
    if gen is not None:
        gen.pop("anyOf", None)
        gen.update({"anyOf": [{"type": "string", "enum": generators}, {"type": "null"}]})
    model = target.get("properties", {}).get("model")
    if model is not None and "messages" in target.get("properties", {}):
        model["enum"] = [f"regqa-{g}" for g in generators]


def handle(app: FastAPI) -> None:
    """The framework's errors in the envelope; 405 and 404 for the API's paths, before the
    chat mounted at ``/`` can answer them."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        code = _CODES.get(err.status_code, "http_error")
        detail = err.detail if isinstance(err.detail, str) else "Request failed."
        message = (
            "The body is not valid JSON (UTF-8)."
            if err.status_code == 400 and "parsing the body" in detail
            else detail
        )
        return _envelope(err.status_code, code, message, getattr(err, "headers", None))

    routes: list[tuple[re.Pattern[str], set[str]]] = []

    def api_routes() -> list[tuple[re.Pattern[str], set[str]]]:
        """Each documented path (a regex) and its methods, read once from the OpenAPI doc."""
        if not routes:
            for path, ops in app.openapi()["paths"].items():
                pattern = re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(path))
                routes.append((re.compile(f"^{pattern}$"), {m.upper() for m in ops}))
        return routes

    @app.middleware("http")
    async def _methods(request: Request, call_next: Any) -> Response:
        path, method = request.url.path, request.method
        matched = [methods for rx, methods in api_routes() if rx.match(path)]
        allowed = set().union(*matched) if matched else set()
        if matched and method not in allowed and method not in ("OPTIONS", "HEAD"):
            allow = ", ".join(sorted(allowed))
            return _envelope(
                405, "method_not_allowed", f"{method} is not allowed here; use {allow}.",
                {"Allow": allow},
            )  # fmt: skip
        if not matched and (path.startswith("/v1/") or path == "/v1"):
            return _envelope(404, "not_found", f"No API route {path}; see /docs.")
        response: Response = await call_next(request)
        return response
