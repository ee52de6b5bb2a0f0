"""The help-desk HTTP API: REST under /v1, an OpenAI-compatible chat endpoint, a widget.

``create_app(assistant)`` builds the FastAPI app from the routers in ``api_routes`` and
``api_openai``; ``regqa serve`` adds the Gradio chat at ``/`` and runs it with uvicorn.
Blocking work runs in the thread pool; the assistant, its index and models are shared by all
requests. Errors become the envelope ``{"error": {"code", "message"}}`` here and only here.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response

from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.settings import Settings
from assistant.surfaces import api_conform, api_openai, api_routes
from assistant.surfaces.admission import Admission, FrontDoor, Lane, Overloaded
from assistant.surfaces.api_deps import ApiError, Services
from assistant.surfaces.guards import BodyLimit, RateLimiter
from ingest.errors import (
    FilterError,
    GeneratorError,
    IndexMissingError,
    QuestionError,
    QuestionTooLong,
    RegqaError,
    SettingsError,
    StorageError,
    UnknownUnitError,
)

__all__ = ["create_app"]

log = logging.getLogger("regqa.api")
_STATUS = {
    StorageError: 503,
    QuestionError: 422,
    FilterError: 422,
    UnknownUnitError: 404,
    IndexMissingError: 503,
    GeneratorError: 400,
    SettingsError: 400,
}


#: The routes that compute an answer (admission applies to them).
ANSWERING = frozenset({"/v1/ask", "/v1/chat/completions", "/v1/memo", "/mcp"})


def admission_for(settings: Settings) -> Admission:
    return Admission(
        answers=Lane("answer", settings.max_inflight, settings.max_queue, settings.retry_after_s),
        models=Lane(
            "model", settings.model_max_inflight, settings.model_max_queue, settings.retry_after_s
        ),
    )


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def create_app(assistant: Assistant, settings: Settings | None = None) -> FastAPI:
    settings = settings or assistant.settings
    app = FastAPI(
        title="regqa API",
        version="1",
        description=(
            "Answers about China's Internet Information Service Management Rules, every claim cited. "
            "Not legal advice."
        ),
    )
    app.state.services = Services(
        assistant=assistant,
        settings=settings,
        keys=[k.get_secret_value() for k in settings.api_keys],
        limiter=RateLimiter(settings.rate_limit_per_minute),
        feedback=FeedbackStore(settings.data_dir),
        admission=admission_for(settings),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    _handle_errors(app)

    @app.middleware("http")
    async def _log(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        response: Response = await call_next(request)
        log.info(
            "%s %s %s %.1fms client=%s",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            getattr(request.state, "client_id", "-"),
        )
        return response

    for router in (
        api_routes.ops,
        api_routes.answers,
        api_openai.router,
        api_routes.units,
        api_routes.register,
        api_routes.widget,
    ):
        app.include_router(router)
    from assistant.surfaces import mcp_server

    mcp_server.mount(
        app,
        assistant,
        [k.get_secret_value() for k in settings.api_keys],
        app.state.services.admission,
    )
    api_conform.handle(app)
    api_conform.describe(app, assistant, secured=bool(settings.api_keys))
    app.add_middleware(  # outermost: fast health, and shedding before anything else runs
        FrontDoor,
        admission=app.state.services.admission,
        answering=ANSWERING,
        retry_after=settings.retry_after_s,
    )
    return app


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError) -> JSONResponse:
        return _error(err.status, err.code, err.message, err.headers)

    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, err: Overloaded) -> JSONResponse:
        return _error(
            503,
            "overloaded",
            f"The server is answering as many questions as it can ({err.lane} lane full); "
            f"retry in {err.retry_after} s.",
            {"Retry-After": str(err.retry_after)},
        )

    @app.exception_handler(RegqaError)
    async def _regqa_error(request: Request, err: RegqaError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(err, cls)), 500)
        return _error(status, err.code, str(err))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        kind = str(first.get("type", ""))
        if where == "question" and kind == "string_too_long":
            return _error(
                422,
                QuestionTooLong.code,
                "The question is too long: the limit is 4,000 characters.",
            )
        if where == "question" and kind in ("string_too_short", "string_pattern_mismatch"):
            return _error(422, QuestionError.code, "The question is empty: ask something.")
        return _error(422, "invalid_request", f"{where or 'body'}: {first.get('msg', 'invalid')}.")

    @app.exception_handler(Exception)
    async def _crash(request: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal_error", "Internal error; the server log has the details.")
