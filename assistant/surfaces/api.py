"""The help-desk HTTP API: REST under /v1, an OpenAI-compatible chat endpoint, a widget.

``create_app(assistant)`` builds the FastAPI app; ``regqa serve`` adds the Gradio chat at ``/``
and runs it with uvicorn. Blocking work runs in the thread pool; the assistant, its index and
models are shared by all requests.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answer import Answer
from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.settings import Settings
from assistant.surfaces.api_models import (
    AskRequest,
    ChatCompletionRequest,
    ErrorResponse,
    FeedbackRequest,
    Message,
    UnitResponse,
    UnitSummary,
    UnitText,
)
from assistant.surfaces.guards import BodyLimit, RateLimiter, check_key
from ingest.errors import (
    GeneratorError,
    IndexMissingError,
    QuestionError,
    RegqaError,
    SettingsError,
    StorageError,
    UnknownUnitError,
)

log = logging.getLogger("regqa.api")
MODEL_PREFIX = "regqa-"
_STATUS = {
    StorageError: 503,
    QuestionError: 422,
    UnknownUnitError: 404,
    IndexMissingError: 503,
    GeneratorError: 400,
    SettingsError: 400,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 404, 413, 422, 429, 503)
}


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def _history(messages: list[Message]) -> list[dict[str, str]]:
    return [
        {"role": m.role, "content": m.text()} for m in messages if m.role in ("user", "assistant")
    ]


def create_app(assistant: Assistant, settings: Settings | None = None) -> FastAPI:
    settings = settings or assistant.settings
    keys = [k.get_secret_value() for k in settings.api_keys]
    limiter = RateLimiter(settings.rate_limit_per_minute)
    store = FeedbackStore(settings.data_dir)
    app = FastAPI(
        title="regqa API",
        version="1",
        description=(
            "Answers about China's Internet Information Service Management Rules, every claim cited. "
            "Not legal advice."
        ),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError) -> JSONResponse:
        return _error(err.status, err.code, err.message, err.headers)

    @app.exception_handler(RegqaError)
    async def _regqa_error(request: Request, err: RegqaError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(err, cls)), 500)
        return _error(status, err.code, str(err))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(422, "invalid_request", f"{where or 'body'}: {first.get('msg', 'invalid')}.")

    @app.exception_handler(Exception)
    async def _crash(request: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal_error", "Internal error; the server log has the details.")

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

    def guard(request: Request) -> str:
        """Authenticate (when keys are set) and rate-limit; returns the client's id."""
        client = request.client.host if request.client else "unknown"
        if keys:
            found = check_key(request.headers.get("authorization"), keys)
            if found is None:
                raise ApiError(
                    401,
                    "unauthorized",
                    "A valid API key is required: send 'Authorization: Bearer <key>'.",
                    {"WWW-Authenticate": "Bearer"},
                )
            client = found
        request.state.client_id = client
        wait = limiter.take(client)
        if wait:
            raise ApiError(
                429,
                "rate_limited",
                "Too many requests; retry later.",
                {"Retry-After": str(max(1, int(wait + 0.999)))},
            )
        return client

    def _question(question: str) -> str:
        if len(question) > settings.max_question_chars:
            raise ApiError(
                422,
                "question_too_long",
                f"The question is {len(question):,} characters "
                f"long; the limit is {settings.max_question_chars:,}.",
            )
        return question

    def _generator(model: str) -> str:
        name = model.removeprefix(MODEL_PREFIX)
        if not model.startswith(MODEL_PREFIX) or name not in _generators():
            raise ApiError(
                404, "model_not_found", f"Unknown model {model!r}; GET /v1/models lists them."
            )
        return name

    def _generators() -> list[str]:
        from assistant.surfaces.chat_app import available_generators

        return available_generators(settings)

    def _log_question(question: str) -> None:
        if settings.log_questions:
            log.info("question: %s", question[:500])

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], responses={503: {"model": ErrorResponse}})
    async def readyz() -> Any:
        """The index is loaded and the embedder warm."""
        embeddings = assistant.retriever.embeddings
        model = getattr(getattr(embeddings, "base", embeddings), "_model", None)
        warm = embeddings is None or (model is not None and model.loaded)
        if not (assistant.index.chunks and warm):
            return _error(503, "not_ready", "The index or the embedder is still loading.")
        return {
            "status": "ready",
            "generation": assistant.index.generation,
            "units": len(assistant.index.unit_ids()),
        }

    @app.post("/v1/ask", response_model=Answer, responses=ERRORS, tags=["answers"])
    async def ask(body: AskRequest, client: str = Depends(guard)) -> Answer:
        """Answer a question with citations (the same JSON as `regqa ask --json`)."""
        _log_question(body.question)
        generator = body.generator
        if generator is not None and generator not in _generators():
            raise ApiError(
                422, "unknown_generator", f"Generator {generator!r} is not configured here."
            )
        return await run_in_threadpool(
            assistant.ask, _question(body.question), _history(body.history), generator
        )

    @app.get("/v1/models", tags=["openai"])
    async def models(client: str = Depends(guard)) -> dict[str, Any]:
        """Generators as OpenAI model names."""
        return {
            "object": "list",
            "data": [
                {"id": f"{MODEL_PREFIX}{g}", "object": "model", "created": 0, "owned_by": "regqa"}
                for g in _generators()
            ],
        }

    @app.post("/v1/chat/completions", responses=ERRORS, tags=["openai"])
    async def chat_completions(body: ChatCompletionRequest, client: str = Depends(guard)) -> Any:
        """OpenAI-compatible chat; citations ride on the response and the final stream chunk."""
        generator = _generator(body.model)
        users = [i for i, m in enumerate(body.messages) if m.role == "user"]
        if not users:
            raise ApiError(422, "invalid_request", "messages must contain a user message.")
        question = _question(body.messages[users[-1]].text())
        history = _history(body.messages[: users[-1]])
        _log_question(question)
        created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if not body.stream:
            answer = await run_in_threadpool(assistant.ask, question, history, generator)
            return {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": body.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer.answer},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": _citations(answer),
                "abstained": answer.abstained,
            }
        from assistant.core import clean_question

        clean_question(
            question, settings.max_question_chars
        )  # a bad question fails before streaming

        async def events() -> AsyncIterator[str]:
            def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
                payload = {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                    **extra,
                }
                return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

            yield chunk({"role": "assistant", "content": ""})
            try:
                async for item in iterate_in_threadpool(
                    assistant.stream(question, history, generator)
                ):
                    if isinstance(item, Answer):
                        yield chunk(
                            {}, "stop", citations=_citations(item), abstained=item.abstained
                        )
                    else:
                        yield chunk({"content": item})
            except RegqaError as err:
                yield f"data: {json.dumps({'error': {'code': err.code, 'message': str(err)}})}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    @app.get("/v1/units", response_model=list[UnitSummary], responses=ERRORS, tags=["units"])
    async def units(
        doc: str | None = None,
        version: str | None = None,
        q: str | None = None,
        client: str = Depends(guard),
    ) -> list[UnitSummary]:
        """List units, or search them with `q`."""
        index = assistant.index
        if q:
            hits = await run_in_threadpool(assistant.retriever.search, _question(q))
            ids, scores = [h.unit for h in hits[:20]], {h.unit: h.score for h in hits}
        else:
            ids, scores = index.unit_ids(), {}
        out = []
        for uid in ids:
            chunks = index.chunks_of(uid)
            first = chunks[0]
            if (doc and first.doc != doc) or (version and first.version != version):
                continue
            out.append(
                UnitSummary(
                    id=str(uid),
                    doc=first.doc,
                    version=first.version,
                    title=first.title,
                    langs=[c.lang for c in chunks],
                    score=scores.get(uid),
                )
            )
        return out

    @app.get(
        "/v1/units/{unit_id:path}", response_model=UnitResponse, responses=ERRORS, tags=["units"]
    )
    async def unit(unit_id: str, client: str = Depends(guard)) -> UnitResponse:
        """One unit in every language, with its versions and links (`#` encoded as %23)."""
        index = assistant.index
        if not index.has(unit_id):
            raise ApiError(
                404, "unknown_unit", f"There is no unit {unit_id!r}; GET /v1/units lists them."
            )
        chunks = index.chunks_of(unit_id)
        first = chunks[0]
        versions = [str(u) for u in index.versions_of(first.cid)]
        return UnitResponse(
            id=first.id,
            doc=first.doc,
            version=first.version,
            locator=first.locator,
            status=first.status,
            texts={
                c.lang: UnitText(
                    lang=c.lang,
                    title=c.title,
                    text=c.text,
                    source=c.source,
                    start=c.start,
                    end=c.end,
                    parts=[p.model_dump() for p in c.parts],
                )
                for c in chunks
            },
            versions=versions,
            links=[link.model_dump() for link in first.links],
            linked_from=[str(u) for u in index.linked_from(first.cid)],
        )

    @app.post("/v1/feedback", responses=ERRORS, tags=["answers"], status_code=201)
    async def feedback(body: FeedbackRequest, client: str = Depends(guard)) -> dict[str, str]:
        """Thumbs up or down on an answer (the same store as the chat's)."""
        answer = Answer(question=body.question, answer=body.answer, abstained=body.abstained)
        record = await run_in_threadpool(
            store.add, answer, _history(body.history), body.vote, body.comment, body.citations
        )
        return {"status": "stored", "time": record["time"]}

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> Response:
        script = resources.files("assistant.surfaces").joinpath("widget.js").read_text("utf-8")
        return Response(
            script,
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=300"},
        )

    return app


def _citations(answer: Answer) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "title": c.title,
            "quote": c.quote,
            "lang": c.lang,
            "start": c.start,
            "end": c.end,
        }
        for c in answer.citations
    ]
