"""The REST routes: operations (``/healthz``, ``/readyz``), answers (``/v1/ask``,
``/v1/feedback``), units (``/v1/units``) and the widget script. Each route only translates
HTTP to a call on the assistant and back."""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.answer import Answer
from assistant.obligations import Register, build_register
from assistant.surfaces.api_deps import ERRORS, ApiError, ServicesDep, client, history
from assistant.surfaces.api_models import (
    AskRequest,
    ErrorResponse,
    FeedbackRequest,
    MemoRequest,
    UnitResponse,
    UnitSummary,
    UnitText,
)
from ingest.errors import QuestionError, QuestionTooLong

log = logging.getLogger("regqa.api")

ops = APIRouter(tags=["ops"])
answers = APIRouter(tags=["answers"], dependencies=[Depends(client)])
units = APIRouter(tags=["units"], dependencies=[Depends(client)])
register = APIRouter(tags=["obligations"], dependencies=[Depends(client)])
widget = APIRouter(include_in_schema=False)


@ops.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@ops.get("/readyz", responses={503: {"model": ErrorResponse}})
async def readyz(svc: ServicesDep) -> Any:
    """The index is loaded and the embedder warm."""
    state = svc.assistant.readiness()
    if state.ready and svc.admission.saturated:
        return JSONResponse(
            {
                "error": {
                    "code": "overloaded",
                    "message": "Every answer slot and queue place is taken.",
                }
            },
            status_code=503,
            headers={"Retry-After": str(svc.settings.retry_after_s)},
        )
    if not state.ready:
        return JSONResponse(
            {
                "error": {
                    "code": "not_ready",
                    "message": "The index or the embedder is still loading.",
                }
            },
            status_code=503,
        )
    return {"status": "ready", "generation": state.generation, "units": state.units}


@answers.post("/v1/ask", response_model=Answer, responses=ERRORS)
async def ask(body: AskRequest, svc: ServicesDep) -> Answer:
    """Answer a question with citations (the same JSON as `regqa ask --json`)."""
    if svc.settings.log_questions:
        log.info("question: %s", body.question[:500])
    generator = body.generator
    if generator is not None and generator not in svc.assistant.generator_names():
        raise ApiError(422, "unknown_generator", f"Generator {generator!r} is not configured here.")
    async with svc.lane(generator).slot():
        return await run_in_threadpool(
            svc.assistant.ask, body.question, history(body.history), generator
        )


MEMO_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


@answers.post(
    "/v1/memo",
    responses={
        **ERRORS,
        200: {
            "description": "The memo file (Word or Markdown).",
            "content": {MEMO_TYPES["docx"]: {}, "text/markdown": {}},
        },
    },
    response_class=Response,
)
async def memo(body: MemoRequest, svc: ServicesDep) -> Response:
    """Answer the question and return the answer memo for a compliance file: the question,
    regqa's answer, each cited provision in full in every language, with its wording, status
    and dates, the index generation and the regqa version. The memo is always made from
    regqa's own answer; nothing else in the request reaches it."""
    from assistant.memo import make_memo, render

    async with svc.lane(None).slot():
        made = await run_in_threadpool(
            make_memo, svc.assistant, body.question, history(body.history)
        )
    data = render(made, body.format)
    name = f"regqa-memo.{body.format}"
    return Response(
        data,
        media_type=MEMO_TYPES[body.format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@answers.post("/v1/feedback", responses=ERRORS, status_code=201)
async def feedback(body: FeedbackRequest, svc: ServicesDep) -> dict[str, str]:
    """Thumbs up or down on an answer (the same store as the chat's)."""
    answer = Answer(question=body.question, answer=body.answer, abstained=body.abstained)
    record = await run_in_threadpool(
        svc.feedback.add, answer, history(body.history), body.vote, body.comment, body.citations
    )
    return {"status": "stored", "time": record["time"]}


@units.get("/v1/units", response_model=list[UnitSummary], responses=ERRORS)
async def list_units(
    svc: ServicesDep,
    doc: str | None = None,
    version: str | None = None,
    q: str | None = Query(None, max_length=4000, description="Search the units for this text."),
) -> list[UnitSummary]:
    """List units, or search them with `q`."""
    assistant = svc.assistant
    index = assistant.index
    scores: dict[str, float] = {}
    question = None
    if q:
        from assistant.questions import clean_question

        try:
            question = clean_question(q, svc.settings.max_question_chars)
        except QuestionTooLong:
            raise
        except QuestionError:  # a blank search lists the units, as no search does
            question = None
    if question:
        docs = await run_in_threadpool(assistant.retriever.invoke, question)
        scores = {str(d.metadata["id"]): float(d.metadata["score"]) for d in docs}
        ids = list(scores)
    else:
        ids = [str(u) for u in index.unit_ids()]
    out = []
    for uid in ids:
        chunks = index.chunks_of(uid)
        first = chunks[0]
        if (doc and first.doc != doc) or (version and first.version != version):
            continue
        out.append(
            UnitSummary(
                id=uid,
                doc=first.doc,
                version=first.version,
                title=first.title,
                langs=[c.lang for c in chunks],
                score=scores.get(uid),
            )
        )
    return out


@units.get("/v1/units/{unit_id:path}", response_model=UnitResponse, responses=ERRORS)
async def unit(unit_id: str, svc: ServicesDep) -> UnitResponse:
    """One unit in every language, with its versions and links (`#` encoded as %23)."""
    index = svc.assistant.index
    if not index.has(unit_id):
        raise ApiError(
            404, "unknown_unit", f"There is no unit {unit_id!r}; GET /v1/units lists them."
        )
    chunks = index.chunks_of(unit_id)
    first = chunks[0]
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
        versions=[str(u) for u in svc.assistant.versions_of(first.cid)],
        links=[link.model_dump() for link in first.links],
        linked_from=[str(u) for u in index.linked_from(first.cid)],
    )


@register.get("/v1/obligations", response_model=Register, responses=ERRORS)
async def obligations(
    svc: ServicesDep,
    wording: str | None = Query(None, description="2024 (in force, the default) or 2011."),
    actor: str | None = Query(
        None, max_length=200, description="Rows whose actor or scope contains this text."
    ),
    kind: Literal["duty", "prohibition"] | None = Query(
        None, description="Duties or prohibitions."
    ),
) -> Register:
    """The obligations register: every duty and prohibition of the Rules in one wording, with
    its period, the sanction provisions that punish it and its words in both languages (the
    same JSON as `regqa obligations --format json`)."""
    return build_register(svc.assistant.index, wording, actor, kind)


@widget.get("/widget.js")
async def widget_script() -> Response:
    script = resources.files("assistant.surfaces").joinpath("widget.js").read_text("utf-8")
    return Response(
        script,
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )
